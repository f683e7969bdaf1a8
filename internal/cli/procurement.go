package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"text/tabwriter"
	"time"

	"github.com/svhub/svhub/internal/ocds"
	"github.com/svhub/svhub/internal/tenders"
)

// tendersCmd recomputes an evaluation from its export alone, so an auditor
// can check the published ranking without access to the hub.
func tendersCmd(ctx context.Context, e env, args []string) error {
	f := newFlags(e, "tenders", "tenders evaluate [--format json|table] FILE.json\n\nFILE.json is GET /tenders/{id}/evaluation.json. Any results in it are ignored and recomputed.")
	format := f.String("format", "json", "output format: json or table")
	file, err := f.inputFile(args, "evaluate", "tenders evaluate FILE.json", format)
	if err != nil {
		return err
	}
	defer file.Close()
	var ev tenders.Evaluation
	dec := json.NewDecoder(file)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ev); err != nil {
		return fmt.Errorf("%s: not an evaluation export: %w", file.Name(), err)
	}
	published := ev.Results
	ev.Results = nil
	res, err := tenders.Evaluate(ev)
	if err != nil {
		return fmt.Errorf("%s: %w", file.Name(), err)
	}
	// Say whether the file's own results agree, digit for digit.
	agree := len(published) == len(res)
	for i := range res {
		if !agree || published[i].Total != res[i].Total || published[i].Rank != res[i].Rank {
			agree = false
			break
		}
	}
	if *format == "table" {
		tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "rank\tbid\tsupplier\tprice\tquality\tsocial value\ttotal\t")
		for _, r := range tenders.ByRank(res) {
			rank := fmt.Sprint(r.Rank)
			if !r.Compliant {
				rank = "excluded"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", rank, r.Bid, r.Supplier, tenders.Round4(r.PriceRat()), tenders.Round4(r.QualityRat()), tenders.Round4(r.SocialValueRat()), r.Total4)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		if len(published) > 0 {
			fmt.Fprintf(e.stdout, "\nresults in the file agree: %v\n", agree)
		}
		return nil
	}
	out := map[string]any{"tender": ev.Tender, "results": res}
	if len(published) > 0 {
		out["file_results_agree"] = agree
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func exportCmd(ctx context.Context, e env, args []string) error {
	f := newFlags(e, "export", "export ocds [--db DSN] [--ocid-prefix P] [--base-url URL] [--out FILE]")
	db := f.db()
	prefix := f.str("ocid-prefix", "ocds-svhub", "OCDS ocid prefix")
	base := f.str("base-url", "http://localhost:8080", "public URL of the hub (used in the package uri)")
	out := f.str("out", "", "write to FILE instead of standard output")
	pos, err := f.parse(args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || pos[0] != "ocds" {
		f.Usage()
		return usageError{"say 'export ocds'"}
	}
	s, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	in, err := s.OCDSInput(ctx, time.Now())
	if err != nil {
		return err
	}
	in.Prefix, in.BaseURL, in.Publisher = *prefix, *base, "Social Value Hub"
	pkg, err := ocds.Build(in)
	if err != nil {
		return err
	}
	w := e.stdout
	if *out != "" {
		fh, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer fh.Close()
		w = fh
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(pkg)
}
