package app

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
	"strconv"
	"strings"

	"github.com/svhub/svhub/internal/geo"
	"github.com/svhub/svhub/internal/jobs"
	"github.com/svhub/svhub/internal/spend"
	"github.com/svhub/svhub/internal/store"
)

// maxListedBadRows is how many malformed rows an import lists.
const maxListedBadRows = 100

// directoryLimits bound every CSV the postcode and IMD imports read (the
// directory, its names tables, deprivation files): a whole ONSPD is 2.7
// million rows of about 60 cells in 1.3 GB, far inside them. The imports
// have no flags to raise them, so their errors name none (NoFlags).
var directoryLimits = spend.Limits{Bytes: 8 << 30, Ratio: 400, Cells: 500, Field: 4 << 10, Row: 64 << 10, NoFlags: true}

// imdLimits bound a deprivation file, every row of which is held until
// the file is known to be good: England has under 34,000 LSOAs, so 100,000
// rows in 256 MiB (decompressed) is far more than a genuine file, and
// names-and-codes tables in a directory's zip (held as a map) the same.
var imdLimits = spend.Limits{Bytes: 256 << 20, Cells: 500, Field: 4 << 10, Row: 64 << 10, Rows: 100_000, NoFlags: true}

// maxNames bounds the area names a directory's zip may give in all (its
// names-and-codes tables name about 50,000 areas).
const maxNames = 500_000

// tooManyRows refuses a file, held in memory, of more rows than lim.Rows.
func tooManyRows(name string, line int, lim spend.Limits) error {
	return fmt.Errorf("%s %w", name, &spend.LimitError{Where: fmt.Sprintf("line %d", line), What: fmt.Sprintf("the file has more than %d rows", lim.Rows), Limit: "rows in the file", Max: lim.Rows})
}

// GeoImport is what a postcode directory or IMD import loaded.
type GeoImport struct {
	Rows     int      // postcodes or LSOAs loaded
	Release  string   // "ONSPD February 2025", "IoD2025"
	Bad      []string // the first malformed rows, "file line N: why"
	BadCount int
}

// ErrNoEdition: an IMD file whose LSOA column does not say its year, with
// no edition given.
var ErrNoEdition = errors.New("the LSOA column does not say 2011 or 2021; give the edition (IoD2019 or IoD2025)")

// ImportPostcodeFile loads an ONS Postcode Directory (ONSPD) or National
// Statistics Postcode Lookup (NSPL), as ONS publishes it (the zip, or its
// data CSV; file is where it is, name its own name), replacing the
// directory in force in one transaction and queueing the re-placing of
// everything that holds a postcode. release names it ("" takes it from the
// name); row, if set, is called for every row read.
func ImportPostcodeFile(ctx context.Context, s *store.Store, actor, file, name, release string, row func()) (GeoImport, error) {
	res := GeoImport{Release: release}
	if res.Release == "" {
		res.Release = ReleaseName(name)
	}
	src, err := openDirectory(file, name)
	if err != nil {
		return res, err
	}
	defer src.Close()
	next := func() (geo.DirectoryRow, error) {
		for {
			rec, line, err := src.next()
			if err != nil {
				return geo.DirectoryRow{}, err
			}
			if row != nil {
				row()
			}
			r, err := src.cols.Row(rec)
			if err == nil {
				return r, nil
			}
			res.BadCount++
			if len(res.Bad) < maxListedBadRows {
				res.Bad = append(res.Bad, fmt.Sprintf("%s line %d: %v", src.current, line, err))
			}
		}
	}
	res.Rows, err = s.ImportDirectory(ctx, actor, res.Release, path.Base(name), src.names, next, nil)
	return res, err
}

