package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/contracts"
	"github.com/svhub/svhub/internal/framework"
	"github.com/svhub/svhub/internal/priorities"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/tenders"
)

// tenderSpec is one demonstration tender and how far it has gone.
type tenderSpec struct {
	buyer, title, desc, cpv string
	value                   int64 // pounds
	stage                   string
	bidders                 []int // indexes into businesses
	measures                []string
	area                    string // district code for commitments
}

// demoMeasures are the measures demonstration tenders select.
var demoMeasures = []string{"GM-P3-03", "GM-P1-04", "GM-P6-02", "GM-P5-01", "GM-P4-01"}

var tenderSpecs = []tenderSpec{
	{"Manchester City Council", "Community meals service", "Hot meals delivered to older residents in their homes, seven days a week.", "55520000-1", 1_200_000, tenders.Draft, nil, demoMeasures[:3], "E08000003"},
	{"Manchester City Council", "Parks and green spaces maintenance", "Grounds maintenance for 140 parks and green spaces, with volunteer days and habitat work.", "77310000-6", 2_400_000, tenders.Published, []int{1}, demoMeasures, "E08000003"},
	{"Manchester City Council", "Youth employment support programme", "Information, advice and job brokerage for 16 to 24 year olds not in education, employment or training.", "85312320-8", 850_000, tenders.Closed, []int{0, 2, 5}, demoMeasures[:4], "E08000003"},
	{"Manchester City Council", "Highways minor works", "Footway repairs, dropped kerbs and drainage on a call-off basis.", "45233140-2", 3_000_000, tenders.Evaluated, []int{3, 4, 6}, demoMeasures[:4], "E08000003"},
	{"Manchester City Council", "Office furniture and reuse", "Furniture supply, refurbishment and reuse across civic buildings.", "39130000-2", 400_000, tenders.Cancelled, []int{0}, demoMeasures[2:4], "E08000003"},
	{"Manchester City Council", "Home to school transport", "Accessible transport for pupils with special educational needs.", "60130000-8", 4_500_000, tenders.Awarded, []int{3, 4}, demoMeasures, "E08000003"},
	{"Salford City Council", "Housing repairs and voids", "Responsive repairs and empty-home turnaround across council housing.", "45453000-7", 6_000_000, tenders.Awarded, []int{2, 0, 6}, demoMeasures, "E08000006"},
	{"Transport for Greater Manchester", "Bus station cleaning", "Cleaning and hygiene services at 12 bus stations.", "90910000-9", 1_800_000, tenders.Awarded, []int{2, 5}, demoMeasures[:4], "E08000001"},
	{"Trafford Council", "Digital inclusion service", "Devices, data and skills support for digitally excluded residents.", "72000000-5", 600_000, tenders.Awarded, []int{1, 7}, []string{"GM-P3-03", "GM-P4-01", "GM-P6-02"}, "E08000009"},
	{"Stockport Council", "Adult social care reablement", "Short-term support at home after a hospital stay.", "85312000-9", 5_200_000, tenders.Awarded, []int{5, 2}, demoMeasures[:3], "E08000007"},
	// A second tender in each earlier state, from other buyers.
	{"Salford City Council", "Leisure centre catering", "Cafés in four leisure centres, with healthy menus and local produce.", "55500000-5", 300_000, tenders.Draft, nil, demoMeasures[1:4], "E08000006"},
	{"Stockport Council", "Winter gritting and snow clearance", "Gritting of priority routes and footways from October to April.", "90620000-9", 1_100_000, tenders.Published, []int{3}, demoMeasures[:4], "E08000007"},
	{"Greater Manchester Combined Authority", "Homelessness outreach", "Street outreach and routes into accommodation across the ten districts.", "85311000-2", 2_000_000, tenders.Closed, []int{2, 5}, demoMeasures[:4], ""},
	{"Transport for Greater Manchester", "Cycle parking installation", "Secure cycle parking at 40 Metrolink stops.", "45233162-2", 700_000, tenders.Evaluated, []int{1, 3}, demoMeasures[:4], "E08000001"},
	{"Trafford Council", "Graffiti removal", "Removal of graffiti and fly-posting on public land.", "90690000-0", 250_000, tenders.Cancelled, []int{4}, demoMeasures[2:4], "E08000009"},
	// The demo supplier's own contract, so its representative can report
	// delivery and link hub offers to its commitments.
	{"Manchester City Council", "Community centre refurbishment", "Joinery and refits for three community centres, with volunteering and apprenticeships.", "45453100-8", 900_000, tenders.Awarded, []int{0}, demoMeasures, "E08000003"},
}

