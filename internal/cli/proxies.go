package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/proxies"
)

// importProxies loads an edition of proxy values from a GMCA-style
// workbook or a CSV: svhub import proxies [flags] FILE.
func importProxies(ctx context.Context, e env, args []string) error {
	f := newFlags(e, "import proxies", "import proxies --edition E [--format json|table] [--licensed] [--name N --publisher P --licence L --attribution A --url U] FILE\n\n"+
		"FILE is the GMCA Unit Cost Database workbook (.xlsx: one sheet per theme, a title block above each header row) or a CSV, with the columns\n"+
		"cost code, detail, unit, agency, fiscal cost £ and price year (found by name; a CSV may add a theme column). Without --name the values\n"+
		"are an edition of the GMCA Unit Cost Database with its attribution. --licensed marks values the hub may use but never publish (the National TOMs).")
	db := f.db()
	format := f.str("format", "json", "output: json or table")
	edition := f.str("edition", "", "the edition the file is, such as 2.0 (editions are kept side by side)")
	name := f.str("name", "", "the source's name, when it is not the GMCA Unit Cost Database")
	publisher := f.str("publisher", "", "who publishes the source (with --name)")
	licence := f.str("licence", "", "the source's licence (with --name)")
	attribution := f.str("attribution", "", "the attribution line shown wherever the values are used (with --name)")
	url := f.str("url", "", "where the source is published")
	licensed := f.boolean("licensed", false, "the values are licensed to this hub only: never shown publicly or exported as open data")
	files, err := f.parse(args)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		f.Usage()
		return usageError{"say 'import proxies --edition E FILE'"}
	}
	if *format != "json" && *format != "table" {
		return usageError{"--format must be json or table"}
	}
	if *edition == "" {
		return usageError{"--edition is required: say which edition of the source the file is, such as --edition 2.0"}
	}
	src := proxies.UCDSource(*edition)
	if *name != "" {
		src = proxies.Source{Name: *name, Publisher: *publisher, Edition: *edition, Licence: *licence, Attribution: *attribution, URL: *url}
	} else {
		if *publisher != "" {
			src.Publisher = *publisher
		}
		if *licence != "" {
			src.Licence = *licence
		}
		if *attribution != "" {
			src.Attribution = *attribution
		}
		if *url != "" {
			src.URL = *url
		}
	}
	src.LicensedOnly = *licensed
	if err := src.Validate(); err != nil {
		return fmt.Errorf("%w (say it with --name, --publisher, --licence and --attribution)", err)
	}
	raw, err := readBounded(files[0], proxies.MaxFileBytes)
	if err != nil {
		return err
	}
	ed, err := proxies.ReadFile(files[0], raw, src)
	if err != nil {
		return err
	}
	s, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	res, err := s.ImportProxyEdition(ctx, auth.Actor{User: &auth.User{Email: "svhub import proxies (command line)", IsAdmin: true}}, ed)
	if err != nil {
		return fmt.Errorf("%s: %w", files[0], err)
	}
	if !res.Created {
		fmt.Fprintf(e.stderr, "%s edition %s was already loaded with these values; nothing changed\n", src.Name, src.Edition)
	}
	sheets := map[string]int{}
	for _, sh := range ed.Sheets() {
		sheets[sh.Name] = sh.Values
	}
	if *format == "table" {
		fmt.Fprintf(e.stdout, "%s, edition %s: %d values (/proxies/%s)\n", src.Name, src.Edition, len(ed.Values), res.Slug)
		for _, sh := range ed.Sheets() {
			fmt.Fprintf(e.stdout, "  %-30s %6d\n", sh.Name, sh.Values)
		}
		return nil
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(map[string]any{"source": src.Name, "edition": src.Edition, "values": len(ed.Values), "sheets": sheets})
}

// importDeflator loads a price index such as the GDP deflator:
// svhub import deflator --source S --published DATE FILE.
func importDeflator(ctx context.Context, e env, args []string) error {
	f := newFlags(e, "import deflator", "import deflator --source S --published YYYY-MM-DD [--name N] [--format json|table] FILE\n\n"+
		"FILE is a CSV with the columns year (2013/14 or 2020) and index (such as HM Treasury's GDP deflator, any base year).")
	db := f.db()
	format := f.str("format", "json", "output: json or table")
	name := f.str("name", "GDP deflator", "the index's name")
	source := f.str("source", "", "who published the series and where, such as \"HM Treasury, GDP deflators at market prices, and money GDP\"")
	published := f.str("published", "", "the date that release of the series was published, YYYY-MM-DD")
	files, err := f.parse(args)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		f.Usage()
		return usageError{"say 'import deflator --source S --published YYYY-MM-DD FILE'"}
	}
	if *format != "json" && *format != "table" {
		return usageError{"--format must be json or table"}
	}
	if *source == "" {
		return usageError{"--source is required: say who published the series and where"}
	}
	if _, err := time.Parse(time.DateOnly, *published); err != nil {
		return usageError{"--published is required: the date the series was published, as YYYY-MM-DD"}
	}
	file, err := os.Open(files[0])
	if err != nil {
		return err
	}
	defer file.Close()
	years, err := proxies.ReadIndexCSV(file, files[0])
	if err != nil {
		return err
	}
	ix := proxies.Index{Name: *name, Source: *source, Published: *published, Years: years}
	if err := ix.Validate(); err != nil {
		return err
	}
	s, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	_, created, err := s.ImportPriceIndex(ctx, auth.Actor{User: &auth.User{Email: "svhub import deflator (command line)", IsAdmin: true}}, ix)
	if err != nil {
		return fmt.Errorf("%s: %w", files[0], err)
	}
	if !created {
		fmt.Fprintf(e.stderr, "%s published %s was already loaded with these values; nothing changed\n", ix.Name, ix.Published)
	}
	ys := ix.SortedYears()
	if *format == "table" {
		fmt.Fprintf(e.stdout, "%s, published %s (%s): %d years, %s to %s\n", ix.Name, ix.Published, ix.Source, len(ys), ys[0], ys[len(ys)-1])
		return nil
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(map[string]any{"index": ix.Name, "source": ix.Source, "published": ix.Published, "years": len(ys), "from": ys[0], "to": ys[len(ys)-1]})
}

// readBounded reads a whole file, refusing one larger than limit bytes.
func readBounded(name string, limit int64) ([]byte, error) {
	file, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	raw, err := io.ReadAll(io.LimitReader(file, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if int64(len(raw)) > limit {
		return nil, fmt.Errorf("%s: the file is larger than %d MB", name, limit>>20)
	}
	return raw, nil
}
