package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/spend"
)

// CreateSurvey records a re-spend survey and the suppliers asked.
func (s *Store) CreateSurvey(ctx context.Context, actor auth.Actor, sv spend.Survey, now time.Time) (int64, error) {
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO spend_surveys (buyer_org_id, from_date, to_date, top_n, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			sv.BuyerOrgID, sv.From, sv.To, sv.Top, actorRef(actor), now.UTC()).Scan(&id); err != nil {
			return fmt.Errorf("create survey: %w", err)
		}
		for _, x := range sv.Suppliers {
			var org any
			if x.OrgID > 0 {
				org = x.OrgID
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO survey_suppliers (survey_id, supplier_key, supplier_name, org_id, spend_pence, location, status) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
				id, x.Key, x.Name, org, x.SpendPence, x.Location, x.Status); err != nil {
				return fmt.Errorf("create survey: %w", err)
			}
		}
		return s.record(ctx, tx, hubEvent(actor, "spend.survey.create", "spend_survey", id, nil, map[string]any{"buyer": sv.BuyerOrgID, "from": sv.From, "to": sv.To, "suppliers": len(sv.Suppliers)}))
	})
	return id, err
}

// Survey loads a survey with its suppliers, largest spend first.
func (s *Store) Survey(ctx context.Context, id int64) (spend.Survey, error) {
	var sv spend.Survey
	err := s.readRow(ctx, `SELECT v.id, v.buyer_org_id, o.legal_name, o.slug, v.from_date, v.to_date, v.top_n, v.created_at FROM spend_surveys v JOIN organisations o ON o.id = v.buyer_org_id WHERE v.id = $1`, id).
		Scan(&sv.ID, &sv.BuyerOrgID, &sv.BuyerName, &sv.BuyerSlug, &sv.From, &sv.To, &sv.Top, &sv.CreatedAt)
	if err != nil {
		return sv, notFound(err, "survey")
	}
	sv.Suppliers, err = query(ctx, s, "survey suppliers", func(r *sql.Rows) (spend.SurveySupplier, error) {
		var x spend.SurveySupplier
		a := &x.Answer
		return x, r.Scan(&x.Key, &x.Name, &x.OrgID, &x.SpendPence, &x.Location, &x.Status, &a.WageShare, &a.WageDistrict, &a.WageGM, &a.PurchaseShare, &a.PurchaseDistrict, &a.PurchaseGM)
	}, `SELECT supplier_key, supplier_name, COALESCE(org_id, 0), spend_pence, location, status, wage_share, wage_district, wage_gm, purchase_share, purchase_district, purchase_gm
FROM survey_suppliers WHERE survey_id = $1 ORDER BY spend_pence DESC, supplier_key`, id)
	return sv, err
}

// SurveysOf lists a buyer's surveys, newest first.
func (s *Store) SurveysOf(ctx context.Context, buyerID int64) ([]spend.Survey, error) {
	return query(ctx, s, "surveys", func(r *sql.Rows) (spend.Survey, error) {
		var sv spend.Survey
		return sv, r.Scan(&sv.ID, &sv.BuyerOrgID, &sv.From, &sv.To, &sv.Top, &sv.CreatedAt)
	}, `SELECT id, buyer_org_id, from_date, to_date, top_n, created_at FROM spend_surveys WHERE buyer_org_id = $1 ORDER BY id DESC`, buyerID)
}

// AnswerSurvey records (or corrects) a supplier's answer.
func (s *Store) AnswerSurvey(ctx context.Context, actor auth.Actor, surveyID int64, key string, a spend.SurveyAnswer, now time.Time) error {
	if err := a.Validate(); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		var status string
		if err := tx.QueryRowContext(ctx, `SELECT status FROM survey_suppliers WHERE survey_id = $1 AND supplier_key = $2`, surveyID, key).Scan(&status); err != nil {
			return notFound(err, "answer survey")
		}
		if status == spend.SurveyNotOnHub {
			return fmt.Errorf("this supplier is not on the hub: %w", problem.ErrConflict)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE survey_suppliers SET status = $1, wage_share = $2, wage_district = $3, wage_gm = $4, purchase_share = $5, purchase_district = $6, purchase_gm = $7, responded_by = $8, responded_at = $9
WHERE survey_id = $10 AND supplier_key = $11`, spend.SurveyAnswered, a.WageShare, a.WageDistrict, a.WageGM, a.PurchaseShare, a.PurchaseDistrict, a.PurchaseGM, actorRef(actor), now.UTC(), surveyID, key); err != nil {
			return fmt.Errorf("answer survey: %w", err)
		}
		return s.record(ctx, tx, hubEvent(actor, "spend.survey.answer", "spend_survey", surveyID, map[string]string{"status": status}, map[string]any{"supplier": key, "answer": a}))
	})
}