// seedProcurement creates tenders in every state, with sealed bids,
// independent marks, moderation, awards, contracts and a delivery history,
// so the procurement pages and dashboards mean something on first run.
func seedProcurement(ctx context.Context, s *store.Store, sys auth.Actor, sealer *tenders.Sealer, slugs map[string]string, fw framework.Framework, hasher *auth.Hasher) error {
	now := time.Now().UTC().Truncate(time.Second)
	rounds, err := s.ListRounds(ctx)
	if err != nil {
		return err
	}
	var roundID int64
	for _, r := range rounds {
		if r.Status == priorities.Published && r.FrameworkID == fw.ID {
			roundID = r.ID
		}
	}
	measures := map[string]tenders.Measure{}
	var codes []string
	for _, p := range fw.Priorities {
		codes = append(codes, p.Code)
		for _, o := range p.Outcomes {
			for _, m := range o.Measures {
				tm := tenders.Measure{ID: m.ID, Code: m.Code, Wording: m.Wording, Unit: m.Unit, PriorityCode: p.Code, PriorityTitle: p.Title}
				if uv, ok := m.UnitValue(); ok {
					tm.ProxyPence, tm.ProxySource, tm.ProxyPriceYear = uv.Pence, uv.Source, uv.PriceYear
				}
				measures[m.Code] = tm
			}
		}
	}
	people := tenders.People(nil, codes, "")
	if roundID != 0 {
		pw, err := s.PublishedWeights(ctx, roundID)
		if err != nil {
			return err
		}
		var shares map[string]float64
		if err := json.Unmarshal([]byte(pw.Weights), &shares); err != nil {
			return err
		}
		people = tenders.People(shares, codes, "demo People's Weights")
	}
	// Evaluators for each buying body. Manchester's are the demo accounts;
	// the others are past evaluators who cannot sign in (no password shown).
	evaluators := map[string][]auth.Actor{}
	actorFor := func(email string) (auth.Actor, error) {
		u, err := s.UserByEmail(ctx, email)
		if err != nil {
			return auth.Actor{}, err
		}
		return s.ActorForUser(ctx, u)
	}
	for _, e := range []string{"evaluator@example.org", "council-admin@example.org"} {
		a, err := actorFor(e)
		if err != nil {
			return err
		}
		evaluators["Manchester City Council"] = append(evaluators["Manchester City Council"], a)
	}
	kpisSeeded := false
	for i, spec := range tenderSpecs {
		buyer, err := s.OrganisationBySlug(ctx, slugs[spec.buyer])
		if err != nil {
			return fmt.Errorf("seed tender %q: %w", spec.title, err)
		}
		if evaluators[spec.buyer] == nil {
			for j := range 2 {
				hash, err := hasher.Hash(ctx, randomPassword())
				if err != nil {
					return err
				}
				u, err := s.CreateVerifiedUser(ctx, actor, auth.User{Email: fmt.Sprintf("evaluator%d.%s@example.org", j+1, slugs[spec.buyer]), Name: fmt.Sprintf("%s evaluator %d", spec.buyer, j+1), PasswordHash: hash})
				if err != nil {
					return err
				}
				if err := s.AddMember(ctx, sys, buyer.ID, u.ID, auth.RoleEvaluator); err != nil {
					return err
				}
				a, err := s.ActorForUser(ctx, u)
				if err != nil {
					return err
				}
				evaluators[spec.buyer] = append(evaluators[spec.buyer], a)
			}
		}
		// Timeline: open tenders close in three weeks; the others closed in
		// the past, awarded ones about a year ago so delivery has history.
		created, deadline := now.Add(-7*24*time.Hour), now.Add(21*24*time.Hour)
		switch spec.stage {
		case tenders.Closed, tenders.Evaluated, tenders.Cancelled:
			created, deadline = now.Add(-40*24*time.Hour), now.Add(-2*24*time.Hour)
		case tenders.Awarded:
			created, deadline = now.AddDate(-1, -2, -i), now.AddDate(-1, -1, -i)
		}
		t := tenders.Tender{BuyerOrgID: buyer.ID, Title: spec.title, Description: spec.desc, CPV: spec.cpv, ValuePence: spec.value * 100, Deadline: deadline,
			WPrice: 40, WQuality: 40, WSV: 20, SVMinimum: tenders.DefaultSVMinimum, AlphaPercent: 50, Method: tenders.MethodRelative, FrameworkID: fw.ID, WeightsRound: roundID,
			Gates:    []string{tenders.GateRLW, tenders.GateExclusion},
			Criteria: []tenders.Criterion{{Title: "Service delivery and quality plan", Weight: 25, Descriptors: tenders.DefaultDescriptors}, {Title: "Staffing, training and safeguarding", Weight: 15, Descriptors: tenders.DefaultDescriptors}}}
		if t.ValuePence > tenders.CRPThresholdPence {
			t.Gates = append(t.Gates, tenders.GateCRP)
		}
		for _, c := range spec.measures {
			t.Measures = append(t.Measures, measures[c])
		}
		id, err := s.CreateTender(ctx, sys, t, sealer.NewTenderKey, created)
		if err != nil {
			return fmt.Errorf("seed tender %q: %w", spec.title, err)
		}
		t.ID = id
		if spec.stage == tenders.Draft {
			continue
		}
		facts := []tenders.Fact{{Label: "Buyer", Value: buyer.LegalName}, {Label: "What is being bought", Value: spec.desc},
			{Label: "Procedure", Value: tenders.ProcedureLabel(tenders.DefaultProcedure)}, {Label: "Estimated value", Value: fmt.Sprintf("£%d", spec.value)},
			{Label: "Submission deadline", Value: deadline.In(tenders.London).Format("15:04 on 2 January 2006")}}
		if err := s.PublishTender(ctx, sys, id, "", facts, created.Add(time.Hour)); err != nil {
			return err
		}
		wrapped, err := s.TenderKey(ctx, id)
		if err != nil {
			return err
		}
		var opened []tenders.OpenedBid
		for k, bi := range spec.bidders {
			org, err := s.OrganisationBySlug(ctx, slugs[businesses[bi].name])
			if err != nil {
				return err
			}
			b := demoBid(t, i, k)
			canon := b.Canonical()
			at := created.Add(time.Duration(24*(k+1)) * time.Hour)
			if _, err := s.SubmitBid(ctx, sys, id, org.ID, tenders.Digest(canon), func(v int) ([]byte, error) { return sealer.SealBid(id, wrapped, org.ID, v, canon) }, nil, at); err != nil {
				return fmt.Errorf("seed bid: %w", err)
			}
			opened = append(opened, tenders.OpenedBid{OrgID: org.ID, Supplier: org.LegalName, SubmittedAt: at, Content: b})
		}
		switch spec.stage {
		case tenders.Published:
			continue
		case tenders.Cancelled:
			if err := s.MoveTender(ctx, sys, id, tenders.Cancelled, deadline.Add(time.Hour)); err != nil {
				return err
			}
			continue
		}
		evs := evaluators[spec.buyer]
		var evIDs []int64
		for _, e := range evs {
			evIDs = append(evIDs, e.ID())
		}
		after := deadline.Add(2 * time.Hour)
		if err := s.AssignEvaluators(ctx, sys, id, evIDs, after); err != nil {
			return err
		}
		if spec.stage == tenders.Closed {
			continue // the browser journey marks and moderates this one
		}
		keys := []string{"Q1", "Q2", tenders.QualKey}
		consensus := map[int64]map[string]string{}
		var cons []store.Consensus
		for n, e := range evs {
			var marks []store.Mark
			for k, b := range opened {
				for q, key := range keys {
					m := 2 + (i+k+q+n)%4
					marks = append(marks, store.Mark{OrgID: b.OrgID, Criterion: key, Mark: m, Reason: "Assessed against the published marking scale."})
				}
			}
			if err := s.SubmitMarks(ctx, e, id, marks, after.Add(time.Duration(n+1)*time.Hour)); err != nil {
				return err
			}
		}
		all, err := s.Marks(ctx, id)
		if err != nil {
			return err
		}
		for _, b := range opened {
			consensus[b.OrgID] = map[string]string{}
			for _, key := range keys {
				var ms []int
				for _, m := range all {
					if m.OrgID == b.OrgID && m.Criterion == key {
						ms = append(ms, m.Mark)
					}
				}
				mean := tenders.MeanMark(ms)
				consensus[b.OrgID][key] = mean
				cons = append(cons, store.Consensus{OrgID: b.OrgID, Criterion: key, Mark: mean, Rationale: "Mean of the evaluators' marks"})
			}
		}
		if err := s.Moderate(ctx, sys, id, cons, after.Add(24*time.Hour)); err != nil {
			return err
		}
		if spec.stage == tenders.Evaluated {
			continue
		}
		full, err := s.Tender(ctx, id, now)
		if err != nil {
			return err
		}
		e := tenders.BuildEvaluation(full, people, opened, consensus)
		res, err := tenders.Evaluate(e)
		if err != nil {
			return fmt.Errorf("seed evaluation %q: %w", spec.title, err)
		}
		e.Results = res
		var win tenders.Result
		for _, r := range res {
			if r.Rank == 1 {
				win = r
			}
		}
		var winner tenders.OpenedBid
		for _, b := range opened {
			if tenders.BidKey(b.OrgID) == win.Bid {
				winner = b
			}
		}
		frozen, _ := json.Marshal(e)
		decided := after.Add(3 * 24 * time.Hour)
		start := decided.AddDate(0, 1, 0)
		start = time.Date(start.Year(), start.Month(), 1, 0, 0, 0, 0, time.UTC)
		end := start.AddDate(2, 0, -1)
		var cs []contracts.Commitment
		for _, m := range full.Measures {
			q, _ := tenders.ParseQuantity(winner.Content.Commitments[m.Code].Quantity)
			if q > 0 {
				cs = append(cs, contracts.Commitment{MeasureID: m.ID, QuantityMilli: q, Due: end.Format(time.DateOnly), AreaCode: spec.area, Plan: winner.Content.Commitments[m.Code].Plan})
			}
		}
		standstill, ok := tenders.StandstillEnd(decided)
		if !ok {
			standstill = decided.AddDate(0, 0, 14)
		}
		cid, err := s.AwardTender(ctx, sys, store.Award{TenderID: id, SupplierID: winner.OrgID, ValuePence: winner.Content.PricePence, Evaluation: string(frozen),
			Rationale: "Highest total score among compliant bids.", StandstillEnd: standstill.Format(time.DateOnly),
			NoticeFacts: []tenders.Fact{{Label: "Buyer", Value: buyer.LegalName}, {Label: "Supplier", Value: winner.Supplier},
				{Label: "Contract value", Value: fmt.Sprintf("£%d.%02d", winner.Content.PricePence/100, winner.Content.PricePence%100)},
				{Label: "Standstill period", Value: "Eight working days (section 51), ending on " + standstill.Format("Monday 2 January 2006")}}},
			contracts.Contract{BuyerOrgID: buyer.ID, Title: spec.title, Start: start.Format(time.DateOnly), End: end.Format(time.DateOnly)}, cs, decided)
		if err != nil {
			return fmt.Errorf("seed award %q: %w", spec.title, err)
		}
		// The buyer entered into the contract the day after the standstill.
		if err := s.EnterContract(ctx, sys, cid, time.Date(standstill.Year(), standstill.Month(), standstill.Day()+1, 9, 0, 0, 0, tenders.London)); err != nil {
			return fmt.Errorf("seed award %q: %w", spec.title, err)
		}
		if err := seedDelivery(ctx, s, sys, cid, start, now, i); err != nil {
			return err
		}
		if !kpisSeeded {
			if err := seedKPIs(ctx, s, sys, cid, now); err != nil { // kpis.go
				return err
			}
			kpisSeeded = true
		}
		if spec.title == concernTender {
			if err := seedConcern(ctx, s, cid, now, actorFor); err != nil {
				return err
			}
		}
	}
	return seedLots(ctx, s, sys, sealer, slugs, measures, roundID, fw.ID, now) // lots.go
}

