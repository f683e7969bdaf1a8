package hub

import "testing"

func TestAvailableKeepsOffersWithSomethingLeft(t *testing.T) {
	got := Available([]Offer{{ID: 1, Remaining: 0}, {ID: 2, Remaining: 3}, {ID: 3, Remaining: -1}, {ID: 4, Remaining: 1}})
	if len(got) != 2 || got[0].ID != 2 || got[1].ID != 4 {
		t.Fatalf("Available = %+v, want offers 2 and 4", got)
	}
	if got := Available(nil); len(got) != 0 {
		t.Fatalf("Available(nil) = %+v", got)
	}
}