// ImportIMDFile loads an English Indices of Deprivation file (IoD2019 on
// LSOA 2011, or IoD2025 on LSOA 2021, as CSV or .csv.gz; file is where it
// is, name its own name), found by column name, and queues the re-placing
// of everything that holds a postcode. edition "" takes it from the LSOA
// column.
// progress is called for each row read.
func ImportIMDFile(ctx context.Context, s *store.Store, actor, file, name, edition string, progress func()) (GeoImport, error) {
	res := GeoImport{Release: edition}
	f, err := os.Open(file)
	if err != nil {
		return res, err
	}
	defer f.Close()
	var in io.Reader = bufio.NewReaderSize(f, 1<<20)
	if strings.HasSuffix(strings.ToLower(name), ".gz") {
		zr, err := gzip.NewReader(in)
		if err != nil {
			return res, fmt.Errorf("%s: not gzip: %w", name, err)
		}
		defer zr.Close()
		in = zr
	}
	r := csv.NewReader(spend.GuardCSV(in, imdLimits))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if errors.Is(err, spend.ErrLimit) {
		return res, fmt.Errorf("%s: %w", name, err) // the limit names its own line
	}
	if err != nil {
		return res, fmt.Errorf("%s: reading the header: %w", name, err)
	}
	cols, err := geo.IMDHeader(header)
	if err != nil {
		return res, fmt.Errorf("%s: %w (nothing was changed)", name, err)
	}
	if res.Release == "" {
		res.Release = cols.Edition
	}
	if res.Release == "" {
		return res, fmt.Errorf("%s: %w", name, ErrNoEdition)
	}
	var rows []geo.IMDRow
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return res, fmt.Errorf("%s: %w (nothing was changed)", name, err)
		}
		progress()
		line, _ := r.FieldPos(0)
		if int64(len(rows)+res.BadCount) >= imdLimits.Rows {
			return res, tooManyRows(name, line, imdLimits)
		}
		row, err := cols.Row(rec)
		if err != nil {
			if res.BadCount++; len(res.Bad) < maxListedBadRows {
				res.Bad = append(res.Bad, fmt.Sprintf("%s line %d: %v", path.Base(name), line, err))
			}
			continue
		}
		rows = append(rows, row)
	}
	res.Rows, err = s.ImportIMD(ctx, actor, res.Release, path.Base(name), rows)
	if err != nil {
		return res, fmt.Errorf("%w (nothing was changed)", err)
	}
	return res, nil
}

// GeoImportJob is the background job that imports an uploaded postcode
// directory or IMD file (a geography run), reporting the rows read on the
// run's page. A file that cannot be imported fails the run with the
// reason and is not retried; the upload's temporary file is removed once
// the run has ended.
func GeoImportJob(s *store.Store) jobs.Handler {
	return func(ctx context.Context, payload string) error {
		id, err := strconv.ParseInt(payload, 10, 64)
		if err != nil {
			return fmt.Errorf("geography import: bad payload %q", payload)
		}
		run, err := s.GeoRunByID(ctx, id)
		if err != nil || run.Finished() {
			return err
		}
		if _, err := os.Stat(run.Path); err != nil {
			return s.SetGeoRun(ctx, id, "failed", "The uploaded file is no longer on this server ("+err.Error()+"); upload it again", 0, nil)
		}
		if err := s.SetGeoRun(ctx, id, "running", "Importing "+run.File, 0, nil); err != nil {
			return err
		}
		rows, done := s.GeoRunProgress(id)
		defer done()
		actor := fmt.Sprintf("geography import job (run %d, uploaded on the web)", id)
		var res GeoImport
		switch run.Kind {
		case store.GeoRunPostcodes:
			res, err = ImportPostcodeFile(ctx, s, actor, run.Path, run.File, run.Release, func() { rows.Add(1) })
		default:
			res, err = ImportIMDFile(ctx, s, actor, run.Path, run.File, run.Release, func() { rows.Add(1) })
		}
		if err != nil && ctx.Err() != nil {
			return err // the node is stopping: the transaction rolled back; the job runs again
		}
		if err != nil {
			_ = s.SetGeoRun(context.WithoutCancel(ctx), id, "failed", err.Error()+" (nothing was changed: the data in force is the one before)", rows.Load(), res.Bad)
			os.Remove(run.Path)
			return nil
		}
		what := "postcodes"
		if run.Kind == store.GeoRunIMD {
			what = "LSOAs"
		}
		detail := fmt.Sprintf("Loaded %d %s as %s; everything that holds a postcode is being re-placed", res.Rows, what, res.Release)
		if res.BadCount > 0 {
			detail += fmt.Sprintf("; %d malformed rows were skipped", res.BadCount)
		}
		err = s.SetGeoRun(ctx, id, "done", detail, max(rows.Load(), int64(res.Rows)), res.Bad)
		os.Remove(run.Path)
		return err
	}
}

