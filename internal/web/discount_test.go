package web_test

import (
	"context"
	"math/big"
	"strings"
	"testing"

	"github.com/svhub/svhub/internal/proxies"
	"github.com/svhub/svhub/internal/store"
)

// TestContractPageDiscountsLaterYears: a demo contract's carbon commitment
// due in the contract's second year is worth £241 a tonne in 2020 prices,
// discounted once at the Green Book's 3.5%: tonnes × 241 ÷ 1.035, that is
// × 241 × 200 ÷ 207, to the pound.
func TestContractPageDiscountsLaterYears(t *testing.T) {
	h := newProxyHub(t)
	ctx := context.Background()
	list, err := h.store.ListContracts(ctx, store.ContractFilter{})
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, c := range list {
		cms, err := h.store.Commitments(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		carbon := 0
		for _, cm := range cms {
			if cm.MeasureCode == "GM-P5-01" {
				carbon++
			}
		}
		for _, cm := range cms {
			if cm.MeasureCode != "GM-P5-01" || carbon != 1 {
				continue
			}
			if y, err := proxies.YearOf(c.Start, cm.Due); err != nil || y != 1 {
				continue
			}
			pv := proxies.RoundHalfAway(big.NewRat(cm.QuantityMilli*241*200, 1000*207)).Int64()
			_, body := get(t, h.client(t), h.URL+"/contracts/"+itoa(c.ID))
			for _, want := range []string{"discounted at 3.5% a year", "HM Treasury, The Green Book (2022), Table 8", "<li>" + gbpText(pv) + " in 2020 prices</li>"} {
				if !strings.Contains(body, want) {
					t.Fatalf("contract %d page lacks %q", c.ID, want)
				}
			}
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("no demo contract has a single carbon commitment due in its second year")
	}
}
