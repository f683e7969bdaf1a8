// Command onspd is the postcode directory benchmark's helper.
//
//	go run ./bench/onspd gen -rows 2700000 -out FILE.csv
//
// writes a synthetic ONS Postcode Directory in the real ONSPD column order:
// every shipped Greater Manchester postcode (with its district, LSOA and
// IMD rank) first, then made-up postcodes in made-up outward codes across
// the UK's other local authorities until the row count is reached, about
// 1 in 5 of them withdrawn.
//
//	go run ./bench/onspd lookup -db DSN -n 100000
//
// times in-process ResolvePostcode calls on an imported database (a mix of
// GM postcodes, postcodes elsewhere and unknown ones) and prints the
// median, p99 and maximum.
package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/svhub/svhub/internal/geo"
	"github.com/svhub/svhub/internal/store"
)

var header = strings.Split("pcd,pcd2,pcds,dointr,doterm,oscty,ced,oslaua,osward,parish,usertype,oseast1m,osnrth1m,osgrdind,oshlthau,nhser,ctry,rgn,streg,pcon,eer,teclec,ttwa,pct,itl,statsward,oa01,casward,park,lsoa01,msoa01,ur01ind,oac01,oa11,lsoa11,msoa11,wz11,sicbl,bua11,buasd11,ru11ind,oac11,lat,long,lep1,lep2,pfa,imd,calncv,icb,oa21,lsoa21,msoa21", ",")

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: onspd gen|lookup [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "gen":
		err = gen(os.Args[2:])
	case "lookup":
		err = lookup(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func gen(args []string) error {
	fs := flag.NewFlagSet("gen", flag.ExitOnError)
	rows := fs.Int("rows", 2_700_000, "rows to write")
	out := fs.String("out", "onspd.csv", "output CSV")
	_ = fs.Parse(args)
	ref, err := geo.Load(geo.ShippedFS())
	if err != nil {
		return err
	}
	rank := map[string]int{}
	for _, l := range ref.LSOAs {
		rank[l.Code] = l.IMDRank
	}
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	w := csv.NewWriter(bw)
	_ = w.Write(header)
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	rec := make([]string, len(header))
	// The columns the import does not read hold codes of the real length,
	// so the file is as large as a real one (about 1.3 GB for 2.7 M rows).
	filler := make([]string, len(header))
	for i, h := range header {
		switch h {
		case "doterm", "lsoa21", "imd":
		case "usertype", "osgrdind", "ur01ind", "ru11ind":
			filler[i] = "1"
		case "oseast1m", "osnrth1m":
			filler[i] = "0385386"
		case "oac01", "oac11":
			filler[i] = "1C3"
		default:
			filler[i] = "E99999999"
		}
	}
	emit := func(set map[string]string) {
		copy(rec, filler)
		for k, v := range set {
			rec[col[k]] = v
		}
		_ = w.Write(rec)
	}
	n := 0
	for _, p := range ref.Postcodes {
		emit(map[string]string{"pcd": strings.ReplaceAll(p.Postcode, " ", ""), "pcd2": p.Postcode, "pcds": p.Postcode, "dointr": "198001", "oslaua": p.DistrictCode, "osward": p.WardCode,
			"lsoa11": p.LSOACode, "ctry": "E92000001", "rgn": "E12000002", "lat": fmt.Sprintf("%.6f", p.Lat), "long": fmt.Sprintf("%.6f", p.Lon), "imd": fmt.Sprint(rank[p.LSOACode])})
		n++
	}
	// Elsewhere: outward codes AA1..ZZ99 (none of GM's areas), 20 units a
	// sector, each outward code in one of 300 authorities.
	rng := rand.New(rand.NewPCG(1, 2))
	letters := "ABDEFGHJLNPQRSTUWXYZ"
	gm := map[string]bool{"M": true, "BL": true, "OL": true, "SK": true, "WN": true, "WA": true}
	for a := 0; n < *rows; a++ {
		area := string(rune('A'+a/26%26)) + string(rune('A'+a%26))
		if a >= 26*26 {
			return fmt.Errorf("ran out of areas at %d rows", n)
		}
		if gm[area] || strings.ContainsAny(area[:1], "QVX") || strings.ContainsAny(area[1:], "IJZ") {
			continue
		}
		for d := 1; d <= 99 && n < *rows; d++ {
			out := fmt.Sprintf("%s%d", area, d)
			lad := fmt.Sprintf("E06%06d", rng.IntN(300))
			for sec := 0; sec < 10 && n < *rows; sec++ {
				for u := 0; u < 20 && n < *rows; u++ {
					pc := fmt.Sprintf("%s %d%c%c", out, sec, letters[u%len(letters)], letters[(u*7+sec)%len(letters)])
					term := ""
					if rng.IntN(5) == 0 {
						term = fmt.Sprintf("%d%02d", 1990+rng.IntN(35), 1+rng.IntN(12))
					}
					emit(map[string]string{"pcd": strings.ReplaceAll(pc, " ", ""), "pcd2": pc, "pcds": pc, "dointr": "198001", "doterm": term, "oslaua": lad,
						"osward": fmt.Sprintf("E05%06d", rng.IntN(9000)), "lsoa11": fmt.Sprintf("E01%06d", rng.IntN(32844)), "lsoa21": fmt.Sprintf("E01%06d", rng.IntN(33755)),
						"ctry": "E92000001", "rgn": fmt.Sprintf("E1200000%d", 1+rng.IntN(9)), "lat": fmt.Sprintf("%.6f", 50+rng.Float64()*5), "long": fmt.Sprintf("%.6f", -5+rng.Float64()*6),
						"imd": fmt.Sprint(1 + rng.IntN(32844))})
					n++
				}
			}
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "%d rows written to %s\n", n, *out)
	return nil
}

func lookup(args []string) error {
	fs := flag.NewFlagSet("lookup", flag.ExitOnError)
	dsn := fs.String("db", "", "database")
	n := fs.Int("n", 100_000, "lookups")
	_ = fs.Parse(args)
	ctx := context.Background()
	s, err := store.Open(ctx, *dsn, false)
	if err != nil {
		return err
	}
	defer s.Close()
	ref, err := geo.Load(geo.ShippedFS())
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(3, 4))
	letters := "ABDEFGHJLNPQRSTUWXYZ"
	pick := func() string {
		switch rng.IntN(10) {
		case 0: // unknown GM postcode: the fallback
			return fmt.Sprintf("M%d %d%c%c", 1+rng.IntN(40), rng.IntN(10), 'A'+rune(rng.IntN(2)), 'Z')
		case 1, 2, 3: // elsewhere
			return fmt.Sprintf("A%c%d %d%c%c", 'A'+rune(rng.IntN(20)), 1+rng.IntN(99), rng.IntN(10), letters[rng.IntN(20)], letters[rng.IntN(20)])
		}
		return ref.Postcodes[rng.IntN(len(ref.Postcodes))].Postcode
	}
	for range 1000 { // warm the statement cache and the page cache
		if _, err := s.ResolvePostcode(ctx, pick()); err != nil {
			return err
		}
	}
	// Postcodes in the directory (GM and elsewhere) and unknown ones (the
	// fallback) are timed apart: they take different paths.
	var hit, miss []time.Duration
	for range *n {
		pc := pick()
		t0 := time.Now()
		p, err := s.ResolvePostcode(ctx, pc)
		if err != nil {
			return err
		}
		d := time.Since(t0)
		if p.Confidence == geo.Exact || p.Confidence == geo.Located {
			hit = append(hit, d)
		} else {
			miss = append(miss, d)
		}
	}
	for _, c := range []struct {
		name string
		lat  []time.Duration
	}{{"in the directory", hit}, {"not in it (fallback)", miss}} {
		if len(c.lat) == 0 {
			continue
		}
		slices.Sort(c.lat)
		fmt.Printf("%d lookups %s: median %v, p99 %v, max %v\n", len(c.lat), c.name, c.lat[len(c.lat)/2], c.lat[len(c.lat)*99/100], c.lat[len(c.lat)-1])
	}
	return nil
}