// concernTender is the completed tender whose contract carries a
// resident's concern and the buyer's public response.
const concernTender = "Home to school transport"

// seedConcern has the demo resident question a queried delivery claim on
// the contract and the demo buyer answer in public, as the contract page's
// forms would.
func seedConcern(ctx context.Context, s *store.Store, contractID int64, now time.Time, actorFor func(string) (auth.Actor, error)) error {
	lines, err := s.DeliveryLines(ctx, contractID)
	if err != nil {
		return err
	}
	var line int64
	for _, l := range lines {
		if l.Status == contracts.Queried {
			line = l.ID
			break
		}
	}
	if line == 0 {
		return fmt.Errorf("seed concern: contract %d has no queried delivery line", contractID)
	}
	resident, err := actorFor("resident@example.org")
	if err != nil {
		return err
	}
	buyer, err := actorFor("buyer@example.org")
	if err != nil {
		return err
	}
	if err := s.RaiseConcern(ctx, resident, line, "I drive for a parent group on this route and have not seen the local drivers this claim describes.", now.AddDate(0, 0, -5)); err != nil {
		return fmt.Errorf("seed concern: %w", err)
	}
	got, err := s.DeliveryLines(ctx, contractID)
	if err != nil {
		return err
	}
	for _, l := range got {
		for _, c := range l.Concerns {
			if err := s.RespondConcern(ctx, buyer, contractID, c.ID, "Thank you. We have asked the supplier for the drivers' timesheets and home postcodes, and will not count this figure until we have checked them.", now.AddDate(0, 0, -2)); err != nil {
				return fmt.Errorf("seed concern response: %w", err)
			}
		}
	}
	return nil
}