// GeoReplaceJob is the background job that re-places everything holding
// a postcode after an import (store.Replace); it resumes where a run taken
// over from another node stopped.
func GeoReplaceJob(s *store.Store) jobs.Handler {
	return func(ctx context.Context, payload string) error {
		id, err := strconv.ParseInt(payload, 10, 64)
		if err != nil {
			return fmt.Errorf("re-placing: bad payload %q", payload)
		}
		return s.Replace(ctx, id)
	}
}

var releaseRe = regexp.MustCompile(`(?i)(ONSPD|NSPL)\d*[_ -]*([A-Z]{3})[A-Z]*[_ -]*(\d{4})`)

// ReleaseName names a release from its file name ("ONSPD_FEB_2025_UK.zip"
// is "ONSPD February 2025"), or is the file's base name.
func ReleaseName(file string) string {
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
	if errors.Is(err, spend.ErrLimit) {
		return fmt.Errorf("%s: %w", d.current, err) // the limit names its own line
	}
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
func openDirectory(file, name string) (*directorySource, error) {
	names, err := geo.ShippedNames()
	if err != nil {
		return nil, err
	}
	d := &directorySource{names: names}
	if !strings.EqualFold(path.Ext(name), ".zip") {
		f, err := os.Open(file)
		if err != nil {
			return nil, err
		}
		d.file = f
		d.parts = []func() (io.ReadCloser, error){func() (io.ReadCloser, error) { return io.NopCloser(f), nil }}
		d.partNames = []string{path.Base(name)}
		return d, d.openPart()
	}
	zr, err := zip.OpenReader(file)
	if err != nil {
		return nil, fmt.Errorf("%s: not a readable zip: %w", name, err)
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
		return nil, fmt.Errorf("%s: no data CSV in the zip (expected Data/ONSPD_….csv or Data/NSPL_….csv)", name)
	}
	if len(parts) > 1 && len(single) > 0 {
		// Several full copies (e.g. a UK file and a country one): the largest is the UK's.
		slices.SortFunc(parts, func(a, b *zip.File) int { return int(b.UncompressedSize64>>20) - int(a.UncompressedSize64>>20) })
		parts = parts[:1]
	}
	slices.SortStableFunc(parts, func(a, b *zip.File) int { return strings.Compare(a.Name, b.Name) })
	for _, zf := range parts {
		d.parts = append(d.parts, func() (io.ReadCloser, error) { return spend.OpenZipMember(zf, zf.Name, directoryLimits) })
		d.partNames = append(d.partNames, path.Base(zf.Name))
	}
	return d, d.openPart()
}

// readNames adds the codes and names of a "… names and codes …" CSV: the
// first column ending CD and the first ending NM.
func readNames(zf *zip.File, d *directorySource) error {
	rc, err := spend.OpenZipMember(zf, zf.Name, imdLimits)
	if err != nil {
		return err
	}
	defer rc.Close()
	r := csv.NewReader(spend.GuardCSV(rc, imdLimits))
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
			if len(d.names) >= maxNames {
				line, _ := r.FieldPos(0)
				return fmt.Errorf("%s %w", zf.Name, &spend.LimitError{Where: fmt.Sprintf("line %d", line), What: fmt.Sprintf("the zip's names-and-codes tables name more than %d areas", maxNames), Limit: "names in a directory", Max: maxNames})
			}
			d.names[strings.TrimSpace(rec[cd])] = strings.TrimSpace(rec[nm])
		}
	}
}
