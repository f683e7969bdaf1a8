package fund

import (
	"math"
	"testing"
)

// TestPounds pins the one money format: whole pounds without pence, pence
// only when there are some, thousands separators, and a typeset minus sign
// before the pound sign for a negative amount.
func TestPounds(t *testing.T) {
	for p, want := range map[int64]string{
		0:             "£0",
		5:             "£0.05",
		50:            "£0.50",
		1250:          "£12.50",
		2500000:       "£25,000",
		2500001:       "£25,000.01",
		99999:         "£999.99",
		100000:        "£1,000",
		123456789:     "£1,234,567.89",
		-120000:       "−£1,200",
		-5:            "−£0.05",
		-100:          "−£1",
		math.MaxInt64: "£92,233,720,368,547,758.07",
		math.MinInt64: "−£92,233,720,368,547,758.08",
		100000000000:  "£1,000,000,000",
	} {
		if got := Pounds(p); got != want {
			t.Errorf("Pounds(%d) = %q, want %q", p, got, want)
		}
	}
}

func TestPhaseLabel(t *testing.T) {
	for _, p := range Phases {
		if l := PhaseLabel(p); l == p || l == "" {
			t.Errorf("phase %q has no label", p)
		}
	}
	if PhaseLabel(PhasePublished) != "Results published" {
		t.Errorf("published: %q", PhaseLabel(PhasePublished))
	}
}

func TestPoundsText(t *testing.T) {
	for in, want := range map[string]string{"144164/61": "about £2,363.34", "2500": "£2,500", "12.5": "£12.50", "x": "x"} {
		if got := PoundsText(in); got != want {
			t.Errorf("PoundsText(%q) = %q, want %q", in, got, want)
		}
	}
}
