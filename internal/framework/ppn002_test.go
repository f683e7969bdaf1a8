package framework

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
)

// TestPPN002Edition: the central government Social Value Model edition has
// the five missions as priorities, valid measures with codes unique across
// it and the GM edition (so both can be loaded side by side), cites its
// source and licence, and goes through the CSV layout unchanged.
func TestPPN002Edition(t *testing.T) {
	f := PPN002()
	if err := f.ValidateMeta(); err != nil {
		t.Fatal(err)
	}
	var missions []string
	for _, p := range f.Priorities {
		missions = append(missions, p.Title)
	}
	want := []string{"Kickstart economic growth", "Make Britain a clean energy superpower", "Take back our streets", "Break down barriers to opportunity", "Build an NHS fit for the future"}
	if !reflect.DeepEqual(missions, want) {
		t.Fatalf("missions %q", missions)
	}
	if f.SourceURL != PPN002Source || !strings.Contains(f.Licence, "Crown copyright") || !strings.Contains(f.Licence, "Open Government Licence v3.0") {
		t.Errorf("source %q licence %q", f.SourceURL, f.Licence)
	}
	codes := map[string]bool{}
	for _, e := range []Framework{GM2020(), f} {
		for _, p := range e.Priorities {
			for _, o := range p.Outcomes {
				if len(o.Measures) == 0 {
					t.Errorf("%s %s: no measures", e.Name, o.Code)
				}
				for _, m := range o.Measures {
					if err := m.Validate(); err != nil {
						t.Errorf("%s: %v", m.Code, err)
					}
					if codes[m.Code] {
						t.Errorf("measure code %s used twice", m.Code)
					}
					codes[m.Code] = true
					if strings.Contains(m.Wording+m.Guidance, "TOM") {
						t.Errorf("%s mentions TOMs", m.Code)
					}
				}
			}
		}
	}
	if n := f.MeasureCount(); n < 10 {
		t.Errorf("%d measures", n)
	}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, f); err != nil {
		t.Fatal(err)
	}
	g, err := ReadCSV(bytes.NewReader(buf.Bytes()), "ppn002.csv")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(f, g) {
		t.Fatalf("round trip differs:\n%+v\n%+v", f, g)
	}
}
