package geo

import (
	"fmt"
	"strconv"
	"strings"
)

// IMDRow is one LSOA of an English Indices of Deprivation file.
type IMDRow struct {
	LSOA         string
	Rank, Decile int
}

// IMDColumns are the positions of an IoD file's columns, found by name:
// IoD2019 is on LSOA 2011 ("LSOA code (2011)"), IoD2025 on LSOA 2021.
type IMDColumns struct {
	LSOA, Rank, Decile int
	// Edition is IMD2019 for a file on LSOA 2011, IMD2025 on LSOA 2021.
	Edition string
}

// IMDHeader finds the LSOA code, IMD rank and IMD decile columns, and the
// edition from the LSOA column's year. It refuses a header without them,
// naming the columns it found.
func IMDHeader(header []string) (IMDColumns, error) {
	c := IMDColumns{LSOA: -1, Rank: -1, Decile: -1}
	var found []string
	for i, h := range header {
		k := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		found = append(found, k)
		imd := strings.Contains(k, "index of multiple deprivation") || strings.HasPrefix(k, "imd")
		switch {
		case c.LSOA < 0 && strings.Contains(k, "lsoa") && strings.Contains(k, "code"),
			c.LSOA < 0 && (k == "lsoa11cd" || k == "lsoa21cd"):
			c.LSOA = i
			switch {
			case strings.Contains(k, "2011") || strings.Contains(k, "11cd"):
				c.Edition = IMD2019
			case strings.Contains(k, "2021") || strings.Contains(k, "21cd"):
				c.Edition = IMD2025
			}
		case imd && strings.Contains(k, "rank") && c.Rank < 0:
			c.Rank = i
		case imd && strings.Contains(k, "decile") && c.Decile < 0:
			c.Decile = i
		}
	}
	if c.LSOA < 0 || c.Decile < 0 {
		return c, fmt.Errorf("not an Indices of Deprivation file: it needs an LSOA code column and an Index of Multiple Deprivation (IMD) Decile column; the columns are %s", strings.Join(found, ", "))
	}
	return c, nil
}

// Row reads one LSOA's rank and decile; ranks may carry thousands
// separators ("29,199").
func (c IMDColumns) Row(rec []string) (IMDRow, error) {
	get := func(i int) string {
		if i < 0 || i >= len(rec) {
			return ""
		}
		return strings.TrimSpace(rec[i])
	}
	r := IMDRow{LSOA: get(c.LSOA)}
	if len(r.LSOA) != 9 || r.LSOA[0] != 'E' && r.LSOA[0] != 'W' {
		return r, fmt.Errorf("%q is not an LSOA code", r.LSOA)
	}
	d, err := strconv.Atoi(get(c.Decile))
	if err != nil || d < 1 || d > 10 {
		return r, fmt.Errorf("LSOA %s: decile %q is not 1 to 10", r.LSOA, get(c.Decile))
	}
	r.Decile = d
	if s := strings.ReplaceAll(get(c.Rank), ",", ""); s != "" {
		if r.Rank, err = strconv.Atoi(s); err != nil || r.Rank < 1 {
			return r, fmt.Errorf("LSOA %s: rank %q is not a whole number", r.LSOA, get(c.Rank))
		}
	}
	return r, nil
}

// EditionName names an Indices of Deprivation edition for people: "IMD
// 2019" for IoD2019 (the default), "IMD 2025" for IoD2025.
func EditionName(edition string) string {
	if edition == IMD2025 {
		return "IMD 2025"
	}
	return "IMD 2019"
}
