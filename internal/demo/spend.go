package demo

import (
	"context"
	_ "embed"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/spend"
	"github.com/svhub/svhub/internal/store"
)

// seedSpend imports a generated spend file for Manchester City Council:
// payments to the demo's businesses and VCSEs (so the analysis can place
// them) and to suppliers outside the directory (which it must call unknown).
func seedSpend(ctx context.Context, s *store.Store, sys auth.Actor, slugs map[string]string) error {
	buyer, err := s.OrganisationBySlug(ctx, slugs["Manchester City Council"])
	if err != nil {
		return err
	}
	r := rand.New(rand.NewPCG(500, 2026))
	payees := []string{}
	for _, b := range businesses {
		payees = append(payees, b.name)
	}
	for _, v := range vcses[:10] {
		payees = append(payees, v.name)
	}
	payees = append(payees, "National Office Supplies plc", "Northern Rail Services Ltd", "Agency Staffing UK Ltd", "REDACTED")
	var b strings.Builder
	b.WriteString("Manchester City Council - payments over £500 (demonstration data)\nPayment Date,Supplier Name,Net Amount,Directorate,Expense Type\n")
	start := time.Now().AddDate(0, -6, 0)
	for i := range 400 {
		p := payees[r.IntN(len(payees))]
		pence := int64(50_000 + r.IntN(5_000_000))
		day := start.AddDate(0, 0, r.IntN(180))
		dir := []string{"Adults", "Children's Services", "Neighbourhoods", "Growth and Development", "Corporate Core"}[i%5]
		fmt.Fprintf(&b, "%s,\"%s\",\"%d.%02d\",%s,Services\n", day.Format("02/01/2006"), p, pence/100, pence%100, dir)
	}
	// Payees as officers really type them: similar to directory names but
	// not identical, so the resolution page has decisions to offer.
	for _, p := range []string{"Irwel Valley Joinery", "Medlock Facilities Managment Ltd", "Northern Quarter Digitial"} {
		fmt.Fprintf(&b, "%s,\"%s\",\"1250.00\",Corporate Core,Services\n", start.Format("02/01/2006"), p)
	}
	res, err := spend.Read(strings.NewReader(b.String()), "demo-manchester-spend.csv", nil)
	if err != nil {
		return err
	}
	// The import's file name is what "Where the money goes" shows as the
	// source, so it says plainly that these payments are made up.
	res.File = "Demonstration data: generated payments, not real (demo-manchester-spend.csv)"
	if _, err = s.ImportSpend(ctx, sys, buyer.ID, res, "demo"); err != nil {
		return err
	}
	return seedRealSpend(ctx, s, sys, slugs)
}

// traffordSpend is a cut-down copy of Trafford Council's real published
// supplier spend for 2024-25 (Open Government Licence v3.0; see
// data/README.md).
//
//go:embed data/trafford-supplier-spend-2024-25.zip
var traffordSpend []byte

// seedRealSpend imports the real Trafford file for Trafford Council,
// named so the page labels it as real published data, cut down.
func seedRealSpend(ctx context.Context, s *store.Store, sys auth.Actor, slugs map[string]string) error {
	buyer, err := s.OrganisationBySlug(ctx, slugs["Trafford Council"])
	if err != nil {
		return err
	}
	res, err := spend.ReadFile("trafford-supplier-spend-2024-25.zip", traffordSpend, nil, "")
	if err != nil {
		return fmt.Errorf("seed real spend: %w", err)
	}
	res.File = fmt.Sprintf("Real published data: Trafford Council supplier spend 2024-25, cut down to %d payments (trafford-supplier-spend-2024-25.zip). Contains public sector information licensed under the Open Government Licence v3.0.", len(res.Payments))
	_, err = s.ImportSpend(ctx, sys, buyer.ID, res, "demo-real")
	return err
}
