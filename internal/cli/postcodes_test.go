package cli

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/svhub/svhub/internal/app"
	"github.com/svhub/svhub/internal/geo"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
)

// onspdHeader is the ONSPD column order (as in the February 2023 release).
var onspdHeader = strings.Split("pcd,pcd2,pcds,dointr,doterm,oscty,ced,oslaua,osward,parish,usertype,oseast1m,osnrth1m,osgrdind,oshlthau,nhser,ctry,rgn,streg,pcon,eer,teclec,ttwa,pct,itl,statsward,oa01,casward,park,lsoa01,msoa01,ur01ind,oac01,oa11,lsoa11,msoa11,wz11,sicbl,bua11,buasd11,ru11ind,oac11,lat,long,lep1,lep2,pfa,imd,calncv,icb,oa21,lsoa21,msoa21", ",")

// fixtureRow is one synthetic directory row, by column name.
type fixtureRow map[string]string

// writeONSPDFixture writes an ONSPD-layout zip as ONS publishes it
// (Data/ONSPD_…_UK.csv among documents and a names table) built from the
// shipped Trafford postcodes (every step-th one) with their shipped LSOA,
// ward and IMD rank, plus rows outside Greater Manchester, withdrawn rows
// and malformed rows; edit changes rows before they are written. The
// Trafford values come from the shipped ONS-derived tables (OGL v3.0);
// the Leeds, withdrawn and malformed rows are made up for the test.
func writeONSPDFixture(t *testing.T, dir, name string, step int, edit func(fixtureRow)) string {
	t.Helper()
	shipped := geo.ShippedFS()
	imdRank := map[string]string{}
	readShipped(t, shipped, "imd/gm_imd2019_lsoa.csv", func(get func(string) string) {
		imdRank[get("lsoa11cd")] = get("imd_rank")
	})
	var rows []fixtureRow
	i := 0
	readShipped(t, shipped, "geo/trafford_postcodes_lsoa11.csv", func(get func(string) string) {
		if i++; (i-1)%step != 0 {
			return
		}
		rows = append(rows, fixtureRow{"pcds": get("postcode"), "oslaua": get("la_code"), "osward": get("ward_code"), "lsoa11": get("lsoa_code"),
			"lsoa21": get("lsoa_code"), "ctry": "E92000001", "rgn": "E12000002", "lat": get("lat"), "long": get("lon"), "imd": imdRank[get("lsoa_code")], "dointr": "198001"})
	})
	rows = append(rows,
		fixtureRow{"pcds": "LS1 1UR", "oslaua": "E08000035", "osward": "E05011414", "lsoa11": "E01033010", "lsoa21": "E01033010", "ctry": "E92000001", "rgn": "E12000003", "lat": "53.799", "long": "-1.549", "imd": "5000", "dointr": "198001"},
		fixtureRow{"pcds": "LS2 9JT", "oslaua": "E08000035", "osward": "E05011416", "lsoa11": "E01033015", "lsoa21": "E01033015", "ctry": "E92000001", "rgn": "E12000003", "lat": "53.807", "long": "-1.553", "imd": "9000", "dointr": "198001"},
		// Withdrawn postcodes: one in Trafford, one in Leeds.
		fixtureRow{"pcds": "M33 7ZZ", "oslaua": "E08000009", "osward": rows[0]["osward"], "lsoa11": rows[0]["lsoa11"], "lsoa21": rows[0]["lsoa21"], "ctry": "E92000001", "rgn": "E12000002", "lat": rows[0]["lat"], "long": rows[0]["long"], "imd": rows[0]["imd"], "dointr": "198001", "doterm": "201906"},
		fixtureRow{"pcds": "LS1 9ZZ", "oslaua": "E08000035", "ctry": "E92000001", "rgn": "E12000003", "lat": "99.999999", "long": "0.000000", "dointr": "198001", "doterm": "200012"},
		// Malformed: not a postcode, and a postcode with no authority.
		fixtureRow{"pcds": "NOT A PC", "oslaua": "E08000009", "ctry": "E92000001"},
		fixtureRow{"pcds": "LS3 1AA", "oslaua": "E99999999", "ctry": "E92000001"},
	)
	var data bytes.Buffer
	w := csv.NewWriter(&data)
	_ = w.Write(onspdHeader)
	for _, r := range rows {
		if edit != nil {
			edit(r)
		}
		r["pcd"], r["pcd2"] = strings.ReplaceAll(r["pcds"], " ", ""), r["pcds"]
		rec := make([]string, len(onspdHeader))
		for j, h := range onspdHeader {
			rec[j] = r[h]
		}
		_ = w.Write(rec)
	}
	w.Flush()
	path := filepath.Join(dir, name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	base := strings.TrimSuffix(name, ".zip")
	for _, e := range []struct{ name, body string }{
		{"Documents/LA_UA names and codes UK as at 04_23.csv", "LAD23CD,LAD23NM,LAD23NMW\nE08000009,Trafford,\nE08000035,Leeds,\n"},
		{"Documents/Region names and codes EN as at 12_20 (RGN).csv", "RGN20CD,RGN20NM\nE12000002,North West\nE12000003,Yorkshire and The Humber\n"},
		{"User Guide/ONSPD User Guide.txt", "not data"},
		{"Data/multi_csv/" + base + "_LS.csv", "pcds,oslaua\nLS1 1UR,E08000035\n"},
		{"Data/" + base + ".csv", data.String()},
	} {
		zf, err := zw.Create(e.name)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = zf.Write([]byte(e.body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func readShipped(t *testing.T, fsys fs.FS, name string, row func(get func(string) string)) {
	t.Helper()
	f, err := fsys.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	header, err := r.Read()
	if err != nil {
		t.Fatal(err)
	}
	idx := map[string]int{}
	for i, h := range header {
		idx[h] = i
	}
	for {
		rec, err := r.Read()
		if err != nil {
			return
		}
		row(func(k string) string { return rec[idx[k]] })
	}
}

// runImport runs 'svhub import postcodes' against dsn.
func runImport(t *testing.T, dsn string, args ...string) (string, error) {
	t.Helper()
	var out, errs bytes.Buffer
	e := env{stdout: &out, stderr: &errs, getenv: func(string) string { return "" }}
	err := importCmd(context.Background(), e, append([]string{"postcodes", "--db", dsn}, args...))
	return out.String(), err
}

// eachDSN runs fn with a fresh, migrated database of each engine.
func eachDSN(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, "sqlite:"+filepath.Join(t.TempDir(), "svhub.db")) })
	t.Run("postgres", func(t *testing.T) {
		dsn := storetest.PostgresDSN(t)
		s, err := store.Open(context.Background(), dsn, true)
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
		fn(t, dsn)
	})
}

func resolve(t *testing.T, dsn, pc string) geo.Place {
	t.Helper()
	s, err := store.Open(context.Background(), dsn, false)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	p, err := s.ResolvePostcode(context.Background(), pc)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestImportPostcodes(t *testing.T) {
	dir := t.TempDir()
	feb := writeONSPDFixture(t, dir, "ONSPD_FEB_2025_UK.zip", 25, nil)
	// The May release moves one Trafford postcode's LSOA and withdraws LS1 1UR.
	var moved string
	may := writeONSPDFixture(t, dir, "ONSPD_MAY_2025_UK.zip", 25, func(r fixtureRow) {
		if moved == "" && r["oslaua"] == "E08000009" {
			moved, r["lsoa11"], r["lsoa21"] = r["pcds"], "E01006112", "E01006112"
		}
		if r["pcds"] == "LS1 1UR" {
			r["doterm"] = "202504"
		}
	})
	eachDSN(t, func(t *testing.T, dsn string) {
		out, err := runImport(t, dsn, feb)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out, `as "ONSPD February 2025"`) || !strings.Contains(out, "2 malformed rows") || !strings.Contains(out, "NOT A PC") || !strings.Contains(out, "LS3 1AA has no local authority") {
			t.Errorf("output: %s", out)
		}
		p := resolve(t, dsn, "M15 4AB")
		if p.Confidence != geo.Exact || p.DistrictName != "Trafford" || p.LSOACode != "E01006185" || p.LSOA21 != "E01006185" || p.WardName == "" || p.IMDDecile == 0 ||
			p.IMDEdition != geo.IMD2019 || p.Source != "ONSPD February 2025" || p.Lat == 0 || !p.InGM() {
			t.Errorf("M15 4AB: %+v", p)
		}
		p = resolve(t, dsn, "LS1 1UR")
		if p.InGM() || p.Elsewhere == nil || p.Elsewhere.Name != "Leeds" || p.Elsewhere.Region != "Yorkshire and The Humber" || p.DistrictCode != "" || p.IMDDecile != 2 {
			t.Errorf("LS1 1UR: %+v %+v", p, p.Elsewhere)
		}
		p = resolve(t, dsn, "M33 7ZZ")
		if p.Terminated != "2019-06" || p.DistrictName != "Trafford" || p.Confidence != geo.Exact {
			t.Errorf("withdrawn M33 7ZZ: %+v", p)
		}
		if p = resolve(t, dsn, "LS1 9ZZ"); p.Terminated != "2000-12" || p.Elsewhere == nil || p.Lat != 0 {
			t.Errorf("withdrawn LS1 9ZZ: %+v", p)
		}
		// A postcode in no release, in a sector the directory knows only in
		// Trafford, is placed by the sector: the directory is complete.
		if p = resolve(t, dsn, "M15 4ZY"); p.DistrictName != "Trafford" || p.Confidence != geo.BySector {
			t.Errorf("M15 4ZY: %+v", p)
		}
		before := directoryDump(t, dsn)
		// Importing the same file again changes nothing.
		if _, err := runImport(t, dsn, feb); err != nil {
			t.Fatal(err)
		}
		if after := directoryDump(t, dsn); after != before {
			t.Errorf("re-importing the same release changed the directory:\n%s\n%s", before, after)
		}
		// A second release replaces the first.
		if _, err := runImport(t, dsn, may); err != nil {
			t.Fatal(err)
		}
		if p = resolve(t, dsn, moved); p.LSOACode != "E01006112" || p.Source != "ONSPD May 2025" {
			t.Errorf("%s after May: %+v", moved, p)
		}
		if p = resolve(t, dsn, "LS1 1UR"); p.Terminated != "2025-04" {
			t.Errorf("LS1 1UR after May: %+v", p)
		}
		// A file without postcode and area columns is refused, naming the
		// columns, and changes nothing.
		bad := filepath.Join(t.TempDir(), "people.csv")
		_ = os.WriteFile(bad, []byte("name,town\nAda,Sale\n"), 0o600)
		_, err = runImport(t, dsn, bad)
		if err == nil || !strings.Contains(err.Error(), "the columns are name, town") {
			t.Errorf("refusal: %v", err)
		}
		if p = resolve(t, dsn, moved); p.Source != "ONSPD May 2025" {
			t.Errorf("after a refused file: %+v", p)
		}
	})
}

// directoryDump is the whole directory as text, to compare imports.
func directoryDump(t *testing.T, dsn string) string {
	t.Helper()
	s, err := store.Open(context.Background(), dsn, false)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var b strings.Builder
	for _, pc := range []string{"M15 4AB", "LS1 1UR", "LS2 9JT", "M33 7ZZ", "LS1 9ZZ"} {
		p, err := s.ResolvePostcode(context.Background(), pc)
		if err != nil {
			t.Fatal(err)
		}
		var elsewhere geo.LocalAuthority
		if p.Elsewhere != nil {
			elsewhere, p.Elsewhere = *p.Elsewhere, nil
		}
		fmt.Fprintf(&b, "%+v %+v\n", p, elsewhere)
	}
	n, err := s.DirectorySize(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "%d rows\n", n)
	return b.String()
}

func TestReleaseName(t *testing.T) {
	for in, want := range map[string]string{"ONSPD_FEB_2025_UK.zip": "ONSPD February 2025", "/x/NSPL_NOV_2024_UK.csv": "NSPL November 2024", "dir/onspd-may-2023.zip": "ONSPD May 2023", "NSPL21_FEB_2025_UK.zip": "NSPL February 2025", "postcodes.csv": "postcodes.csv"} {
		if got := app.ReleaseName(in); got != want {
			t.Errorf("%s: %q, want %q", in, got, want)
		}
	}
}

// A bare CSV (no names tables beside it) names areas from the shipped
// table: a Warrington supplier is "outside GM: Warrington".
func TestImportPostcodesCSVShippedNames(t *testing.T) {
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "svhub.db")
	file := filepath.Join(t.TempDir(), "NSPL_NOV_2024_UK.csv")
	_ = os.WriteFile(file, []byte("PCD7,PCDS,LAD24CD,WD24CD,RGN25CD,CTRY25CD\nWA1 1AA,WA1 1AA,E06000007,,E12000002,E92000001\nGY1 1AA,GY1 1AA,L99999999,,L99999999,L93000001\n"), 0o600)
	out, err := runImport(t, dsn, file)
	if err != nil || !strings.Contains(out, `Loaded 2 postcodes`) || !strings.Contains(out, `"NSPL November 2024"`) {
		t.Fatalf("%s %v", out, err)
	}
	if p := resolve(t, dsn, "WA1 1AA"); p.Elsewhere == nil || p.Elsewhere.Name != "Warrington" || p.Elsewhere.Region != "North West" {
		t.Errorf("WA1 1AA: %+v", p)
	}
	if p := resolve(t, dsn, "GY1 1AA"); p.Elsewhere == nil || p.Elsewhere.Name != "Channel Islands" {
		t.Errorf("GY1 1AA: %+v", p)
	}
}

// svhub import imd: IoD2019 (LSOA 2011, as MHCLG publishes File 1: byte
// order mark, CRLF, ranks with thousands separators) and IoD2025 (LSOA
// 2021) by column name; the edition is shown with every decile.
func TestImportIMD(t *testing.T) {
	dir := t.TempDir()
	feb := writeONSPDFixture(t, dir, "ONSPD_FEB_2025_UK.zip", 25, nil)
	iod19 := filepath.Join(dir, "File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv")
	_ = os.WriteFile(iod19, []byte("\ufeffLSOA code (2011),LSOA name (2011),Local Authority District code (2019),Local Authority District name (2019),Index of Multiple Deprivation (IMD) Rank,Index of Multiple Deprivation (IMD) Decile\r\n"+
		"E01006185,Trafford 001E,E08000009,Trafford,\"29,199\",9\r\nE01033010,Leeds 111A,E08000035,Leeds,\"1,000\",1\r\nbad,x,y,z,1,11\r\n"), 0o600)
	iod25 := filepath.Join(dir, "IoD2025_File_1.csv")
	_ = os.WriteFile(iod25, []byte("LSOA code (2021),LSOA name (2021),Index of Multiple Deprivation (IMD) Rank,Index of Multiple Deprivation (IMD) Decile\nE01006185,Trafford 001E,\"22,000\",7\n"), 0o600)
	eachDSN(t, func(t *testing.T, dsn string) {
		if _, err := runImport(t, dsn, feb); err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		e := env{stdout: &out, stderr: &out, getenv: func(string) string { return "" }}
		if err := importCmd(context.Background(), e, []string{"imd", "--db", dsn, iod19}); err != nil || !strings.Contains(out.String(), "Loaded IoD2019 for 2 LSOAs") || !strings.Contains(out.String(), `"bad" is not an LSOA code`) {
			t.Fatalf("%s %v", out.String(), err)
		}
		if p := resolve(t, dsn, "M15 4AB"); p.IMDDecile != 9 || p.IMDEdition != geo.IMD2019 {
			t.Errorf("M15 4AB after IoD2019: %+v", p)
		}
		if p := resolve(t, dsn, "LS1 1UR"); p.IMDDecile != 1 {
			t.Errorf("LS1 1UR after IoD2019: %+v", p)
		}
		out.Reset()
		if err := importCmd(context.Background(), e, []string{"imd", "--db", dsn, iod25}); err != nil {
			t.Fatalf("%s %v", out.String(), err)
		}
		if p := resolve(t, dsn, "M15 4AB"); p.IMDDecile != 7 || p.IMDEdition != geo.IMD2025 {
			t.Errorf("M15 4AB after IoD2025: %+v", p)
		}
		// An LSOA the 2025 file does not rank has no decile, not a 2019 one.
		if p := resolve(t, dsn, "LS1 1UR"); p.IMDDecile != 0 || p.IMDEdition != "" {
			t.Errorf("LS1 1UR after IoD2025: %+v", p)
		}
		bad := filepath.Join(t.TempDir(), "x.csv")
		_ = os.WriteFile(bad, []byte("code,score\nE01006185,3\n"), 0o600)
		if err := importCmd(context.Background(), e, []string{"imd", "--db", dsn, bad}); err == nil || !strings.Contains(err.Error(), "the columns are code, score") {
			t.Errorf("refusal: %v", err)
		}
		if p := resolve(t, dsn, "M15 4AB"); p.IMDEdition != geo.IMD2025 {
			t.Errorf("after a refused file: %+v", p)
		}
	})
}
