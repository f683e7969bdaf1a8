package cli

import (
	"archive/zip"
	"bufio"
	"compress/gzip"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/svhub/svhub/internal/app"
	"github.com/svhub/svhub/internal/geo"
	"github.com/svhub/svhub/internal/spend"
)

// maxListedBadRows is how many malformed rows an import lists.
const maxListedBadRows = 100

// importPostcodes loads an ONS Postcode Directory (ONSPD) or National
// Statistics Postcode Lookup (NSPL), as ONS publishes it (the zip, or its
// data CSV), replacing the directory in force in one transaction.
// directoryLimits bound every CSV the postcode and IMD imports read (the
// directory, its names tables, deprivation files): a whole ONSPD is 2.7
// million rows of about 60 cells in 1.3 GB, far inside them. The imports
// have no flags to raise them, so their errors name none (NoFlags).
var directoryLimits = spend.Limits{Bytes: 8 << 30, Cells: 500, Field: 4 << 10, Row: 64 << 10, NoFlags: true}

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
	name := *release
	if name == "" {
		name = releaseName(files[0])
	}
	src, err := openDirectory(files[0])
	if err != nil {
		return err
	}
	defer src.Close()
	s, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := app.EnsureGeo(ctx, s, logger(io.Discard)); err != nil {
		return err
	}
	bar := rowProgress(e, path.Base(files[0]))
	bad, badCount := []string{}, 0
	next := func() (geo.DirectoryRow, error) {
		for {
			rec, line, err := src.next()
			if err != nil {
				return geo.DirectoryRow{}, err
			}
			bar.row()
			r, err := src.cols.Row(rec)
			if err == nil {
				return r, nil
			}
			badCount++
			if len(bad) < maxListedBadRows {
				bad = append(bad, fmt.Sprintf("%s line %d: %v", src.current, line, err))
			}
		}
	}
	n, err := s.ImportDirectory(ctx, "svhub import postcodes (command line)", name, path.Base(files[0]), src.names, next, nil)
	bar.done()
	if err != nil {
		return fmt.Errorf("%w (nothing was changed: the directory in force is the one before)", err)
	}
	fmt.Fprintf(e.stdout, "Loaded %d postcodes from %s as %q\n", n, files[0], name)
	if badCount > 0 {
		fmt.Fprintf(e.stdout, "%d malformed rows were skipped", badCount)
		if badCount > len(bad) {
			fmt.Fprintf(e.stdout, " (the first %d listed)", len(bad))
		}
		fmt.Fprintln(e.stdout, ":")
		for _, b := range bad {
			fmt.Fprintln(e.stdout, "  "+b)
		}
	}
	return nil
}

var releaseRe = regexp.MustCompile(`(?i)(ONSPD|NSPL)\d*[_ -]*([A-Z]{3})[A-Z]*[_ -]*(\d{4})`)

// releaseName names a release from its file name ("ONSPD_FEB_2025_UK.zip"
// is "ONSPD February 2025"), or is the file's base name.
func releaseName(file string) string {
	m := releaseRe.FindStringSubmatch(path.Base(file))
	months := map[string]string{"JAN": "January", "FEB": "February", "MAR": "March", "APR": "April", "MAY": "May", "JUN": "June", "JUL": "July", "AUG": "August", "SEP": "September", "OCT": "October", "NOV": "November", "DEC": "December"}
	if m == nil || months[strings.ToUpper(m[2])] == "" {
		return path.Base(file)
	}
	return strings.ToUpper(m[1]) + " " + months[strings.ToUpper(m[2])] + " " + m[3]
}

// directorySource streams the records of a directory's data CSV (or its
// split files, one after another).
type directorySource struct {
	zr        *zip.ReadCloser
	file      *os.File
	parts     []func() (io.ReadCloser, error)
	names     map[string]string
	cur       io.ReadCloser
	r         *csv.Reader
	cols      geo.DirectoryColumns
	current   string
	partNames []string
	part      int
}

