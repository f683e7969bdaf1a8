package proxies

import (
	"math/big"
	"strings"
	"testing"
)

// TestAdjustmentByHand: £10,000 gross with deadweight 25% and displacement
// 10% is 10,000 × 0.75 × 0.9 = £6,750 net; adding attribution 12.5% makes
// it 6,750 × 0.875 = £5,906.25, exactly.
func TestAdjustmentByHand(t *testing.T) {
	a, err := ParseAdjustment("25", "10", "", "HCA Additionality Guide (2014), medium deadweight")
	if err != nil {
		t.Fatal(err)
	}
	if got := a.Net(big.NewRat(1_000_000, 1)); got.Cmp(big.NewRat(675_000, 1)) != 0 {
		t.Fatalf("net = %s pence, want 675000", got.RatString())
	}
	if k := a.Kept(); k != "67.5%" {
		t.Fatalf("Kept = %q, want 67.5%%", k)
	}
	if d := a.Describe(); d != "deadweight 25% and displacement 10%" {
		t.Fatalf("Describe = %q", d)
	}
	a, err = ParseAdjustment("25", "10", "12.5", "a local evaluation")
	if err != nil {
		t.Fatal(err)
	}
	if got := a.Net(big.NewRat(1_000_000, 1)); got.Cmp(big.NewRat(590_625, 1)) != 0 {
		t.Fatalf("net = %s pence, want 590625", got.RatString())
	}
	if d := a.Describe(); d != "deadweight 25%, displacement 10% and attribution 12.5%" {
		t.Fatalf("Describe = %q", d)
	}
}

// TestAdjustmentUnset: with nothing configured the factor is 1, net equals
// gross and the description says no adjustment is made.
func TestAdjustmentUnset(t *testing.T) {
	a, err := ParseAdjustment("", " ", "", "")
	if err != nil {
		t.Fatal(err)
	}
	if a.Set() || a.Factor().Cmp(big.NewRat(1, 1)) != 0 {
		t.Fatalf("unset adjustment: set=%v factor=%s", a.Set(), a.Factor().RatString())
	}
	if d := a.Describe(); d != "not adjusted for deadweight or additionality" {
		t.Fatalf("Describe = %q", d)
	}
}

// TestAdjustmentRefusesBadShares: out-of-range, non-numeric and unsourced
// shares are refused, naming the share.
func TestAdjustmentRefusesBadShares(t *testing.T) {
	for _, c := range []struct{ dw, disp, attr, source, want string }{
		{"100", "", "", "x", "deadweight"},
		{"-5", "", "", "x", "deadweight"},
		{"", "ten", "", "x", "displacement"},
		{"", "", "1/3", "x", "attribution"},
		{"", "", "1e1", "x", "attribution"},
		{"20", "", "", " ", "say where"},
	} {
		_, err := ParseAdjustment(c.dw, c.disp, c.attr, c.source)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ParseAdjustment(%q, %q, %q, %q) = %v, want an error naming %s", c.dw, c.disp, c.attr, c.source, err, c.want)
		}
	}
}
