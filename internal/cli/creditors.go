package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path"

	"github.com/svhub/svhub/internal/app"
	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/spend"
)

// importCreditors reads a buyer's creditor file (its finance system's
// supplier master) and replaces the buyer's creditor entries with it.
func importCreditors(ctx context.Context, e env, args []string) error {
	f := newFlags(e, "import creditors", "import creditors --buyer ORG [--format table|json] FILE\n\nFILE is the buyer's creditor (supplier master) file as CSV: a supplier name column and a postcode, company number or charity number column; supplier id, VAT number and supplier type are read when present. A supplier id given two postcodes (or two company numbers) is reported and left unplaced. Importing the file in force again changes nothing.")
	db := f.db()
	buyerName := f.String("buyer", "", "the public body whose creditor file it is: its name, slug or id")
	format := f.String("format", "table", "output: table or json")
	limits := creditorLimitFlags(f)
	files, err := f.parse(args)
	if err != nil {
		return err
	}
	if len(files) != 1 || *buyerName == "" {
		f.Usage()
		return usageError{"say 'import creditors --buyer ORG FILE'"}
	}
	if *format != "table" && *format != "json" {
		return usageError{"--format must be table or json"}
	}
	sha, err := fileSHA256(files[0])
	if err != nil {
		return err
	}
	file, err := os.Open(files[0])
	if err != nil {
		return err
	}
	defer file.Close()
	bar := rowProgress(e, path.Base(files[0]))
	cf, err := spend.ReadCreditors(&countLines{ctx: ctx, r: file, bar: bar}, files[0], limits())
	if err != nil {
		return err
	}
	bar.done()
	s, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := app.EnsureGeo(ctx, s, logger(io.Discard)); err != nil {
		return err
	}
	buyer, err := findBuyer(ctx, s, *buyerName)
	if err != nil {
		return err
	}
	res, err := s.ImportCreditors(ctx, auth.Actor{User: &auth.User{Email: "svhub import creditors (command line)", IsAdmin: true}}, buyer.ID, path.Base(files[0]), sha, cf)
	if err != nil {
		return err
	}
	if *format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"buyer": buyer.LegalName, "columns": cf.Columns, "result": res})
	}
	if res.Unchanged {
		fmt.Fprintf(e.stdout, "%s is already the creditor file in force for %s: nothing changed\n", files[0], buyer.LegalName)
		return nil
	}
	fmt.Fprintf(e.stdout, "Imported %d creditor entries for %s from %s: %d placed by postcode, %d linked to payments by supplier id\n", res.Entries, buyer.LegalName, files[0], res.Placed, res.ByID)
	if len(res.Conflicts) > 0 {
		fmt.Fprintf(e.stdout, "%d contradiction(s), reported and not guessed:\n", len(res.Conflicts))
		for _, c := range res.Conflicts {
			fmt.Fprintf(e.stdout, "  %s\n", c)
		}
	}
	return nil
}

// countLines moves a row progress bar by the lines read through it.
type countLines struct {
	ctx context.Context // SIGTERM or Ctrl-C stops the read
	r   io.Reader
	bar *rowCounter
}

func (c *countLines) Read(p []byte) (int, error) {
	if c.ctx.Err() != nil {
		return 0, errInterrupted
	}
	n, err := c.r.Read(p)
	for _, b := range p[:n] {
		if b == '\n' {
			c.bar.row()
		}
	}
	return n, err
}

// coverageLines writes how much of a report is known, and the
// provisional note, for the table output of report spend.
func coverageLines(w io.Writer, rep spend.Report) {
	k := rep.Known
	fmt.Fprintf(w, "How much is known (of spend to named payees; top %d suppliers in brackets):\n", k.TopSuppliers)
	fmt.Fprintf(w, "  placed (location known)            %6.2f%%  (%6.2f%%)\n", k.PlacedShare*100, k.TopPlacedShare*100)
	fmt.Fprintf(w, "  classified SME or large            %6.2f%%  (%6.2f%%)\n", k.SizeShare*100, k.TopSizeShare*100)
	fmt.Fprintf(w, "  classified VCSE or not             %6.2f%%  (%6.2f%%)\n", k.VCSEShare*100, k.TopVCSEShare*100)
	if rep.Provisional {
		fmt.Fprintf(w, "Local and Greater Manchester shares are %s.\n", rep.LocationNote)
	}
	fmt.Fprintln(w)
}