// demoBid makes bidder k's bid for tender i: prices and quantities vary
// so rankings differ; the third bidder on a tender fails the RLW gate.
func demoBid(t tenders.Tender, i, k int) tenders.BidContent {
	b := tenders.BidContent{PricePence: t.ValuePence * int64(88+((i*7+k*11)%20)) / 100, Answers: map[string]string{}, Commitments: map[string]tenders.Commitment{},
		SVAnswer: "We will recruit locally through community partners, report quarterly and publish our progress.", Gates: map[string]tenders.Declaration{}}
	for n := range t.Criteria {
		b.Answers[tenders.CriterionKey(n)] = fmt.Sprintf("Our approach to %q, with named staff, milestones and evidence from similar contracts.", t.Criteria[n].Title)
	}
	for n, m := range t.Measures {
		base := []int64{52, 4, 40000, 25, 600}[n%5]
		q := base * int64(2+(i+k*3+n)%5) / 3
		b.Commitments[m.Code] = tenders.Commitment{Quantity: strconv.FormatInt(q, 10), Plan: "Delivered through our Greater Manchester partners, reported each quarter with evidence.", Where: ""}
	}
	for _, g := range t.Gates {
		b.Gates[g] = tenders.Declaration{Meets: !(g == tenders.GateRLW && k == 2), Evidence: "Accreditation and policy available on request."}
	}
	return b
}

