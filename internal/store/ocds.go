package store

import (
	"context"
	"database/sql"

	"github.com/svhub/svhub/internal/contracts"
	"github.com/svhub/svhub/internal/ocds"
)

// ocdsDelivery adds to an OCDS input, in four statements whatever the
// number of tenders: the organisations that bid on each awarded tender
// (the ocds package names them only once the deadline has passed), every
// contract's KPIs with their assessments, and residents' concerns with the
// buyer's responses. It returns the bidders' organisation ids to load.
func (s *Store) ocdsDelivery(ctx context.Context, in *ocds.Input) ([]int64, error) {
	in.Tenderers, in.KPIs, in.Concerns = map[int64][]int64{}, map[int64][]contracts.KPI{}, map[int64][]contracts.Concern{}
	type bidder struct{ tender, org int64 }
	bidders, err := query(ctx, s, "ocds tenderers", func(r *sql.Rows) (bidder, error) {
		var b bidder
		return b, r.Scan(&b.tender, &b.org)
	}, `SELECT DISTINCT b.tender_id, b.supplier_org_id FROM bids b JOIN awards a ON a.tender_id = b.tender_id ORDER BY b.tender_id, b.supplier_org_id`)
	if err != nil {
		return nil, err
	}
	var orgIDs []int64
	for _, b := range bidders {
		in.Tenderers[b.tender] = append(in.Tenderers[b.tender], b.org)
		orgIDs = append(orgIDs, b.org)
	}
	kpis, err := query(ctx, s, "ocds kpis", func(r *sql.Rows) (contracts.KPI, error) {
		var k contracts.KPI
		return k, r.Scan(&k.ID, &k.ContractID, &k.Name, &k.Target, &k.Measure)
	}, `SELECT id, contract_id, name, target, measure FROM contract_kpis ORDER BY contract_id, position, id`)
	if err != nil {
		return nil, err
	}
	as, err := query(ctx, s, "ocds kpi assessments", func(r *sql.Rows) (contracts.Assessment, error) {
		var a contracts.Assessment
		return a, r.Scan(&a.ID, &a.KPIID, &a.PeriodEnd, &a.Rating, &a.Note, &a.AssessedAt)
	}, `SELECT id, kpi_id, period_end, rating, note, assessed_at FROM kpi_assessments ORDER BY assessed_at DESC, id DESC`)
	if err != nil {
		return nil, err
	}
	byKPI := map[int64][]contracts.Assessment{}
	for _, a := range as {
		byKPI[a.KPIID] = append(byKPI[a.KPIID], a)
	}
	for _, k := range kpis {
		k.Assessments = byKPI[k.ID]
		in.KPIs[k.ContractID] = append(in.KPIs[k.ContractID], k)
	}
	type concern struct {
		contract int64
		c        contracts.Concern
	}
	cs, err := query(ctx, s, "ocds concerns", func(r *sql.Rows) (concern, error) {
		var c concern
		return c, r.Scan(&c.contract, &c.c.ID, &c.c.LineID, &c.c.Body, &c.c.CreatedAt, &c.c.Response, &c.c.RespondedAt)
	}, `SELECT r.contract_id, k.id, k.line_id, k.body, k.created_at, k.response, k.responded_at
FROM delivery_concerns k JOIN delivery_lines l ON l.id = k.line_id JOIN delivery_reports r ON r.id = l.report_id ORDER BY r.contract_id, k.id`)
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		in.Concerns[c.contract] = append(in.Concerns[c.contract], c.c)
	}
	return orgIDs, nil
}
