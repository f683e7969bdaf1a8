package store_test

import (
	"errors"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/contracts"
	"github.com/svhub/svhub/internal/framework"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
	"github.com/svhub/svhub/internal/tenders"
)

// TestProcurementActLifecycle: a tender's procedure fields round-trip;
// publishing records the tender notice; the award records the contract
// award notice and the standstill; entering into the contract is refused
// during the standstill and allowed after it; a £6m contract's details
// notice needs three KPIs; assessments publish a performance notice; change
// and termination notices follow. Every step is one transaction with its
// notice.
func TestProcurementActLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		admin := mkUser(t, s, "admin@example.org", true)
		now := time.Date(2026, 3, 30, 9, 0, 0, 0, tenders.London) // the Monday before Easter 2026
		firm, _ := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.Business, LegalName: "Firm"}, 0)
		council, _ := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.PublicBody, LegalName: "Council"}, 0)
		f := framework.GM2020()
		f.Status = framework.Published
		fid, err := s.CreateFramework(ctx, admin, f)
		if err != nil {
			t.Fatal(err)
		}
		key, _ := tenders.ParseKey(tenders.NewKey())
		sealer, _ := tenders.NewSealer(key)
		ppn := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
		tid, err := s.CreateTender(ctx, admin, tenders.Tender{BuyerOrgID: council.ID, Title: "Highways", Description: "d", ValuePence: 6_000_000_00, Deadline: now.Add(time.Hour),
			WPrice: 40, WQuality: 40, WSV: 20, SVMinimum: 10, AlphaPercent: 50, Method: tenders.MethodRelative, FrameworkID: fid,
			Procedure: tenders.ProcFlexible, ContractType: tenders.ContractWorks, PlannedNotice: &ppn}, sealer.NewTenderKey, now)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.PublishTender(ctx, admin, tid, "short period warning", []tenders.Fact{{Label: "Procedure", Value: "Competitive flexible"}}, now); err != nil {
			t.Fatal(err)
		}
		tn, err := s.Tender(ctx, tid, now)
		if err != nil {
			t.Fatal(err)
		}
		if tn.Procedure != tenders.ProcFlexible || tn.ContractType != tenders.ContractWorks || tn.PlannedNotice == nil || tn.PlannedNotice.Format(time.DateOnly) != "2026-01-05" ||
			tn.PeriodWarning != "short period warning" || tn.Status != tenders.Published {
			t.Fatalf("tender = %+v", tn)
		}
		_ = s.AssignEvaluators(ctx, admin, tid, []int64{admin.ID()}, now.Add(2*time.Hour))
		_ = s.SubmitMarks(ctx, admin, tid, nil, now.Add(2*time.Hour))
		if err := s.Moderate(ctx, admin, tid, nil, now.Add(2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		end, _ := tenders.StandstillEnd(now)
		cid, err := s.AwardTender(ctx, admin, store.Award{TenderID: tid, SupplierID: firm.ID, ValuePence: 6_000_000_00, Evaluation: "{}", Rationale: "r", StandstillEnd: end.Format(time.DateOnly),
			NoticeFacts: []tenders.Fact{{Label: "Supplier", Value: "Firm"}}},
			contracts.Contract{BuyerOrgID: council.ID, Title: "Highways", Start: "2026-05-01", End: "2028-04-30"}, nil, now.Add(3*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		c, err := s.Contract(ctx, cid)
		if err != nil || c.StandstillEnd != "2026-04-10" || c.EnteredAt != nil {
			t.Fatalf("contract = %+v, %v", c, err)
		}
		// During the standstill (the last day, 10 April, 23:59 London) the contract cannot be entered into.
		var se *store.StandstillError
		if err := s.EnterContract(ctx, admin, cid, time.Date(2026, 4, 10, 23, 59, 0, 0, tenders.London)); !errors.As(err, &se) || !errors.Is(err, problem.ErrConflict) {
			t.Fatalf("entered during standstill: %v", err)
		}
		// The details notice cannot come before entering into the contract.
		if _, err := s.PublishDetailsNotice(ctx, admin, cid, nil, now); !errors.Is(err, problem.ErrConflict) {
			t.Fatalf("details notice before entering: %v", err)
		}
		after := time.Date(2026, 4, 11, 0, 0, 0, 0, tenders.London)
		if err := s.EnterContract(ctx, admin, cid, after); err != nil {
			t.Fatalf("entering after the standstill: %v", err)
		}
		if err := s.EnterContract(ctx, admin, cid, after); !errors.Is(err, problem.ErrConflict) {
			t.Fatalf("entered twice: %v", err)
		}
		// £6m: three KPIs before the contract details notice.
		if err := s.SetKPIs(ctx, admin, cid, []contracts.KPI{{Name: "Potholes fixed in 24 hours", Target: "95%", Measure: "Share of reports"}}, after); err != nil {
			t.Fatal(err)
		}
		var inv *problem.Invalid
		if _, err := s.PublishDetailsNotice(ctx, admin, cid, nil, after); !errors.As(err, &inv) || !inv.Has("kpis") {
			t.Fatalf("details notice with one KPI: %v", err)
		}
		kpis := []contracts.KPI{{Name: "Potholes fixed in 24 hours", Target: "95%", Measure: "Share of reports"}, {Name: "Local labour", Target: "40%", Measure: "Hours"}, {Name: "Complaints", Target: "< 5 a month", Measure: "Count"}}
		if err := s.SetKPIs(ctx, admin, cid, kpis, after); err != nil {
			t.Fatal(err)
		}
		if _, err := s.PublishDetailsNotice(ctx, admin, cid, []tenders.Fact{{Label: "KPIs", Value: "3"}}, after); err != nil {
			t.Fatal(err)
		}
		if err := s.SetKPIs(ctx, admin, cid, kpis[:1], after); !errors.Is(err, problem.ErrConflict) {
			t.Fatalf("KPIs replaced after the details notice: %v", err)
		}
		got, err := s.KPIs(ctx, cid)
		if err != nil || len(got) != 3 || got[2].Name != "Complaints" {
			t.Fatalf("kpis = %+v, %v", got, err)
		}
		var as []contracts.Assessment
		for _, k := range got {
			as = append(as, contracts.Assessment{KPIID: k.ID, PeriodEnd: "2027-03-31", Rating: contracts.RatingApproaching, Note: "n"})
		}
		if _, err := s.RecordAssessments(ctx, admin, cid, as, []tenders.Fact{{Label: "Potholes", Value: "Approaching target"}}, after.AddDate(1, 0, 0)); err != nil {
			t.Fatal(err)
		}
		// A KPI of another contract is refused.
		if _, err := s.RecordAssessments(ctx, admin, cid, []contracts.Assessment{{KPIID: 999999, PeriodEnd: "2027-03-31", Rating: contracts.RatingGood, Note: "n"}}, nil, after); !errors.Is(err, problem.ErrForbidden) {
			t.Fatalf("foreign KPI: %v", err)
		}
		got, _ = s.KPIs(ctx, cid)
		if len(got[0].Assessments) != 1 || got[0].Assessments[0].Rating != contracts.RatingApproaching {
			t.Fatalf("assessments = %+v", got[0].Assessments)
		}
		if _, err := s.ChangeContract(ctx, admin, cid, 6_500_000_00, []tenders.Fact{{Label: "Change", Value: "More roads"}}, after.AddDate(1, 0, 1)); err != nil {
			t.Fatal(err)
		}
		if _, err := s.TerminateContract(ctx, admin, cid, "Supplier insolvent", nil, after.AddDate(1, 0, 2)); err != nil {
			t.Fatal(err)
		}
		if _, err := s.TerminateContract(ctx, admin, cid, "again", nil, after.AddDate(1, 0, 2)); !errors.Is(err, problem.ErrConflict) {
			t.Fatalf("terminated twice: %v", err)
		}
		c, _ = s.Contract(ctx, cid)
		if c.ValuePence != 6_500_000_00 || c.TerminatedAt == nil || c.TerminatedReason != "Supplier insolvent" || c.DetailsNoticeAt == nil {
			t.Fatalf("contract after change and termination = %+v", c)
		}
		ns, err := s.TenderNotices(ctx, tid)
		if err != nil {
			t.Fatal(err)
		}
		var kinds []string
		for _, n := range ns {
			kinds = append(kinds, n.Kind)
		}
		want := []string{tenders.NoticeTender, tenders.NoticeAward, tenders.NoticeDetails, tenders.NoticePerformance, tenders.NoticeChange, tenders.NoticeTermination}
		if len(kinds) != len(want) {
			t.Fatalf("notices = %v, want %v", kinds, want)
		}
		for i := range want {
			if kinds[i] != want[i] {
				t.Fatalf("notices = %v, want %v", kinds, want)
			}
		}
		n, err := s.Notice(ctx, ns[1].ID)
		if err != nil || n.ContractID != cid || len(n.Facts) != 1 || n.Facts[0].Value != "Firm" || n.Name() != "UK6: Contract award notice" {
			t.Fatalf("award notice = %+v, %v", n, err)
		}
	})
}
