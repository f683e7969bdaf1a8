package tenders

import (
	"errors"
	"testing"

	"github.com/svhub/svhub/internal/problem"
)

// Each negative weight is named on its own field; the sum is checked only
// once no weight is negative.
func TestNegativeWeightsNamed(t *testing.T) {
	tn := Tender{WPrice: -10, WQuality: 90, WSV: -20}
	var inv *problem.Invalid
	if err := tn.Validate(); !errors.As(err, &inv) {
		t.Fatalf("not invalid: %v", err)
	}
	got := map[string]string{}
	for _, f := range inv.Fields {
		got[f.Field] = f.Message
	}
	if got["w_price"] != "Price weight cannot be negative" || got["w_sv"] != "Social value weight cannot be negative" || got["w_quality"] != "" {
		t.Fatalf("weight errors: %q", got)
	}
}
