package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/tenders"
)

// seedLots adds a tender divided into two lots, each with its own value
// and weights (internal/tenders/lots.go), closed three days ago with two
// bids on each lot and waiting for the buyer to assign evaluators, so the
// tender pages and the OCDS export show lots.
func seedLots(ctx context.Context, s *store.Store, sys auth.Actor, sealer *tenders.Sealer, slugs map[string]string, measures map[string]tenders.Measure, roundID, frameworkID int64, now time.Time) error {
	buyer, err := s.OrganisationBySlug(ctx, slugs["Manchester City Council"])
	if err != nil {
		return fmt.Errorf("seed lots: %w", err)
	}
	created, deadline := now.Add(-40*24*time.Hour), now.Add(-3*24*time.Hour)
	model := func(title, desc string, pounds int64, price, quality int, codes []string) tenders.Tender {
		t := tenders.Tender{BuyerOrgID: buyer.ID, Title: title, Description: desc, CPV: "90911200-8", ValuePence: pounds * 100, Deadline: deadline,
			WPrice: price, WQuality: quality, WSV: 100 - price - quality, SVMinimum: tenders.DefaultSVMinimum, AlphaPercent: 50, Method: tenders.MethodRelative,
			FrameworkID: frameworkID, WeightsRound: roundID, Gates: []string{tenders.GateRLW, tenders.GateExclusion}, Procedure: tenders.ProcOpen, ContractType: tenders.ContractServices,
			Criteria: []tenders.Criterion{{Title: "Cleaning plan and quality checks", Weight: quality, Descriptors: tenders.DefaultDescriptors}}}
		for _, c := range codes {
			t.Measures = append(t.Measures, measures[c])
		}
		return t
	}
	c := model("Library and leisure centre cleaning", "Daily cleaning of 22 libraries and 8 leisure centres, in two lots.", 300_000, 40, 40, demoMeasures[:2])
	id, err := s.CreateTender(ctx, sys, c, sealer.NewTenderKey, created)
	if err != nil {
		return fmt.Errorf("seed lots: %w", err)
	}
	lots := []tenders.Tender{
		model("Libraries", "Daily cleaning of 22 libraries, with deep cleans in the summer closure.", 160_000, 40, 40, demoMeasures[:3]),
		model("Leisure centres", "Cleaning of 8 leisure centres, including pool halls and changing rooms, seven days a week.", 140_000, 30, 50, demoMeasures[1:4]),
	}
	for i, l := range lots {
		if lots[i].ID, err = s.CreateLot(ctx, sys, id, l, sealer.NewTenderKey, created); err != nil {
			return fmt.Errorf("seed lot %q: %w", l.Title, err)
		}
	}
	facts := []tenders.Fact{{Label: "Buyer", Value: buyer.LegalName}, {Label: "What is being bought", Value: c.Description},
		{Label: "Procedure", Value: tenders.ProcedureLabel(tenders.ProcOpen)}, {Label: "Estimated value", Value: "£300,000 in two lots: Libraries £160,000, Leisure centres £140,000"},
		{Label: "Submission deadline", Value: deadline.In(tenders.London).Format("15:04 on 2 January 2006")}}
	if err := s.PublishTender(ctx, sys, id, "", facts, created.Add(time.Hour)); err != nil {
		return err
	}
	for i, l := range lots {
		wrapped, err := s.TenderKey(ctx, l.ID)
		if err != nil {
			return err
		}
		for k, bi := range []int{i, i + 2} {
			org, err := s.OrganisationBySlug(ctx, slugs[businesses[bi].name])
			if err != nil {
				return err
			}
			b := demoBid(l, i+20, k)
			canon := b.Canonical()
			lot := l.ID
			if _, err := s.SubmitBid(ctx, sys, lot, org.ID, tenders.Digest(canon), func(v int) ([]byte, error) { return sealer.SealBid(lot, wrapped, org.ID, v, canon) }, nil,
				created.Add(time.Duration(24*(k+2))*time.Hour)); err != nil {
				return fmt.Errorf("seed lot bid: %w", err)
			}
		}
	}
	return nil
}
