package web_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/app"
	"github.com/svhub/svhub/internal/store"
)

// uploadGeography posts a postcode directory or IMD file to the admin page.
func uploadGeography(t *testing.T, c *http.Client, base, kind, release, name, body string) *http.Response {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	_ = mw.WriteField("kind", kind)
	_ = mw.WriteField("release", release)
	if name != "" {
		fw, _ := mw.CreateFormFile("file", name)
		_, _ = fw.Write([]byte(body))
	}
	_ = mw.Close()
	res, err := c.Post(base+"/admin/geography/upload", mw.FormDataContentType(), &b)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res
}

// runGeoJobs runs the queued geography jobs (the import, then the
// re-placing it queues) as serve's job runner would.
func runGeoJobs(t *testing.T, s *store.Store) {
	t.Helper()
	for {
		j, ok, err := s.ClaimJob(bg, "test", time.Now(), time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			return
		}
		switch j.Kind {
		case store.GeoImportJob:
			err = app.GeoImportJob(s)(bg, j.Payload)
		case store.GeoReplaceJob:
			err = app.GeoReplaceJob(s)(bg, j.Payload)
		}
		if ferr := s.FinishJob(bg, j.ID, "test", err, nil); ferr != nil || err != nil {
			t.Fatalf("job %s: %v %v", j.Kind, err, ferr)
		}
	}
}

