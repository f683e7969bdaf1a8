package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/hub"
	"github.com/svhub/svhub/internal/problem"
)

// CurrentPledge is the newest published pledge text.
func (s *Store) CurrentPledge(ctx context.Context) (hub.PledgeVersion, error) {
	var p hub.PledgeVersion
	err := s.readRow(ctx, `SELECT version, text, published_at FROM pledge_versions ORDER BY version DESC LIMIT 1`).Scan(&p.Version, &p.Text, &p.PublishedAt)
	return p, notFound(err, "pledge text")
}

// SignPledge records an organisation's signature of a pledge version.
func (s *Store) SignPledge(ctx context.Context, actor auth.Actor, orgID int64, version int, priorities []string, now time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO pledges (org_id, version, priorities, signed_by, signed_at) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (org_id) DO UPDATE SET version = excluded.version, priorities = excluded.priorities, signed_by = excluded.signed_by, signed_at = excluded.signed_at`,
			orgID, version, strings.Join(priorities, " "), actorRef(actor), now.UTC()); err != nil {
			return fmt.Errorf("sign pledge: %w", err)
		}
		return s.record(ctx, tx, orgEvent(actor, "pledge.sign", orgID, nil, map[string]any{"version": version, "priorities": priorities}))
	})
}

// ReportPledge records (or replaces) a year's progress report.
func (s *Store) ReportPledge(ctx context.Context, actor auth.Actor, orgID int64, year int, text string, now time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM pledges WHERE org_id = $1`, orgID).Scan(&n); err != nil {
			return fmt.Errorf("pledge report: %w", err)
		}
		if n == 0 {
			return problem.Field("report", "Sign the pledge before reporting on it")
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO pledge_reports (org_id, year, text, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (org_id, year) DO UPDATE SET text = excluded.text, created_at = excluded.created_at`,
			orgID, year, text, now.UTC()); err != nil {
			return fmt.Errorf("pledge report: %w", err)
		}
		return s.record(ctx, tx, orgEvent(actor, "pledge.report", orgID, nil, map[string]any{"year": year}))
	})
}

// PledgeOf returns an organisation's pledge and reports, or nil.
func (s *Store) PledgeOf(ctx context.Context, orgID int64) (*hub.Pledge, error) {
	var p hub.Pledge
	var prios string
	err := s.readRow(ctx, `SELECT org_id, version, priorities, signed_at FROM pledges WHERE org_id = $1`, orgID).Scan(&p.OrgID, &p.Version, &prios, &p.SignedAt)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("pledge: %w", wrapConn(err))
	}
	p.Priorities = strings.Fields(prios)
	p.Reports, err = query(ctx, s, "pledge reports", func(r *sql.Rows) (hub.PledgeReport, error) {
		var x hub.PledgeReport
		return x, r.Scan(&x.Year, &x.Text, &x.CreatedAt)
	}, `SELECT year, text, created_at FROM pledge_reports WHERE org_id = $1 ORDER BY year DESC`, orgID)
	return &p, err
}

// AddChampion names a social value champion.
func (s *Store) AddChampion(ctx context.Context, actor auth.Actor, c hub.Champion, now time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO champions (org_id, name, role, consent, created_at) VALUES ($1, $2, $3, $4, $5)`, c.OrgID, c.Name, c.Role, c.Consent, now.UTC()); err != nil {
			return fmt.Errorf("add champion: %w", err)
		}
		return s.record(ctx, tx, orgEvent(actor, "champion.add", c.OrgID, nil, map[string]any{"name": c.Name, "consent": c.Consent}))
	})
}

// Champions lists an organisation's champions; public lists only those
// who consented.
func (s *Store) Champions(ctx context.Context, orgID int64, public bool) ([]hub.Champion, error) {
	return query(ctx, s, "champions", func(r *sql.Rows) (hub.Champion, error) {
		var c hub.Champion
		return c, r.Scan(&c.ID, &c.OrgID, &c.Name, &c.Role, &c.Consent)
	}, `SELECT id, org_id, name, role, consent FROM champions WHERE org_id = $1 AND (consent OR NOT $2) ORDER BY name`, orgID, public)
}

// KiteFacts gathers the facts the kite mark rules need for an organisation.
func (s *Store) KiteFacts(ctx context.Context, orgID int64, today string) (hub.Facts, error) {
	all, err := s.kiteFacts(ctx, `WHERE o.id = $2`, today, orgID)
	return all[orgID], err
}

// AllKiteFacts reads the kite-mark facts of every organisation in one
// statement (the kite marks list asked once per organisation).
func (s *Store) AllKiteFacts(ctx context.Context, today string) (map[int64]hub.Facts, error) {
	return s.kiteFacts(ctx, ``, today)
}

