package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/svhub/svhub/internal/audit"
	"github.com/svhub/svhub/internal/store"
)

func auditCmd(ctx context.Context, e env, args []string) error {
	f := newFlags(e, "audit", "audit verify [--head FILE] [flags]\n       svhub audit head [--out FILE] [flags]\n\nverify checks the hash chain, that it ends at the signed head (kept outside the events table), and with --head every head exported to FILE (or to the directory serve --audit-head-dir writes daily); head prints the signed head as a JSON line, or appends it to FILE (run it daily, from cron, to a place the database's users cannot write). The audit key comes from SVHUB_AUDIT_KEY; without it heads are unsigned and their signatures are not checked.")
	db := f.db()
	headFile := f.String("head", "", "for verify: a file of heads exported by 'audit head', or the directory of heads exported daily by 'serve --audit-head-dir', each checked against the chain")
	out := f.String("out", "", "for head: append the head to this file instead of printing it")
	pos, err := f.parse(args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || (pos[0] != "verify" && pos[0] != "head") {
		f.Usage()
		return usageError{"say 'audit verify' or 'audit head'"}
	}
	s, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	if pos[0] == "head" {
		return exportAuditHead(ctx, e, s, *out)
	}
	n, err := s.VerifyAudit(ctx)
	var b *audit.Break
	if errors.As(err, &b) {
		return fmt.Errorf("%d events verified, then: %w", n, b)
	}
	if err != nil {
		return err
	}
	if *headFile != "" {
		k, err := checkExportedHeads(ctx, s, *headFile)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%d exported heads match the chain\n", k)
	}
	head, err := s.AuditHead(ctx)
	if err != nil {
		return err
	}
	switch {
	case head == nil:
		fmt.Fprintf(e.stdout, "Audit chain intact: %d events verified (the chain is empty)\n", n)
	case !s.AuditKeySet():
		fmt.Fprintf(e.stdout, "Audit chain intact: %d events verified, ending at the head (event %d); its signature was not checked: set SVHUB_AUDIT_KEY\n", n, head.Seq)
	default:
		fmt.Fprintf(e.stdout, "Audit chain intact: %d events verified, ending at the signed head (event %d)\n", n, head.Seq)
	}
	return nil
}

// exportAuditHead prints the signed head as one JSON line, or appends it
// to a file.
func exportAuditHead(ctx context.Context, e env, s *store.Store, out string) error {
	head, err := s.AuditHead(ctx)
	if err != nil {
		return err
	}
	if head == nil {
		return errors.New("the audit chain is empty: there is no head to export")
	}
	line, _ := json.Marshal(head)
	line = append(line, '\n')
	if out == "" {
		_, err := e.stdout.Write(line)
		return err
	}
	f, err := os.OpenFile(out, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(line); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// checkExportedHeads checks every head in a file written by 'audit head'
// or a directory of the daily export (serve --audit-head-dir): its
// signature (with a key) and that the chain still holds its event with
// its hash, so truncating the events and rolling the stored head back to
// an older signed one is seen. It returns how many were checked.
func checkExportedHeads(ctx context.Context, s *store.Store, path string) (int, error) {
	return audit.EachHead(path, func(_ string, h audit.Head) error {
		return s.CheckExportedHead(ctx, h)
	})
}
