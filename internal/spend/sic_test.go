package spend

import "testing"

func TestSICNames(t *testing.T) {
	if n := len(sicNames); n != 731 {
		t.Fatalf("the shipped SIC 2007 list has %d codes, want the 731 of the condensed list", n)
	}
	for code, want := range map[string]string{
		"16230": "Manufacture of other builders' carpentry and joinery",
		"62020": "Information technology consultancy activities",
		"01110": "Growing of cereals (except rice), leguminous crops and oil seeds",
		"99999": "Dormant Company",
		"13922": "Manufacture of canvas goods, sacks, etc.",
		"00000": "",
		"6202":  "",
	} {
		if got := SICName(code); got != want {
			t.Errorf("SICName(%q) = %q, want %q", code, got, want)
		}
	}
	got := Activities("62020, 85590 12345")
	if len(got) != 3 || got[0] != (Activity{"62020", "Information technology consultancy activities"}) || got[1].Name != "Other education not elsewhere classified" || got[2] != (Activity{"12345", ""}) {
		t.Errorf("Activities = %+v", got)
	}
	if Activities("") != nil {
		t.Errorf("no codes, no activities")
	}
}