func (s *Store) kiteFacts(ctx context.Context, where string, args ...any) (map[int64]hub.Facts, error) {
	type row struct {
		id                                      int64
		f                                       hub.Facts
		pledged, rlw, member, charter, ftm, crp int
	}
	rows, err := query(ctx, s, "kite facts", func(r *sql.Rows) (row, error) {
		var x row
		err := r.Scan(&x.id, &x.pledged, &x.f.LastReport, &x.rlw, &x.member, &x.charter, &x.ftm, &x.crp, &x.f.VerifiedDelivery, &x.f.BrokerageMet)
		return x, err
	}, `SELECT o.id,
(SELECT COUNT(*) FROM pledges WHERE org_id = o.id),
COALESCE((SELECT MAX(year) FROM pledge_reports WHERE org_id = o.id), 0),
(SELECT COUNT(*) FROM accreditations WHERE org_id = o.id AND kind = 'real_living_wage' AND verified_on <> '' AND verified_until >= $1 AND (expires_on = '' OR expires_on >= $1)),
(SELECT COUNT(*) FROM accreditations WHERE org_id = o.id AND kind = 'good_employment_charter' AND level = 'member' AND verified_on <> '' AND verified_until >= $1 AND (expires_on = '' OR expires_on >= $1)),
(SELECT COUNT(*) FROM accreditations WHERE org_id = o.id AND kind = 'good_employment_charter' AND verified_on <> '' AND verified_until >= $1 AND (expires_on = '' OR expires_on >= $1)),
(SELECT COUNT(*) FROM accreditations WHERE org_id = o.id AND kind = 'fair_tax_mark' AND verified_on <> '' AND verified_until >= $1 AND (expires_on = '' OR expires_on >= $1)),
(SELECT COUNT(*) FROM accreditations WHERE org_id = o.id AND kind = 'carbon_reduction_plan' AND verified_on <> '' AND verified_until >= $1 AND (expires_on = '' OR expires_on >= $1)),
(SELECT COUNT(*) FROM delivery_lines l JOIN commitments c ON c.id = l.commitment_id JOIN contracts ct ON ct.id = c.contract_id WHERE ct.supplier_org_id = o.id AND l.status = 'verified'),
(SELECT COUNT(*) FROM hub_matches m JOIN hub_offers f ON f.id = m.offer_id WHERE f.org_id = o.id AND m.status = 'delivered')
FROM organisations o `+where, args...)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]hub.Facts, len(rows))
	for _, x := range rows {
		f := x.f
		f.Pledged, f.RealLivingWage, f.CharterMember, f.CharterAny, f.FairTaxMark, f.CarbonPlan = x.pledged > 0, x.rlw > 0, x.member > 0, x.charter > 0, x.ftm > 0, x.crp > 0
		out[x.id] = f
	}
	return out, nil
}

// DeclareRelationship records a relationship an organisation declares.
func (s *Store) DeclareRelationship(ctx context.Context, actor auth.Actor, from, to int64, kind, since string, now time.Time) error {
	if from == to {
		return problem.Field("to", "Choose another organisation")
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO org_relationships (from_org, to_org, kind, since, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)`, from, to, kind, since, actorRef(actor), now.UTC()); err != nil {
			return fmt.Errorf("declare relationship: %w", err)
		}
		return s.record(ctx, tx, orgEvent(actor, "relationship.declare", from, nil, map[string]any{"to": to, "kind": kind, "since": since}))
	})
}

// NetworkNodes lists every organisation with its registered district.
func (s *Store) NetworkNodes(ctx context.Context) ([]hub.Node, error) {
	return query(ctx, s, "network nodes", func(r *sql.Rows) (hub.Node, error) {
		var n hub.Node
		return n, r.Scan(&n.ID, &n.Name, &n.Slug, &n.Kind, &n.Anchor, &n.District)
	}, `SELECT o.id, o.legal_name, o.slug, o.kind, o.anchor, COALESCE((SELECT st.district_code FROM sites st WHERE st.org_id = o.id ORDER BY st.id LIMIT 1), '') FROM organisations o ORDER BY o.legal_name`)
}

// NetworkEdges derives relationships from the hub's own records — contracts,
// delivered or accepted brokerage, fund partnerships, people who belong to
// both organisations — and adds the declared ones.
func (s *Store) NetworkEdges(ctx context.Context) ([]hub.Edge, error) {
	scan := func(r *sql.Rows) (hub.Edge, error) {
		var e hub.Edge
		var prios string
		err := r.Scan(&e.From, &e.To, &e.Kind, &e.Since, &prios)
		e.Priorities = strings.Fields(prios)
		return e, err
	}
	// Rows for the same pair, kind and date merge into one edge with the
	// union of their priorities.
	var out []hub.Edge
	at := map[string]int{}
	for _, q := range []string{
		`SELECT ct.buyer_org_id, ct.supplier_org_id, 'contract', ct.start_date, COALESCE(p.code, '') FROM contracts ct LEFT JOIN commitments c ON c.contract_id = ct.id
LEFT JOIN measures m ON m.id = c.measure_id LEFT JOIN outcomes oc ON oc.id = m.outcome_id LEFT JOIN priorities p ON p.id = oc.priority_id`,
		`SELECT n.org_id, f.org_id, 'brokerage', COALESCE(NULLIF(m.delivered_on, ''), ''), n.priorities FROM hub_matches m JOIN hub_needs n ON n.id = m.need_id JOIN hub_offers f ON f.id = m.offer_id WHERE m.status IN ('accepted', 'delivered')`,
		`SELECT p.org_id, fp.org_id, 'fund', '', p.priorities FROM fund_partners fp JOIN fund_proposals p ON p.id = fp.proposal_id WHERE fp.org_id <> p.org_id`,
		`SELECT DISTINCT a.org_id, b.org_id, 'member', '', '' FROM memberships a JOIN memberships b ON a.user_id = b.user_id AND a.org_id < b.org_id`,
		`SELECT from_org, to_org, kind, since, '' FROM org_relationships`,
	} {
		es, err := query(ctx, s, "network edges", scan, q)
		if err != nil {
			return nil, err
		}
		for _, e := range es {
			key := fmt.Sprintf("%d/%d/%s/%s", e.From, e.To, e.Kind, e.Since)
			i, ok := at[key]
			if !ok {
				at[key] = len(out)
				out = append(out, hub.Edge{From: e.From, To: e.To, Kind: e.Kind, Since: e.Since})
				i = len(out) - 1
			}
			for _, p := range e.Priorities {
				if !slices.Contains(out[i].Priorities, p) {
					out[i].Priorities = append(out[i].Priorities, p)
				}
			}
		}
	}
	return out, nil
}
