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

// Sector returns the postcode sector of a normalised postcode: the outward
// code, a space and the first digit of the inward code ("M14 5").
func Sector(postcode string) string {
	if len(postcode) < 2 {
		return postcode
	}
	return postcode[:len(postcode)-2]
}

// Confidence says how precisely a postcode was placed.
type Confidence string

const (
	// Exact: the ONS postcode directory gives the LSOA.
	Exact Confidence = "exact"
	// Located: the postcode's centroid was placed in an LSOA boundary.
	Located Confidence = "located"
	// BySector: the full postcode is unknown; every postcode we know in its
	// sector ("M14 5") lies in one district and no other district could
	// hold it, so the district is known but not the ward, LSOA or IMD.
	BySector Confidence = "sector"
	// ByOutward: as BySector, by the outward code ("M14") when nothing is
	// known in the sector.
	ByOutward Confidence = "outward"
	// Stated: the person told us their district; the postcode did not.
	Stated Confidence = "stated"
	// Unknown: we cannot place the postcode (Place.Candidates lists the
	// districts it could be in, Place.OutsideGM says when it is elsewhere).
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
	LSOACode     string // LSOA 2011 (the geography of IMD 2019)
	LSOA21       string // LSOA 2021, when the loaded directory gives it
	IMDDecile    int    // 1 = most deprived 10%; 0 when unknown
	IMDEdition   string // "IoD2019" or "IoD2025"; "" when IMDDecile is 0
	Lon, Lat     float64
	// Terminated is the month (YYYY-MM) a postcode was withdrawn; it still
	// resolves, since registers hold old addresses.
	Terminated string
	// Elsewhere is set for a postcode the directory places outside Greater
	// Manchester: its local authority and region by name.
	Elsewhere *LocalAuthority
	// Candidates are the Greater Manchester districts an unplaced postcode
	// could lie in (Confidence Unknown).
	Candidates []District
	// Source names the data release that placed the postcode ("ONSPD
	// February 2025", or the shipped tables).
	Source string
}

// LocalAuthority is a UK local authority outside Greater Manchester.
type LocalAuthority struct {
	Code, Name, Region string
}

// InGM reports whether the place is a Greater Manchester district.
func (p Place) InGM() bool {
	return p.DistrictCode != "" && p.Elsewhere == nil
}

// MaybeGM reports whether an unplaced postcode could still be in Greater
// Manchester: the tables do not say it is elsewhere.
func (p Place) MaybeGM() bool {
	return p.InGM() || p.Elsewhere == nil && len(p.Candidates) > 0
}

// Describe explains the confidence level to a person.
func (c Confidence) Describe() string {
	switch c {
	case Exact:
		return "Exact: the postcode is in the ONS postcode directory"
	case Located:
		return "Located: the postcode's centre lies in this neighbourhood's boundary"
	case BySector:
		return "District only: every postcode we know in this postcode sector is in this district, but we do not know the neighbourhood"
	case ByOutward:
		return "District only: every postcode we know with this first half is in this district, but we do not know the neighbourhood"
	case Stated:
		return "Stated: the person told us their district"
	}
	return "Unknown: this postcode is not in our tables, so we cannot say which district it is in"
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
