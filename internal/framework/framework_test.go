package framework

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/svhub/svhub/internal/problem"
)

func TestGM2020Shape(t *testing.T) {
	f := GM2020()
	if len(f.Priorities) != 6 {
		t.Fatalf("%d priorities", len(f.Priorities))
	}
	if n := f.MeasureCount(); n < 20 || n > 40 {
		t.Fatalf("%d measures, want 20-40", n)
	}
	for _, p := range f.Priorities {
		for _, o := range p.Outcomes {
			for _, m := range o.Measures {
				if err := m.Validate(); err != nil {
					t.Errorf("%s: %v", m.Code, err)
				}
				for _, pv := range m.Proxies {
					if pv.Source == "" || pv.Licence == "" {
						t.Errorf("%s: proxy without a cited source", m.Code)
					}
				}
			}
		}
	}
}

func TestCSVRoundTrip(t *testing.T) {
	f := GM2020()
	var buf bytes.Buffer
	if err := WriteCSV(&buf, f); err != nil {
		t.Fatal(err)
	}
	g, err := ReadCSV(bytes.NewReader(buf.Bytes()), "gm.csv")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(f, g) {
		t.Fatalf("round trip differs:\n%+v\n%+v", f, g)
	}
}

func TestCSVBadRowsListed(t *testing.T) {
	in := strings.Join([]string{
		strings.Join(CSVHeader, ","),
		"framework,2026,,My framework,Publisher,,,,,https://example.org,OGL",
		"priority,P1,,Jobs,,,,,,,,,",
		"outcome,O1,P9,Orphan,,,,,,,,,",
		"outcome,O2,P1,Good,,,,,,,,,",
		"measure,M1,O2,Hours volunteered,,hours,maybe,,,,,,",
		"measure,M2,O2,,,,,,,,,,",
		"measure,M3,O2,Tonnes saved,,tonnes,false,,,,,,",
		"proxy,,M3,,,,,abc,2020,src,OGL,,",
		"proxy,,M3,,,,,100,2020,,OGL,,",
		"widget,,,,,,,,,,,,",
	}, "\n")
	_, err := ReadCSV(strings.NewReader(in), "bad.csv")
	var ie *problem.FileErrors
	if !errors.As(err, &ie) {
		t.Fatalf("want ImportError, got %v", err)
	}
	lines := []int{}
	for _, l := range ie.Lines {
		lines = append(lines, l.Line)
	}
	if !reflect.DeepEqual(lines, []int{4, 6, 7, 9, 10, 11}) {
		t.Fatalf("bad lines %v:\n%v", lines, err)
	}
	if !strings.Contains(err.Error(), "must cite its source") || !strings.Contains(err.Error(), "bad.csv") {
		t.Fatalf("message should explain: %v", err)
	}
}
