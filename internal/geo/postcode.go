// Package geo handles Greater Manchester reference geography: UK postcode
// normalisation, postcode → LSOA / ward / district / IMD resolution rules,
// and reading the ONS/MHCLG reference files the hub ships.
package geo

import (
	"fmt"
	"regexp"
	"strings"
)

// Postcode shapes (BS 7666): outward A9, A99, AA9, AA99, A9A, AA9A; inward 9AA.
// The inward letters never include C I K M O V.
var (
	outwardRe = regexp.MustCompile(`^(?:[A-PR-UWYZ][0-9]{1,2}|[A-PR-UWYZ][A-HK-Y][0-9]{1,2}|[A-PR-UWYZ][0-9][A-HJKPSTUW]|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])$`)
	inwardRe  = regexp.MustCompile(`^[0-9][ABD-HJLNP-UW-Z]{2}$`)
)

// NormalisePostcode returns the canonical form ("M1 1AE") of s, fixing case,
// spacing and the common letter/digit confusions, or an error that says why
// s cannot be a postcode.
func NormalisePostcode(s string) (string, error) {
	c := strings.ToUpper(strings.Join(strings.Fields(s), ""))
	if c == "" {
		return "", fmt.Errorf("enter a postcode")
	}
	if len(c) < 5 || len(c) > 7 {
		return "", fmt.Errorf("%q is not a postcode: a full postcode has 5 to 7 letters and numbers, like M1 1AE", strings.TrimSpace(s))
	}
	out, in := c[:len(c)-3], []byte(c[len(c)-3:])
	// The inward code is digit-letter-letter: a letter O/I/L/S in the digit
	// place and a 0/1/5 in a letter place are typing slips we can undo.
	if d, ok := map[byte]byte{'O': '0', 'I': '1', 'L': '1', 'S': '5'}[in[0]]; ok {
		in[0] = d
	}
	for i := 1; i < 3; i++ {
		switch in[i] {
		case '0':
			in[i] = 'O'
		case '1':
			in[i] = 'I'
		case '5':
			in[i] = 'S'
		}
	}
	// An outward code starting with a zero is almost always a slipped O.
	if out[0] == '0' {
		out = "O" + out[1:]
	}
	inward := string(in)
	if !outwardRe.MatchString(out) {
		return "", fmt.Errorf("%q is not a postcode: %q is not a valid first half (it should look like M1, BL9, OL16 or M2A)", strings.TrimSpace(s), out)
	}
	if !inwardRe.MatchString(inward) {
		return "", fmt.Errorf("%q is not a postcode: %q is not a valid second half (a number then two letters, like 1AE)", strings.TrimSpace(s), inward)
	}
	return out + " " + inward, nil
}

// Outward returns the outward code of a normalised postcode.
func Outward(postcode string) string {
	out, _, _ := strings.Cut(postcode, " ")
	return out
}

// Confidence says how precisely a postcode was placed.
type Confidence string

const (
	// Exact: the ONS postcode directory gives the LSOA.
	Exact Confidence = "exact"
	// Located: the postcode's centroid was placed in an LSOA boundary.
	Located Confidence = "located"
	// DistrictOnly: the full postcode is unknown; only its outward code
	// identifies a local authority district, so ward, LSOA and IMD are unknown.
	DistrictOnly Confidence = "district"
	// Unknown: not a Greater Manchester postcode we know.
	Unknown Confidence = "unknown"
)

// Place is where a postcode lies.
type Place struct {
	Postcode     string
	Confidence   Confidence
	DistrictCode string
	DistrictName string
	WardCode     string
	WardName     string
	LSOACode     string
	IMDDecile    int // 1 = most deprived 10%; 0 when unknown
	Lon, Lat     float64
}

// Describe explains the confidence level to a person.
func (c Confidence) Describe() string {
	switch c {
	case Exact:
		return "Exact: the postcode is in the ONS postcode directory"
	case Located:
		return "Located: the postcode's centre lies in this neighbourhood's boundary"
	case DistrictOnly:
		return "District only: we know the area from the first half of the postcode, not the neighbourhood"
	}
	return "Unknown: not a Greater Manchester postcode in our tables"
}

// gmAreas are the postcode areas that reach into Greater Manchester (most
// of them also reach beyond it, so a postcode in one is not proof of being
// in GM).
var gmAreas = map[string]bool{"M": true, "BL": true, "OL": true, "SK": true, "WN": true, "WA": true}

// OutsideGM reports whether a normalised postcode is certainly outside
// Greater Manchester: its postcode area does not reach into it.
func OutsideGM(postcode string) bool {
	area := Outward(postcode)
	i := strings.IndexAny(area, "0123456789")
	if i > 0 {
		area = area[:i]
	}
	return area != "" && !gmAreas[area]
}
