package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path"
	"strings"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/geo"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/store"
)

// MaxGeoUploadBytes bounds an uploaded postcode directory or IMD file: the
// whole-UK ONSPD zip is about 250 MB, its CSV about 1.3 GB.
const MaxGeoUploadBytes = 2 << 30

// geographyPage shows the postcode directory and IMD edition in force, the
// upload form and the latest imports and re-placing runs.
func (s *Server) geographyPage(w http.ResponseWriter, r *http.Request) error {
	if _, err := require(r, auth.ImportGeography, auth.Target{}); err != nil {
		return err
	}
	return s.renderGeography(w, r, http.StatusOK, url.Values{"kind": {store.GeoRunPostcodes}}, nil)
}

func (s *Server) renderGeography(w http.ResponseWriter, r *http.Request, status int, form url.Values, errs *problem.Invalid) error {
	rel, err := s.Store.GeoRelease(r.Context())
	if err != nil {
		return err
	}
	runs, err := s.Store.LatestGeoRuns(r.Context(), 10)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "geography", &page{Title: "Postcodes and deprivation", Form: form, Errors: errs,
		Data: map[string]any{"Release": rel, "Runs": runs, "MaxMB": MaxGeoUploadBytes >> 20}})
	return nil
}

// uploadGeography streams an uploaded directory or IMD file to a temporary
// file (never whole in memory), records the run and queues its import.
func (s *Server) uploadGeography(w http.ResponseWriter, r *http.Request) error {
	a, err := require(r, auth.ImportGeography, auth.Target{})
	if err != nil {
		return err
	}
	form := url.Values{}
	mr, err := r.MultipartReader()
	if err != nil {
		var v problem.Invalid
		v.Add("file", "Select the file to upload")
		return s.renderGeography(w, r, http.StatusUnprocessableEntity, form, &v)
	}
	var tmp, name string
	defer func() {
		if tmp != "" {
			os.Remove(tmp)
		}
	}()
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return s.geoUploadError(w, r, form, err)
		}
		switch field := part.FormName(); field {
		case "kind", "release":
			v, err := io.ReadAll(io.LimitReader(part, 200))
			if err != nil {
				return s.geoUploadError(w, r, form, err)
			}
			form.Set(field, strings.TrimSpace(string(v)))
		case "file":
			name = path.Base(strings.ReplaceAll(part.FileName(), `\`, "/"))
			if part.FileName() == "" {
				continue
			}
			if tmp != "" {
				os.Remove(tmp) // a second file part replaces the first
			}
			f, err := os.CreateTemp("", "svhub-geo-*-"+safeName(name))
			if err != nil {
				return err
			}
			tmp = f.Name()
			_, err = io.Copy(f, part)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return s.geoUploadError(w, r, form, err)
			}
		}
		part.Close()
	}
	var v problem.Invalid
	kind := form.Get("kind")
	if kind != store.GeoRunPostcodes && kind != store.GeoRunIMD {
		v.Add("kind", "Select a postcode directory or an Indices of Deprivation file")
	}
	low := strings.ToLower(name)
	switch {
	case tmp == "":
		v.Add("file", "Select the file to upload")
	case kind == store.GeoRunPostcodes && !strings.HasSuffix(low, ".zip") && !strings.HasSuffix(low, ".csv"):
		v.Add("file", "%s is not a .zip or .csv file: upload the ONSPD or NSPL zip as ONS publishes it, or the CSV inside it", name)
	case kind == store.GeoRunIMD && !strings.HasSuffix(low, ".csv") && !strings.HasSuffix(low, ".csv.gz"):
		v.Add("file", "%s is not a .csv or .csv.gz file: upload File 1 of the Indices of Deprivation as CSV", name)
	default:
		if why := geoContentMismatch(tmp, low); why != "" {
			v.Add("file", "%s %s", name, why)
		}
	}
	release := form.Get("release")
	if kind == store.GeoRunIMD && release != "" && release != "IoD2019" && release != "IoD2025" {
		v.Add("release", "Enter IoD2019 or IoD2025, or leave it empty to take the edition from the file's LSOA column")
	}
	if v.Err() != nil {
		return s.renderGeography(w, r, http.StatusUnprocessableEntity, form, &v)
	}
	id, err := s.Store.CreateGeoImport(r.Context(), a, kind, name, tmp, release)
	if err != nil {
		return err
	}
	tmp = "" // the job removes it once read
	return redirect(w, r, fmt.Sprintf("/admin/geography/runs/%d", id))
}

// geoUploadError re-shows the form for an upload that could not be read:
// too large, or broken off.
func (s *Server) geoUploadError(w http.ResponseWriter, r *http.Request, form url.Values, err error) error {
	var mbe *http.MaxBytesError
	msg := "The upload was interrupted; try again"
	if errors.As(err, &mbe) {
		msg = fmt.Sprintf("The file is larger than %d MB; upload the zip as ONS publishes it", MaxGeoUploadBytes>>20)
	}
	var v problem.Invalid
	v.Add("file", "%s", msg)
	return s.renderGeography(w, r, http.StatusUnprocessableEntity, form, &v)
}

// safeName keeps the letters, digits, dots and dashes of a file name, so the
// temporary file keeps its extension.
func safeName(name string) string {
	return strings.Map(func(r rune) rune {
		if r == '.' || r == '-' || r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
			return r
		}
		return '_'
	}, name)
}

// geographyRun shows an import's or re-placing run's progress; it reloads
// itself with htmx, and without JavaScript the person refreshes it.
func (s *Server) geographyRun(w http.ResponseWriter, r *http.Request) error {
	if _, err := require(r, auth.ImportGeography, auth.Target{}); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	run, err := s.Store.GeoRunByID(r.Context(), id)
	if err != nil {
		return err
	}
	var replace *store.GeoRun
	if run.Kind != store.GeoRunReplace && run.Status == "done" {
		// The re-placing run the import queued is the first after it.
		runs, err := s.Store.LatestGeoRuns(r.Context(), 20)
		if err != nil {
			return err
		}
		for i := len(runs) - 1; i >= 0; i-- {
			if runs[i].ID > run.ID && runs[i].Kind == store.GeoRunReplace {
				replace = &runs[i]
				break
			}
		}
	}
	title := map[string]string{store.GeoRunPostcodes: "Import of " + run.File, store.GeoRunIMD: "Import of " + run.File, store.GeoRunReplace: "Re-placing with " + run.Release}[run.Kind]
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "geography-run", &page{Title: title, Data: map[string]any{"Run": run, "Replace": replace,
		"Finished": run.Finished() && (replace == nil || replace.Finished()) && (run.Kind == store.GeoRunReplace || run.Status == "failed" || replace != nil)}})
	return nil
}

// spendIMD names the deprivation editions behind the spend report's
// deprived-neighbourhood shares: suppliers placed by their directory
// sites use the GM LSOA table, those placed by a public register their
// postcode's decile.
func (s *Server) spendIMD(r *http.Request) (string, error) {
	ed, err := s.Store.DeprivationEditions(r.Context())
	if err != nil {
		return "", err
	}
	if ed.Areas == ed.Postcodes {
		return geo.EditionName(ed.Areas), nil
	}
	return geo.EditionName(ed.Areas) + " for suppliers placed by their sites, " + geo.EditionName(ed.Postcodes) + " for those placed by a public register", nil
}

// geoContentMismatch reads the start of an uploaded file and says why it
// is not what its name claims (a zip, a gzip or a text CSV), so a renamed
// file is refused before a job is queued; "" when it matches.
func geoContentMismatch(path, lowName string) string {
	f, err := os.Open(path)
	if err != nil {
		return "could not be read back: " + err.Error()
	}
	defer f.Close()
	head := make([]byte, 4096)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	switch {
	case strings.HasSuffix(lowName, ".zip"):
		if !bytes.HasPrefix(head, []byte("PK\x03\x04")) {
			return "is not a zip file (its first bytes are not a zip's); upload the zip as ONS publishes it"
		}
	case strings.HasSuffix(lowName, ".gz"):
		if !bytes.HasPrefix(head, []byte{0x1f, 0x8b}) {
			return "is not gzip-compressed; upload the .csv, or a .csv.gz made with gzip"
		}
	default:
		if n == 0 {
			return "is empty"
		}
		if bytes.IndexByte(head, 0) >= 0 {
			return "is not a text CSV file (it holds binary bytes); upload the CSV as published"
		}
	}
	return ""
}