// Only a hub administrator may upload a postcode directory; the upload is
// imported by a background job whose page shows its progress and result,
// the re-placing that follows, and a bad file's reason; bad forms re-render
// with the error summary.
func TestGeographyUpload(t *testing.T) {
	h := newHub(t)
	admin := h.signedIn(t, "admin@example.org")
	for _, who := range []string{"buyer@example.org", "resident@example.org"} {
		c := h.signedIn(t, who)
		if res, _ := get(t, c, h.URL+"/admin/geography"); res.StatusCode != http.StatusForbidden {
			t.Fatalf("%s sees the geography page: %d", who, res.StatusCode)
		}
		if res := uploadGeography(t, c, h.URL, "postcodes", "", "d.csv", "pcds,oslaua\nM32 0JG,E08000009\n"); res.StatusCode != http.StatusForbidden {
			t.Fatalf("%s uploaded a directory: %d", who, res.StatusCode)
		}
	}
	if res := uploadGeography(t, h.client(t), h.URL, "postcodes", "", "d.csv", "pcds,oslaua\n"); res.StatusCode != http.StatusUnauthorized && res.StatusCode != http.StatusSeeOther {
		t.Fatalf("signed out upload: %d", res.StatusCode)
	}
	res, page := get(t, admin, h.URL+"/admin/geography")
	if res.StatusCode != 200 || !strings.Contains(page, "Postcode data in force") || !strings.Contains(page, `enctype="multipart/form-data"`) {
		t.Fatalf("geography page: %d\n%s", res.StatusCode, page)
	}

	// Bad forms: no file, a file of the wrong kind, a bad edition, a file
	// whose content is not what its name says.
	for _, c := range []struct{ kind, release, name, content, want string }{
		{"postcodes", "", "", "", "Select the file to upload"},
		{"postcodes", "", "d.xlsx", "", "d.xlsx is not a .zip or .csv file"},
		{"imd", "IoD2030", "imd.csv", "", "Enter IoD2019 or IoD2025"},
		{"", "", "d.csv", "", "Select a postcode directory or an Indices of Deprivation file"},
		{"postcodes", "", "ONSPD.zip", "pcds,oslaua\n", "ONSPD.zip is not a zip file"},
		{"imd", "", "imd.csv.gz", "lsoa11cd\n", "imd.csv.gz is not gzip-compressed"},
		{"postcodes", "", "d.csv", "MZ\x90\x00\x03", "d.csv is not a text CSV file"},
	} {
		if c.content == "" {
			c.content = "x"
		}
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		_ = mw.WriteField("kind", c.kind)
		_ = mw.WriteField("release", c.release)
		if c.name != "" {
			fw, _ := mw.CreateFormFile("file", c.name)
			_, _ = fw.Write([]byte(c.content))
		}
		_ = mw.Close()
		res, err := admin.Post(h.URL+"/admin/geography/upload", mw.FormDataContentType(), &b)
		if err != nil {
			t.Fatal(err)
		}
		body := new(bytes.Buffer)
		_, _ = body.ReadFrom(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body.String(), "There is a problem") || !strings.Contains(body.String(), c.want) {
			t.Fatalf("%+v: %d\n%s", c, res.StatusCode, body)
		}
	}

	// A directory placing a demo site's postcode elsewhere.
	sites, _ := h.store.OrganisationBySlug(bg, "manchester-city-council")
	if len(sites.Sites) == 0 {
		t.Fatal("the demo council has no site")
	}
	pc := sites.Sites[0].Postcode
	csv := "pcds,doterm,oslaua,osward,rgn,ctry\n" + pc + ",,E08000009,,E12000002,E92000001\nLS1 1AA,,E08000035,,E12000003,E92000001\nnot a postcode,,E08000035,,,\n"
	res = uploadGeography(t, admin, h.URL, "postcodes", "ONSPD Test 2026", "ONSPD_TEST.csv", csv)
	loc := res.Header.Get("Location")
	var id int64
	if _, err := fmt.Sscanf(loc, "/admin/geography/runs/%d", &id); err != nil || res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d %q", res.StatusCode, loc)
	}
	run, _ := h.store.GeoRunByID(bg, id)
	if _, err := os.Stat(run.Path); err != nil || run.Status != "queued" {
		t.Fatalf("queued run: %v %+v", err, run)
	}
	if _, page := get(t, admin, h.URL+loc); !strings.Contains(page, "Waiting") || !strings.Contains(page, `hx-get="`+loc+`"`) || !strings.Contains(page, "refresh it") {
		t.Fatalf("queued run page:\n%s", page)
	}
	runGeoJobs(t, h.store)
	_, page = get(t, admin, h.URL+loc)
	for _, want := range []string{"Loaded 2 postcodes as ONSPD Test 2026", "1 malformed rows were skipped", "ONSPD_TEST.csv line 4", "Re-placing everything that holds a postcode", "Moved to another place"} {
		if !strings.Contains(page, want) {
			t.Fatalf("finished run page lacks %q:\n%s", want, page)
		}
	}
	if strings.Contains(page, "hx-get") {
		t.Fatal("a finished run's page still polls")
	}
	if run, _ = h.store.GeoRunByID(bg, id); run.Path != "" {
		t.Fatalf("the temporary file is still recorded: %+v", run)
	}
	if _, err := os.Stat(run.Path); run.Path != "" || err == nil {
		t.Fatal("the temporary file was kept")
	}
	o, _ := h.store.OrganisationBySlug(bg, "manchester-city-council")
	if o.Sites[0].DistrictCode != "E08000009" {
		t.Fatalf("the council's site was not re-placed: %+v", o.Sites[0])
	}
	if rel, _ := h.store.GeoRelease(bg); rel.Postcodes != "ONSPD Test 2026" {
		t.Fatalf("release %+v", rel)
	}
	events, err := h.store.ListAudit(bg, store.AuditFilter{Action: "geo.", Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range events {
		seen[e.Action] = true
	}
	if !seen["geo.upload"] || !seen["geo.import_postcodes"] || !seen["geo.replace"] {
		t.Fatalf("audit: %v", seen)
	}

	// The published demo round keeps the release that placed its voters.
	if _, page := get(t, admin, h.URL+"/priorities/1/results"); !strings.Contains(page, "Voters were placed in districts with Shipped Greater Manchester tables") {
		t.Fatalf("published results do not name the shipped release:\n%s", page)
	}

	// An IoD2025 file: imported by the job, the edition in force after it.
	res = uploadGeography(t, admin, h.URL, "imd", "", "File_1_IoD2025.csv", "LSOA code (2021),LSOA name (2021),Index of Multiple Deprivation (IMD) Rank,Index of Multiple Deprivation (IMD) Decile\nE01006080,Trafford 001A,9000,3\nE01000001,City of London 001A,29000,9\n")
	loc = res.Header.Get("Location")
	runGeoJobs(t, h.store)
	if _, page := get(t, admin, h.URL+loc); !strings.Contains(page, "Loaded 2 LSOAs as IoD2025") {
		t.Fatalf("IMD run page:\n%s", page)
	}
	if rel, _ := h.store.GeoRelease(bg); rel.IMD != "IoD2025" {
		t.Fatalf("IMD release %+v", rel)
	}

	// A file without postcode columns fails the run naming its columns;
	// the directory in force stays.
	res = uploadGeography(t, admin, h.URL, "postcodes", "", "wrong.csv", "name,amount\nA,1\n")
	loc = res.Header.Get("Location")
	runGeoJobs(t, h.store)
	_, page = get(t, admin, h.URL+loc)
	if !strings.Contains(page, "Failed") || !strings.Contains(page, "the columns are name, amount") || !strings.Contains(page, "nothing was changed") {
		t.Fatalf("failed run page:\n%s", page)
	}
	if rel, _ := h.store.GeoRelease(bg); rel.Postcodes != "ONSPD Test 2026" {
		t.Fatalf("release after a failed import %+v", rel)
	}
}
