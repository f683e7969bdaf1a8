package geo

import (
	"cmp"
	"os"
	"path/filepath"
	"testing"
)

func TestLoadShipped(t *testing.T) {
	ref, err := Load(ShippedFS())
	if err != nil {
		t.Fatal(err)
	}
	if len(ref.Districts) != 10 || len(ref.Wards) != 215 || len(ref.LSOAs) != 1673 {
		t.Fatalf("districts %d wards %d lsoas %d", len(ref.Districts), len(ref.Wards), len(ref.LSOAs))
	}
	located, placed := 0, 0
	for _, p := range ref.Postcodes {
		if p.Source == Located {
			located++
			if p.LSOACode != "" {
				placed++
			}
		}
	}
	t.Logf("%d postcodes, %d located by boundary, %d of them inside an LSOA", len(ref.Postcodes), located, placed)
	if placed < located*95/100 {
		t.Fatalf("only %d of %d sample postcodes fell inside an LSOA boundary", placed, located)
	}
}

// The shipped copy must match the shared source it came from.
func TestShippedMatchesShared(t *testing.T) {
	if _, err := os.Stat(sharedData("geo")); err != nil {
		t.Skip("shared data not beside the checkout")
	}
	ref, err := Load(os.DirFS(sharedData("")))
	if err != nil {
		t.Fatal(err)
	}
	if len(ref.LSOAs) != 1673 {
		t.Fatalf("lsoas %d", len(ref.LSOAs))
	}
}

// sharedData is a path in the public reference data the tests read: the
// folder SVHUB_SHARED_DATA names (.ci/run sets it), else ../shared/data
// beside the checkout.
func sharedData(rel string) string {
	return filepath.Join(cmp.Or(os.Getenv("SVHUB_SHARED_DATA"), "../../../shared/data"), rel)
}
