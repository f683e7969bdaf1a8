package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path"

	"github.com/svhub/svhub/internal/app"
)

// importPostcodes loads an ONS Postcode Directory (ONSPD) or National
// Statistics Postcode Lookup (NSPL), as ONS publishes it (the zip, or its
// data CSV), replacing the directory in force in one transaction
// (app.ImportPostcodeFile, which the web upload's job runs too).
func importPostcodes(ctx context.Context, e env, args []string) error {
	f := newFlags(e, "import postcodes", "import postcodes [--release NAME] FILE\n\nFILE is the ONSPD or NSPL zip as ONS publishes it, or the data CSV inside it. Columns are found by name (pcds, doterm, oslaua/laua/ladNNcd, osward/ward, lsoa11, lsoa21, rgn, ctry, imd, lat, long). The release name (\"ONSPD February 2025\") is taken from the file name unless --release gives it.")
	db := f.db()
	release := f.String("release", "", "the release's name, e.g. \"ONSPD February 2025\" (default: from the file name)")
	files, err := f.parse(args)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		f.Usage()
		return usageError{"say 'import postcodes FILE'"}
	}
	s, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := app.EnsureGeo(ctx, s, logger(io.Discard)); err != nil {
		return err
	}
	bar := rowProgress(e, path.Base(files[0]))
	res, err := app.ImportPostcodeFile(ctx, s, "svhub import postcodes (command line)", files[0], files[0], *release, bar.row)
	bar.done()
	if err != nil {
		return fmt.Errorf("%w (nothing was changed: the directory in force is the one before)", err)
	}
	fmt.Fprintf(e.stdout, "Loaded %d postcodes from %s as %q\n", res.Rows, files[0], res.Release)
	printBadRows(e, res)
	fmt.Fprintln(e.stdout, replaceNote)
	return nil
}

// replaceNote says what happens after an import.
const replaceNote = "Organisation sites, suppliers and ballots will be re-placed with the new data by the server's background jobs (svhub serve), which show their progress under Admin, Postcodes and deprivation."

// printBadRows lists an import's malformed rows.
func printBadRows(e env, res app.GeoImport) {
	if res.BadCount == 0 {
		return
	}
	fmt.Fprintf(e.stdout, "%d malformed rows were skipped", res.BadCount)
	if res.BadCount > len(res.Bad) {
		fmt.Fprintf(e.stdout, " (the first %d listed)", len(res.Bad))
	}
	fmt.Fprintln(e.stdout, ":")
	for _, b := range res.Bad {
		fmt.Fprintln(e.stdout, "  "+b)
	}
}

// importIMD loads an English Indices of Deprivation file (IoD2019 on LSOA
// 2011, or IoD2025 on LSOA 2021), found by column name.
func importIMD(ctx context.Context, e env, args []string) error {
	f := newFlags(e, "import imd", "import imd [--edition IoD2019|IoD2025] FILE\n\nFILE is the Indices of Deprivation File 1 (Index of Multiple Deprivation) as MHCLG publishes it as CSV (or .csv.gz): an LSOA code column and the IMD rank and decile columns, found by name. The edition follows from the LSOA column (2011: IoD2019, 2021: IoD2025) unless --edition gives it.")
	db := f.db()
	edition := f.String("edition", "", "IoD2019 or IoD2025 (default: from the LSOA column's year)")
	files, err := f.parse(args)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		f.Usage()
		return usageError{"say 'import imd FILE'"}
	}
	s, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := app.EnsureGeo(ctx, s, logger(io.Discard)); err != nil {
		return err
	}
	bar := rowProgress(e, path.Base(files[0]))
	res, err := app.ImportIMDFile(ctx, s, "svhub import imd (command line)", files[0], files[0], *edition, bar.row)
	bar.done()
	if errors.Is(err, app.ErrNoEdition) {
		return usageError{err.Error()}
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Loaded %s for %d LSOAs from %s\n", res.Release, res.Rows, files[0])
	printBadRows(e, res)
	fmt.Fprintln(e.stdout, replaceNote)
	return nil
}
