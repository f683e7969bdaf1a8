package geo

import (
	"slices"
	"testing"
)

// evidenceIndex counts the districts of the reference's postcodes by sector
// and outward code, so a postcode's evidence can be taken without it.
type evidenceIndex struct {
	sector, outward map[string]map[string]int
	coverage        []Coverage
}

func indexOf(ref *Reference) evidenceIndex {
	ix := evidenceIndex{sector: map[string]map[string]int{}, outward: map[string]map[string]int{}, coverage: CoverageOf(ref)}
	for _, p := range ref.Postcodes {
		for m, k := range map[*map[string]map[string]int]string{&ix.sector: Sector(p.Postcode), &ix.outward: Outward(p.Postcode)} {
			if (*m)[k] == nil {
				(*m)[k] = map[string]int{}
			}
			(*m)[k][p.DistrictCode]++
		}
	}
	return ix
}

// without is the evidence for pc with the record rec (pc's own entry, if
// any) left out.
func (ix evidenceIndex) without(pc string, rec *PostcodeRecord) Evidence {
	ev := Evidence{Coverage: ix.coverage}
	for d, n := range ix.sector[Sector(pc)] {
		if rec != nil && d == rec.DistrictCode {
			n--
		}
		if n > 0 {
			ev.Sector = append(ev.Sector, d)
		}
	}
	for d, n := range ix.outward[Outward(pc)] {
		if rec != nil && d == rec.DistrictCode {
			n--
		}
		if n > 0 {
			ev.Outward = append(ev.Outward, d)
		}
	}
	return ev
}

// For every shipped postcode, the fallback computed without that postcode
// never names a district its exact entry contradicts.
func TestFallbackNeverContradictsShipped(t *testing.T) {
	ref, err := Load(ShippedFS())
	if err != nil {
		t.Fatal(err)
	}
	ix := indexOf(ref)
	named, missed := 0, 0
	for i := range ref.Postcodes {
		rec := &ref.Postcodes[i]
		got := Fallback(rec.Postcode, ix.without(rec.Postcode, rec))
		switch {
		case got.DistrictCode == rec.DistrictCode:
			named++
		case got.DistrictCode != "":
			t.Errorf("%s is in %s but the fallback without it says %s (%s)", rec.Postcode, rec.DistrictCode, got.DistrictCode, got.Confidence)
		case !slices.ContainsFunc(got.Candidates, func(d District) bool { return d.Code == rec.DistrictCode }):
			missed++
		}
	}
	t.Logf("%d shipped postcodes: the fallback without each names the right district for %d, is unknown for the rest (%d of them without the true district among the candidates)", len(ref.Postcodes), named, missed)
}

func TestFallbackCases(t *testing.T) {
	ref, err := Load(ShippedFS())
	if err != nil {
		t.Fatal(err)
	}
	ix := indexOf(ref)
	has := func(p Place, name string) bool {
		return slices.ContainsFunc(p.Candidates, func(d District) bool { return d.Name == name })
	}
	// Darcy Lever, Bolton: the only shipped BL3 postcode is a Bury one, but
	// Bolton's sample stops at BL1, so Bolton could hold it.
	p := Fallback("BL3 1SX", ix.without("BL3 1SX", nil))
	if p.Confidence != Unknown || p.DistrictCode != "" || !has(p, "Bolton") || !has(p, "Bury") {
		t.Errorf("BL3 1SX: %+v", p)
	}
	// Fallowfield, Manchester: nothing shipped in M14, but it may be in GM.
	p = Fallback("M14 5RT", ix.without("M14 5RT", nil))
	if p.Confidence != Unknown || !has(p, "Manchester") || !p.MaybeGM() {
		t.Errorf("M14 5RT: %+v", p)
	}
	// Bolton's BL1 is Bolton's alone, and Bolton's sample is the only one
	// that could hold BL1 9ZZ unseen.
	p = Fallback("BL1 9ZZ", ix.without("BL1 9ZZ", nil))
	if p.Confidence != ByOutward || p.DistrictName != "Bolton" {
		t.Errorf("BL1 9ZZ: %+v", p)
	}
	// Trafford is complete: an unknown postcode in a Trafford-only sector is
	// not Trafford, so it is not named.
	p = Fallback("M33 9ZZ", ix.without("M33 9ZZ", nil))
	if p.DistrictName == "Trafford" {
		t.Errorf("M33 9ZZ: %+v", p)
	}
	if p := Fallback("LS1 1UR", ix.without("LS1 1UR", nil)); p.Confidence != Unknown || len(p.Candidates) != 0 || p.MaybeGM() {
		t.Errorf("LS1 1UR: %+v", p)
	}
	// With no coverage records (a database loaded before coverage was
	// kept) nothing is named.
	if p := Fallback("BL1 9ZZ", Evidence{Outward: []string{"E08000001"}}); p.DistrictCode != "" || len(p.Candidates) != 1 {
		t.Errorf("no coverage: %+v", p)
	}
}
