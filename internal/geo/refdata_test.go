package geo

import (
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
