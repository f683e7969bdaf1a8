package geo

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// DirectoryRow is one postcode of the ONS Postcode Directory (ONSPD) or
// the National Statistics Postcode Lookup (NSPL).
type DirectoryRow struct {
	Postcode   string // normalised
	LAD        string // local authority district code
	Ward       string
	LSOA11     string
	LSOA21     string
	Region     string // region code (England) or country code
	Terminated string // YYYY-MM, "" when live
	IMDDecile  int    // from the file's IMD rank (England only); 0 when not given
	Lat, Lon   float64
	HasLatLon  bool
}

// DirectoryColumns are the positions of the columns a directory file
// gives, found by name: ONS renames them between releases (oslaua, laua,
// lad23cd …), so each field accepts its known spellings.
type DirectoryColumns struct {
	Postcode, LAD, Ward, LSOA11, LSOA21, Region, Country, Terminated, IMD, Lat, Lon int
	Found                                                                           []string
}

var (
	ladRe  = regexp.MustCompile(`^(oslaua|laua|lad\d{2}cd|ladcd|lad)$`)
	wardRe = regexp.MustCompile(`^(osward|ward|wd\d{2}cd|wdcd)$`)
)

// DirectoryHeader finds the columns of a directory file's header. It
// refuses a header without a postcode column and a local authority column,
// naming the columns it found.
func DirectoryHeader(header []string) (DirectoryColumns, error) {
	c := DirectoryColumns{Postcode: -1, LAD: -1, Ward: -1, LSOA11: -1, LSOA21: -1, Region: -1, Country: -1, Terminated: -1, IMD: -1, Lat: -1, Lon: -1}
	pcPref := 99
	for i, h := range header {
		k := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		c.Found = append(c.Found, k)
		switch {
		// pcds (one space) is preferred to pcd (7 characters) and pcd2 (8).
		case k == "pcds" || k == "pcd" || k == "pcd2" || k == "postcode":
			if p := map[string]int{"pcds": 0, "postcode": 1, "pcd": 2, "pcd2": 3}[k]; p < pcPref {
				c.Postcode, pcPref = i, p
			}
		case ladRe.MatchString(k):
			c.LAD = i
		case wardRe.MatchString(k):
			c.Ward = i
		case k == "lsoa11" || k == "lsoa11cd":
			c.LSOA11 = i
		case k == "lsoa21" || k == "lsoa21cd":
			c.LSOA21 = i
		case k == "rgn" || k == "gor" || k == "rgn25cd" || k == "rgncd":
			c.Region = i
		case k == "ctry" || k == "ctry25cd" || k == "ctrycd":
			c.Country = i
		case k == "doterm":
			c.Terminated = i
		case k == "imd" || strings.HasPrefix(k, "imd") && strings.HasSuffix(k, "ind"):
			c.IMD = i
		case k == "lat":
			c.Lat = i
		case k == "long" || k == "lon":
			c.Lon = i
		}
	}
	if c.Postcode < 0 || c.LAD < 0 {
		var missing []string
		if c.Postcode < 0 {
			missing = append(missing, "a postcode column (pcds, pcd or pcd2)")
		}
		if c.LAD < 0 {
			missing = append(missing, "a local authority column (oslaua, laua or ladNNcd)")
		}
		return c, fmt.Errorf("not a postcode directory: no %s; the columns are %s", strings.Join(missing, " and no "), strings.Join(c.Found, ", "))
	}
	return c, nil
}

// ShippedNames returns the shipped names of area codes: English local
// authorities (2019 codes, from IoD2019), English regions and the UK's
// countries. A directory zip's own names tables are read in preference.
func ShippedNames() (map[string]string, error) {
	names := map[string]string{}
	err := readCSV(ShippedFS(), "names/area_names.csv", []string{"code", "name"}, func(get func(string) string, _ int) error {
		names[get("code")] = get("name")
		return nil
	})
	return names, err
}

// englandLSOAs is the number of LSOAs IoD2019 ranks in England.
const englandLSOAs = 32844

// Row parses one record of a directory file. A row with no usable
// postcode, or with an unreadable field, is an error saying which.
func (c DirectoryColumns) Row(rec []string) (DirectoryRow, error) {
	get := func(i int) string {
		if i < 0 || i >= len(rec) {
			return ""
		}
		return strings.TrimSpace(rec[i])
	}
	var r DirectoryRow
	pc, err := NormalisePostcode(get(c.Postcode))
	if err != nil {
		return r, err
	}
	r.Postcode = pc
	r.LAD, r.Ward, r.LSOA11, r.LSOA21 = get(c.LAD), get(c.Ward), get(c.LSOA11), get(c.LSOA21)
	r.Region = get(c.Region)
	// Pseudo-codes (E99999999 and the like) mean "none".
	for _, f := range []*string{&r.LAD, &r.Ward, &r.LSOA11, &r.LSOA21, &r.Region} {
		if strings.HasSuffix(*f, "99999999") {
			*f = ""
		}
	}
	if r.Region == "" {
		r.Region = get(c.Country)
	}
	if r.LAD == "" {
		// The Channel Islands and the Isle of Man have no local authority
		// in the directory, only their own country code.
		if ctry := get(c.Country); strings.HasPrefix(ctry, "L93") || strings.HasPrefix(ctry, "M83") {
			r.LAD = ctry
		} else {
			return r, fmt.Errorf("postcode %s has no local authority", pc)
		}
	}
	if t := get(c.Terminated); t != "" {
		if len(t) != 6 {
			return r, fmt.Errorf("postcode %s: doterm %q is not a year and month (YYYYMM)", pc, t)
		}
		y, err1 := strconv.Atoi(t[:4])
		m, err2 := strconv.Atoi(t[4:])
		if err1 != nil || err2 != nil || m < 1 || m > 12 {
			return r, fmt.Errorf("postcode %s: doterm %q is not a year and month (YYYYMM)", pc, t)
		}
		r.Terminated = fmt.Sprintf("%04d-%02d", y, m)
	}
	if s := get(c.IMD); s != "" && strings.HasPrefix(r.LAD, "E") {
		rank, err := strconv.Atoi(s)
		if err != nil || rank < 0 {
			return r, fmt.Errorf("postcode %s: imd %q is not an IMD rank (a whole number)", pc, s)
		}
		// A rank beyond IoD2019's 32,844 LSOAs belongs to another edition
		// (IoD2025 ranks 33,755 LSOAs 2021): no decile is derived from it;
		// the IMD table loaded for the LSOA gives one instead.
		if rank > 0 && rank <= englandLSOAs {
			// MHCLG's deciles: decile d holds the ranks up to d tenths of
			// the LSOAs, rounded up (checked against every IoD2019 rank).
			r.IMDDecile = (rank*10 + englandLSOAs - 1) / englandLSOAs
		}
	}
	lat, lon := get(c.Lat), get(c.Lon)
	if lat != "" && lon != "" {
		la, err1 := strconv.ParseFloat(lat, 64)
		lo, err2 := strconv.ParseFloat(lon, 64)
		if err1 != nil || err2 != nil {
			return r, fmt.Errorf("postcode %s: lat/long %q, %q are not numbers", pc, lat, lon)
		}
		// ONSPD gives 99.999999, 0.000000 for a postcode with no grid reference.
		if la >= -90 && la <= 90 && lo >= -180 && lo <= 180 && la != 99.999999 {
			r.Lat, r.Lon, r.HasLatLon = la, lo, true
		}
	}
	return r, nil
}
