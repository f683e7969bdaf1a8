package store_test

import (
	"testing"
	"time"

	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/spend"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
)

func TestRespendSurveyStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		admin := mkUser(t, s, "admin@example.org", true)
		now := time.Now()
		council, _ := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.PublicBody, LegalName: "Council"}, 0)
		firm, _ := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.Business, LegalName: "Firm"}, 0)
		id, err := s.CreateSurvey(ctx, admin, spend.Survey{BuyerOrgID: council.ID, From: "2025-04-01", To: "2026-03-31", Top: 300, Suppliers: []spend.SurveySupplier{
			{Key: "org-1", Name: "Firm", OrgID: firm.ID, SpendPence: 100_000_00, Location: "district", Status: spend.SurveySent},
			{Key: "payee-x", Name: "Somebody", SpendPence: 50_000_00, Location: "gm", Status: spend.SurveyNotOnHub},
		}}, now)
		if err != nil {
			t.Fatal(err)
		}
		a := spend.SurveyAnswer{WageShare: 500, WageDistrict: 800, WageGM: 900, PurchaseShare: 300, PurchaseDistrict: 500, PurchaseGM: 700}
		if err := s.AnswerSurvey(ctx, admin, id, "payee-x", a, now); err == nil {
			t.Fatal("answered for a supplier not on the hub")
		}
		if err := s.AnswerSurvey(ctx, admin, id, "org-1", spend.SurveyAnswer{WageShare: 900, PurchaseShare: 500}, now); err == nil {
			t.Fatal("accepted shares over 100%")
		}
		if err := s.AnswerSurvey(ctx, admin, id, "org-1", a, now); err != nil {
			t.Fatal(err)
		}
		sv, err := s.Survey(ctx, id)
		if err != nil || len(sv.Suppliers) != 2 || sv.Suppliers[0].Status != spend.SurveyAnswered || sv.Suppliers[0].Answer != a {
			t.Fatalf("survey: %v %+v", err, sv)
		}
		if r := spend.LM3("x", 1_000_000_00, 100_000_00, sv.Respondents(false), false); r.R3Pence != 55_000_00 {
			t.Fatalf("lm3 from stored answers: %+v", r)
		}
		if list, _ := s.SurveysOf(ctx, council.ID); len(list) != 1 {
			t.Fatalf("surveys: %d", len(list))
		}
	})
}