func (d *directorySource) Close() error {
	if d.cur != nil {
		d.cur.Close()
	}
	if d.zr != nil {
		return d.zr.Close()
	}
	if d.file != nil {
		return d.file.Close()
	}
	return nil
}

// openPart opens the next data part and reads its header.
func (d *directorySource) openPart() error {
	if d.cur != nil {
		d.cur.Close()
		d.cur = nil
	}
	rc, err := d.parts[d.part]()
	if err != nil {
		return err
	}
	d.cur, d.current = rc, d.partNames[d.part]
	d.part++
	d.r = csv.NewReader(spend.GuardCSV(bufio.NewReaderSize(rc, 1<<20), directoryLimits))
	d.r.ReuseRecord = true
	d.r.FieldsPerRecord = -1
	header, err := d.r.Read()
	if err != nil {
		return fmt.Errorf("%s: reading the header: %w", d.current, err)
	}
	cols, err := geo.DirectoryHeader(header)
	if err != nil {
		return fmt.Errorf("%s: %w", d.current, err)
	}
	d.cols = cols
	return nil
}

// next returns the next record and its line, io.EOF after the last part.
func (d *directorySource) next() ([]string, int, error) {
	for {
		rec, err := d.r.Read()
		if err == nil {
			line, _ := d.r.FieldPos(0)
			return rec, line, nil
		}
		if !errors.Is(err, io.EOF) {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, 0, fmt.Errorf("%s line %d: %w", d.current, pe.Line, err)
			}
			return nil, 0, fmt.Errorf("%s: %w", d.current, err)
		}
		if d.part >= len(d.parts) {
			return nil, 0, io.EOF
		}
		if err := d.openPart(); err != nil {
			return nil, 0, err
		}
	}
}

// openDirectory opens a directory file: a CSV, or the zip ONS publishes,
// whose data is Data/ONSPD_*.csv or Data/NSPL_*.csv (or split files under
// Data/multi_csv/) among documents. A names-and-codes CSV in the zip's
// Documents folder names local authorities, wards and regions. It refuses
// a file without postcode and area columns, naming the columns it found.
func openDirectory(file string) (*directorySource, error) {
	names, err := geo.ShippedNames()
	if err != nil {
		return nil, err
	}
	d := &directorySource{names: names}
	if !strings.EqualFold(path.Ext(file), ".zip") {
		f, err := os.Open(file)
		if err != nil {
			return nil, err
		}
		d.file = f
		d.parts = []func() (io.ReadCloser, error){func() (io.ReadCloser, error) { return io.NopCloser(f), nil }}
		d.partNames = []string{path.Base(file)}
		return d, d.openPart()
	}
	zr, err := zip.OpenReader(file)
	if err != nil {
		return nil, fmt.Errorf("%s: not a readable zip: %w", file, err)
	}
	d.zr = zr
	var single, split, other []*zip.File
	for _, zf := range zr.File {
		low := strings.ToLower(zf.Name)
		base := path.Base(low)
		if !strings.HasSuffix(low, ".csv") {
			continue
		}
		switch {
		case strings.Contains(low, "names and codes"):
			if err := readNames(zf, d); err != nil {
				zr.Close()
				return nil, err
			}
		case strings.HasPrefix(low, "data/") && (strings.HasPrefix(base, "onspd") || strings.HasPrefix(base, "nspl")):
			if strings.Contains(low, "multi_csv") {
				split = append(split, zf)
			} else {
				single = append(single, zf)
			}
		case !strings.HasPrefix(low, "documents/") && !strings.HasPrefix(low, "user guide"):
			other = append(other, zf)
		}
	}
	parts := single
	if len(parts) == 0 {
		parts = split
	}
	if len(parts) == 0 {
		parts = other
	}
	if len(parts) == 0 {
		zr.Close()
		return nil, fmt.Errorf("%s: no data CSV in the zip (expected Data/ONSPD_….csv or Data/NSPL_….csv)", file)
	}
	if len(parts) > 1 && len(single) > 0 {
		// Several full copies (e.g. a UK file and a country one): the largest is the UK's.
		slices.SortFunc(parts, func(a, b *zip.File) int { return int(b.UncompressedSize64>>20) - int(a.UncompressedSize64>>20) })
		parts = parts[:1]
	}
	slices.SortStableFunc(parts, func(a, b *zip.File) int { return strings.Compare(a.Name, b.Name) })
	for _, zf := range parts {
		d.parts = append(d.parts, zf.Open)
		d.partNames = append(d.partNames, path.Base(zf.Name))
	}
	return d, d.openPart()
}

