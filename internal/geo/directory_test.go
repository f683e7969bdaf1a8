package geo

import (
	"strings"
	"testing"
)

func TestDirectoryHeader(t *testing.T) {
	onspd := strings.Split("pcd,pcd2,pcds,dointr,doterm,oscty,ced,oslaua,osward,parish,usertype,oseast1m,osnrth1m,osgrdind,oshlthau,nhser,ctry,rgn,streg,pcon,eer,teclec,ttwa,pct,itl,statsward,oa01,casward,park,lsoa01,msoa01,ur01ind,oac01,oa11,lsoa11,msoa11,wz11,sicbl,bua11,buasd11,ru11ind,oac11,lat,long,lep1,lep2,pfa,imd,calncv,icb,oa21,lsoa21,msoa21", ",")
	c, err := DirectoryHeader(onspd)
	if err != nil || onspd[c.Postcode] != "pcds" || onspd[c.LAD] != "oslaua" || onspd[c.Ward] != "osward" || onspd[c.LSOA11] != "lsoa11" || onspd[c.LSOA21] != "lsoa21" ||
		onspd[c.Terminated] != "doterm" || onspd[c.IMD] != "imd" || onspd[c.Lat] != "lat" || onspd[c.Lon] != "long" || onspd[c.Region] != "rgn" {
		t.Fatalf("ONSPD: %+v %v", c, err)
	}
	// NSPL and later releases spell the areas differently.
	nspl := strings.Split("\ufeffPCD7,PCD8,PCDS,DOINTR,DOTERM,USRTYPIND,EAST1M,NRTH1M,OA21CD,LAD24CD,WD24CD,LSOA21CD,RGN25CD,CTRY25CD,LAT,LONG,IMD19IND", ",")
	if c, err = DirectoryHeader(nspl); err != nil || c.Postcode != 2 || c.LAD != 9 || c.Ward != 10 || c.LSOA21 != 11 || c.IMD != 16 || c.Lon != 15 {
		t.Fatalf("NSPL: %+v %v", c, err)
	}
	_, err = DirectoryHeader([]string{"name", "pcds"})
	if err == nil || !strings.Contains(err.Error(), "local authority") || !strings.Contains(err.Error(), "the columns are name, pcds") {
		t.Fatalf("refusal: %v", err)
	}
}

func TestDirectoryRow(t *testing.T) {
	c, _ := DirectoryHeader(strings.Split("pcds,doterm,oslaua,osward,lsoa11,lsoa21,rgn,ctry,imd,lat,long", ","))
	r, err := c.Row(strings.Split("m15 4ab,201906,E08000009,E05000825,E01006185,E01006185,E12000002,E92000001,6568,53.46,-2.26", ","))
	if err != nil || r.Postcode != "M15 4AB" || r.Terminated != "2019-06" || r.IMDDecile != 2 || !r.HasLatLon || r.Region != "E12000002" {
		t.Fatalf("%+v %v", r, err)
	}
	if r, _ = c.Row(strings.Split("M15 4AB,,E08000009,,,,E99999999,E92000001,6569,99.999999,0.000000", ",")); r.IMDDecile != 3 || r.HasLatLon || r.Region != "E92000001" {
		t.Fatalf("pseudo codes and no grid reference: %+v", r)
	}
	for _, bad := range []string{"NOTAPC,,E08000009,,,,,,,,", "M15 4AB,2019,E08000009,,,,,,,,", "M15 4AB,,E99999999,,,,,,,,", "M15 4AB,,E08000009,,,,,,-5,,", "M15 4AB,,E08000009,,,,,,,x,y"} {
		if _, err := c.Row(strings.Split(bad, ",")); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
	// Scottish and Welsh ranks are other indices: no English decile.
	if r, _ = c.Row(strings.Split("EH1 1AA,,S12000036,,,,,S92000003,100,,", ",")); r.IMDDecile != 0 {
		t.Errorf("Scotland: %+v", r)
	}
}

// The directory row parser and the postcode normaliser together: any
// record either fails with an error or gives a normalised postcode, an
// authority, a well-formed end date and a decile from 0 to 10.
func FuzzDirectoryRow(f *testing.F) {
	c, _ := DirectoryHeader(strings.Split("pcds,doterm,oslaua,osward,lsoa11,lsoa21,rgn,ctry,imd,lat,long", ","))
	f.Add("M15 4AB", "201906", "E08000009", "6568", "53.46", "-2.26")
	f.Add("ls11ur", "", "E08000035", "", "99.999999", "0.000000")
	f.Add("M1 IAE", "200013", "E99999999", "-1", "x", "")
	f.Fuzz(func(t *testing.T, pc, term, lad, imd, lat, lon string) {
		r, err := c.Row([]string{pc, term, lad, "", "", "", "", "", imd, lat, lon})
		if err != nil {
			return
		}
		if n, err := NormalisePostcode(r.Postcode); err != nil || n != r.Postcode {
			t.Fatalf("%q gave postcode %q, not normalised", pc, r.Postcode)
		}
		if r.LAD == "" || r.IMDDecile < 0 || r.IMDDecile > 10 {
			t.Fatalf("%+v", r)
		}
		if r.Terminated != "" && (len(r.Terminated) != 7 || r.Terminated[4] != '-') {
			t.Fatalf("end date %q", r.Terminated)
		}
		if r.HasLatLon && (r.Lat < -90 || r.Lat > 90 || r.Lon < -180 || r.Lon > 180) {
			t.Fatalf("lat/lon %v %v", r.Lat, r.Lon)
		}
	})
}
