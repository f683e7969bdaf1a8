package spend

import (
	_ "embed"
	"encoding/csv"
	"strconv"
	"strings"
)

// sicCSV is the SIC 2007 condensed list (code, description); see
// refdata/README.md for its source and licence.
//
//go:embed refdata/sic2007.csv
var sicCSV string

// sicNames maps each five-digit SIC 2007 code to its description, with
// "n.e.c." written out. It is built once from the shipped list and only read afterwards.
var sicNames = func() map[string]string {
	rows, err := csv.NewReader(strings.NewReader(sicCSV)).ReadAll()
	if err != nil {
		panic("spend: the shipped SIC 2007 list does not parse: " + err.Error())
	}
	m := make(map[string]string, len(rows))
	for _, r := range rows[1:] {
		// Written out, as Companies House's own service does.
		m[r[0]] = strings.ReplaceAll(r[1], "n.e.c.", "not elsewhere classified")
	}
	return m
}()

// SICName is the description of a five-digit SIC 2007 code, such as
// "Information technology consultancy activities" for 62020, or "" for a
// code not in the list.
func SICName(code string) string { return sicNames[strings.TrimSpace(code)] }

// Activity is one SIC 2007 code with its description (Name is "" when the
// code is not in the list).
type Activity struct{ Code, Name string }

// Activities names each code of a space- or comma-separated list of SIC
// 2007 codes, in order, so a page can show words with the code beside them.
func Activities(codes string) []Activity {
	var out []Activity
	for _, c := range strings.Fields(strings.ReplaceAll(codes, ",", " ")) {
		out = append(out, Activity{Code: c, Name: SICName(c)})
	}
	return out
}

// sicSections maps the first two digits of a SIC 2007 code (its division)
// to the section it belongs to.
var sicSections = []struct {
	from, to int
	label    string
}{
	{1, 3, "Agriculture, forestry and fishing"}, {5, 9, "Mining and quarrying"}, {10, 33, "Manufacturing"},
	{35, 35, "Energy supply"}, {36, 39, "Water, sewerage and waste"}, {41, 43, "Construction"},
	{45, 47, "Wholesale and retail; vehicle repair"}, {49, 53, "Transport and storage"}, {55, 56, "Accommodation and food"},
	{58, 63, "Information and communication"}, {64, 66, "Financial and insurance"}, {68, 68, "Real estate"},
	{69, 75, "Professional, scientific and technical"}, {77, 82, "Administrative and support services"},
	{84, 84, "Public administration and defence"}, {85, 85, "Education"}, {86, 88, "Health and social work"},
	{90, 93, "Arts, entertainment and recreation"}, {94, 96, "Other services"}, {97, 98, "Households as employers"},
	{99, 99, "Extraterritorial organisations"},
}

// Sector names the SIC 2007 section of the first code in codes (a list
// like "62020 85590" or Companies House's "62020 - Business and domestic
// software development"), or "" when there is none.
func Sector(codes string) string {
	for _, f := range strings.Fields(codes) {
		if len(f) < 4 || len(f) > 5 {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil {
			continue
		}
		div := n / 1000
		if len(f) == 4 {
			div = n / 100
		}
		for _, s := range sicSections {
			if div >= s.from && div <= s.to {
				return s.label
			}
		}
	}
	return ""
}