// readNames adds the codes and names of a "… names and codes …" CSV: the
// first column ending CD and the first ending NM.
func readNames(zf *zip.File, d *directorySource) error {
	rc, err := zf.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	r := csv.NewReader(spend.GuardCSV(rc, directoryLimits))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return fmt.Errorf("%s: %w", zf.Name, err)
	}
	cd, nm := -1, -1
	for i, h := range header {
		h = strings.ToUpper(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if cd < 0 && strings.HasSuffix(h, "CD") {
			cd = i
		}
		if nm < 0 && strings.HasSuffix(h, "NM") {
			nm = i
		}
	}
	if cd < 0 || nm < 0 {
		return nil // not a names table we understand; the codes stay unnamed
	}
	if d.names == nil {
		d.names = map[string]string{}
	}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", zf.Name, err)
		}
		if cd < len(rec) && nm < len(rec) && rec[cd] != "" {
			d.names[strings.TrimSpace(rec[cd])] = strings.TrimSpace(rec[nm])
		}
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
	file, err := os.Open(files[0])
	if err != nil {
		return err
	}
	defer file.Close()
	var in io.Reader = bufio.NewReaderSize(file, 1<<20)
	if strings.HasSuffix(strings.ToLower(files[0]), ".gz") {
		zr, err := gzip.NewReader(in)
		if err != nil {
			return fmt.Errorf("%s: not gzip: %w", files[0], err)
		}
		defer zr.Close()
		in = zr
	}
	r := csv.NewReader(spend.GuardCSV(in, directoryLimits))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return fmt.Errorf("%s: reading the header: %w", files[0], err)
	}
	cols, err := geo.IMDHeader(header)
	if err != nil {
		return fmt.Errorf("%s: %w (nothing was changed)", files[0], err)
	}
	ed := *edition
	if ed == "" {
		ed = cols.Edition
	}
	if ed == "" {
		return usageError{fmt.Sprintf("%s: the LSOA column does not say 2011 or 2021; give --edition IoD2019 or IoD2025", files[0])}
	}
	var rows []geo.IMDRow
	var bad []string
	badCount := 0
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("%s: %w (nothing was changed)", files[0], err)
		}
		line, _ := r.FieldPos(0)
		row, err := cols.Row(rec)
		if err != nil {
			if badCount++; len(bad) < maxListedBadRows {
				bad = append(bad, fmt.Sprintf("%s line %d: %v", path.Base(files[0]), line, err))
			}
			continue
		}
		rows = append(rows, row)
	}
	s, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := app.EnsureGeo(ctx, s, logger(io.Discard)); err != nil {
		return err
	}
	n, err := s.ImportIMD(ctx, "svhub import imd (command line)", ed, path.Base(files[0]), rows)
	if err != nil {
		return fmt.Errorf("%w (nothing was changed)", err)
	}
	fmt.Fprintf(e.stdout, "Loaded %s for %d LSOAs from %s\n", ed, n, files[0])
	if badCount > 0 {
		fmt.Fprintf(e.stdout, "%d malformed rows were skipped:\n", badCount)
		for _, b := range bad {
			fmt.Fprintln(e.stdout, "  "+b)
		}
	}
	return nil
}