// seedDelivery files quarterly delivery reports from the contract start to
// now; most lines are verified, some rejected, queried or awaiting review.
func seedDelivery(ctx context.Context, s *store.Store, sys auth.Actor, contractID int64, start, now time.Time, seed int) error {
	cms, err := s.Commitments(ctx, contractID)
	if err != nil {
		return err
	}
	q := 0
	for ps := start; ps.AddDate(0, 3, 0).Before(now); ps = ps.AddDate(0, 3, 0) {
		pe := ps.AddDate(0, 3, -1)
		rep := contracts.Report{ContractID: contractID, PeriodStart: ps.Format(time.DateOnly), PeriodEnd: pe.Format(time.DateOnly)}
		for n, c := range cms {
			// Eight quarters in two years: a share of the target each quarter,
			// a little behind on some commitments.
			share := int64(14 + (seed+n+q)%7)
			rep.Lines = append(rep.Lines, contracts.Line{CommitmentID: c.ID, QuantityMilli: c.QuantityMilli * share / 100, AreaCode: c.AreaCode,
				Evidence: "https://example.org/evidence/" + strconv.FormatInt(contractID, 10) + "/" + ps.Format("2006-01"), Attributable: true, Additional: true})
		}
		submitted := pe.AddDate(0, 0, 14)
		rid, err := s.SubmitReport(ctx, sys, rep, submitted)
		if err != nil {
			return err
		}
		_ = rid
		q++
	}
	lines, err := s.DeliveryLines(ctx, contractID)
	if err != nil {
		return err
	}
	for n, l := range lines {
		if n < len(cms) { // the latest report is still being checked
			continue
		}
		status, note := contracts.Verified, ""
		switch (n + seed) % 9 {
		case 0:
			status, note = contracts.Rejected, "The evidence does not show delivery on this contract."
		case 4:
			status, note = contracts.Queried, "Please send the timesheets behind this figure."
		}
		if err := s.DecideLine(ctx, sys, l.ID, status, note, now.Add(-time.Duration(n)*time.Hour)); err != nil {
			return err
		}
	}
	return nil
}
