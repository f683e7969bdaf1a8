package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/svhub/svhub/internal/audit"
	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/problem"
)

const orgCols = `id, slug, kind, subkind, legal_name, trading_names, company_number, charity_number, vat_number, size, anchor, sic_codes, description, website, verified, created_at, updated_at, hub_moderator`

func scanOrg(row interface{ Scan(...any) error }) (orgs.Organisation, error) {
	var o orgs.Organisation
	err := row.Scan(&o.ID, &o.Slug, &o.Kind, &o.Subkind, &o.LegalName, &o.TradingNames, &o.CompanyNumber, &o.CharityNumber, &o.VATNumber, &o.Size, &o.Anchor, &o.SICCodes, &o.Description, &o.Website, &o.Verified, &o.CreatedAt, &o.UpdatedAt, &o.HubModerator)
	return o, err
}

func orgEvent(actor auth.Actor, action string, orgID int64, before, after any) audit.Event {
	return audit.Event{ActorID: actor.ID(), Actor: actor.Label(), Action: action, ObjectType: "organisation", ObjectID: strconv.FormatInt(orgID, 10), Summary: audit.Summary(before, after)}
}

// profile is the audited view of an organisation's editable fields.
func profile(o orgs.Organisation) map[string]any {
	return map[string]any{"legal_name": o.LegalName, "kind": o.Kind, "subkind": o.Subkind, "trading_names": o.TradingNames,
		"company_number": o.CompanyNumber, "charity_number": o.CharityNumber, "vat_number": o.VATNumber, "size": o.Size,
		"anchor": o.Anchor, "sic_codes": o.SICCodes, "website": o.Website, "verified": o.Verified}
}

// CreateOrganisation adds an organisation; when adminUserID is not 0 that
// user becomes its organisation admin in the same transaction.
func (s *Store) CreateOrganisation(ctx context.Context, actor auth.Actor, o orgs.Organisation, adminUserID int64) (orgs.Organisation, error) {
	now := time.Now().UTC()
	o.CreatedAt, o.UpdatedAt = now, now
	base := orgs.Slugify(o.LegalName)
	err := s.tx(ctx, func(tx *sql.Tx) error {
		// Pick a free slug: name, name-2, name-3 …
		var taken []string
		rows, err := tx.QueryContext(ctx, `SELECT slug FROM organisations WHERE slug = $1 OR slug LIKE $2`, base, base+"-%")
		if err != nil {
			return fmt.Errorf("create organisation: %w", err)
		}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				rows.Close()
				return err
			}
			taken = append(taken, s)
		}
		rows.Close()
		o.Slug = base
		for i := 2; contains(taken, o.Slug); i++ {
			o.Slug = base + "-" + strconv.Itoa(i)
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO organisations (slug, kind, subkind, legal_name, trading_names, company_number, charity_number, vat_number, size, anchor, sic_codes, description, website, verified, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id`,
			o.Slug, o.Kind, o.Subkind, o.LegalName, o.TradingNames, o.CompanyNumber, o.CharityNumber, o.VATNumber, o.Size, o.Anchor, o.SICCodes, o.Description, o.Website, o.Verified, now, now).Scan(&o.ID)
		if err != nil {
			return fmt.Errorf("create organisation: %w", err)
		}
		for i := range o.Sites {
			o.Sites[i].OrgID = o.ID
			if err := insertSite(ctx, tx, &o.Sites[i]); err != nil {
				return err
			}
		}
		for i := range o.Accreditations {
			o.Accreditations[i].OrgID = o.ID
			if err := insertAccreditation(ctx, tx, &o.Accreditations[i]); err != nil {
				return err
			}
		}
		if err := s.record(ctx, tx, orgEvent(actor, "organisation.create", o.ID, nil, profile(o))); err != nil {
			return err
		}
		if adminUserID != 0 {
			return s.addMember(ctx, tx, actor, o.ID, adminUserID, auth.RoleOrgAdmin)
		}
		return nil
	})
	return o, err
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// UpdateOrganisation saves a profile's editable fields (not slug or verified).
func (s *Store) UpdateOrganisation(ctx context.Context, actor auth.Actor, o orgs.Organisation) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		before, err := scanOrg(tx.QueryRowContext(ctx, `SELECT `+orgCols+` FROM organisations WHERE id = $1`, o.ID))
		if err != nil {
			return notFound(err, "update organisation")
		}
		o.Verified = before.Verified
		if _, err := tx.ExecContext(ctx, `UPDATE organisations SET kind = $1, subkind = $2, legal_name = $3, trading_names = $4, company_number = $5, charity_number = $6, vat_number = $7, size = $8, anchor = $9, sic_codes = $10, description = $11, website = $12, updated_at = $13 WHERE id = $14`,
			o.Kind, o.Subkind, o.LegalName, o.TradingNames, o.CompanyNumber, o.CharityNumber, o.VATNumber, o.Size, o.Anchor, o.SICCodes, o.Description, o.Website, time.Now().UTC(), o.ID); err != nil {
			return fmt.Errorf("update organisation: %w", err)
		}
		return s.record(ctx, tx, orgEvent(actor, "organisation.update", o.ID, profile(before), profile(o)))
	})
}

// SetVerified sets the hub-admin verified flag.
func (s *Store) SetVerified(ctx context.Context, actor auth.Actor, orgID int64, verified bool) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE organisations SET verified = $1, updated_at = $2 WHERE id = $3`, verified, time.Now().UTC(), orgID)
		if err != nil {
			return fmt.Errorf("verify organisation: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("verify organisation %d: %w", orgID, problem.ErrNotFound)
		}
		return s.record(ctx, tx, orgEvent(actor, "organisation.verify", orgID, nil, map[string]bool{"verified": verified}))
	})
}

// OrganisationBySlug loads a profile with its sites and accreditations.
func (s *Store) OrganisationBySlug(ctx context.Context, slug string) (orgs.Organisation, error) {
	return s.loadOrg(ctx, `SELECT `+orgCols+` FROM organisations WHERE slug = $1`, slug)
}

// OrganisationByID loads a profile with its sites and accreditations.
func (s *Store) OrganisationByID(ctx context.Context, id int64) (orgs.Organisation, error) {
	return s.loadOrg(ctx, `SELECT `+orgCols+` FROM organisations WHERE id = $1`, id)
}

func (s *Store) loadOrg(ctx context.Context, q string, arg any) (orgs.Organisation, error) {
	o, err := scanOrg(s.readRow(ctx, q, arg))
	if err != nil {
		return o, notFound(err, "organisation")
	}
	byID := map[int64]*orgs.Organisation{o.ID: &o}
	return o, s.orgParts(ctx, byID)
}

// organisationsByID loads many profiles with their sites and
// accreditations: three statements for each 500 organisations, not three
// for each one. An id with no organisation is an error.
func (s *Store) organisationsByID(ctx context.Context, ids []int64) (map[int64]orgs.Organisation, error) {
	out := make(map[int64]orgs.Organisation, len(ids))
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), 500)]
		ids = ids[len(chunk):]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		list, err := query(ctx, s, "organisations", func(r *sql.Rows) (orgs.Organisation, error) { return scanOrg(r) },
			`SELECT `+orgCols+` FROM organisations WHERE id IN (`+placeholders(1, len(chunk))+`)`, args...)
		if err != nil {
			return nil, err
		}
		byID := make(map[int64]*orgs.Organisation, len(list))
		for i := range list {
			byID[list[i].ID] = &list[i]
		}
		for _, id := range chunk {
			if byID[id] == nil {
				return nil, notFound(sql.ErrNoRows, "organisation")
			}
		}
		if err := s.orgParts(ctx, byID); err != nil {
			return nil, err
		}
		for id, o := range byID {
			out[id] = *o
		}
	}
	return out, nil
}

// orgParts fills in the sites and accreditations of the organisations
// given (at most a few hundred), each in its own order.
func (s *Store) orgParts(ctx context.Context, byID map[int64]*orgs.Organisation) error {
	args := make([]any, 0, len(byID))
	for id := range byID {
		args = append(args, id)
	}
	in := placeholders(1, len(args))
	rows, err := s.read(ctx, `SELECT s.id, s.org_id, s.kind, s.label, s.postcode, s.district_code, s.ward_code, s.lsoa_code, COALESCE(d.name, '')
		FROM sites s LEFT JOIN geo_districts d ON d.code = s.district_code WHERE s.org_id IN (`+in+`) ORDER BY s.org_id, s.kind DESC, s.id`, args...)
	if err != nil {
		return fmt.Errorf("organisation sites: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var st orgs.Site
		if err := rows.Scan(&st.ID, &st.OrgID, &st.Kind, &st.Label, &st.Postcode, &st.DistrictCode, &st.WardCode, &st.LSOACode, &st.DistrictName); err != nil {
			return fmt.Errorf("organisation sites: %w", err)
		}
		o := byID[st.OrgID]
		o.Sites = append(o.Sites, st)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	arows, err := s.read(ctx, `SELECT id, org_id, kind, level, evidence_url, awarded_on, expires_on, target_year, verified_evidence, verified_on, verified_until, verified_by, verified_body, rejected_on, rejected_reason, rejected_by, COALESCE((SELECT f.name FROM accreditation_files f WHERE f.accreditation_id = accreditations.id), '') FROM accreditations WHERE org_id IN (`+in+`) ORDER BY org_id, kind, id`, args...)
	if err != nil {
		return fmt.Errorf("organisation accreditations: %w", err)
	}
	defer arows.Close()
	for arows.Next() {
		var a orgs.Accreditation
		if err := arows.Scan(&a.ID, &a.OrgID, &a.Kind, &a.Level, &a.EvidenceURL, &a.AwardedOn, &a.ExpiresOn, &a.TargetYear, &a.VerifiedEvidence, &a.VerifiedOn, &a.VerifiedUntil, &a.VerifiedBy, &a.VerifiedBody, &a.RejectedOn, &a.RejectedReason, &a.RejectedBy, &a.VerifiedDocument); err != nil {
			return fmt.Errorf("organisation accreditations: %w", err)
		}
		o := byID[a.OrgID]
		o.Accreditations = append(o.Accreditations, a)
	}
	return arows.Err()
}

// ListOrganisations searches the directory; it returns one page and the total.
func (s *Store) ListOrganisations(ctx context.Context, f orgs.Filter) ([]orgs.Organisation, int, error) {
	where := []string{"1=1"}
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	if q := strings.TrimSpace(f.Query); q != "" {
		p := arg("%" + strings.ToLower(q) + "%")
		where = append(where, "(LOWER(o.legal_name) LIKE "+p+" OR LOWER(o.trading_names) LIKE "+p+" OR LOWER(o.description) LIKE "+p+" OR LOWER(o.company_number) LIKE "+p+" OR o.charity_number LIKE "+p+")")
	}
	if f.Kind != "" {
		where = append(where, "o.kind = "+arg(f.Kind))
	}
	if f.District != "" {
		where = append(where, "EXISTS (SELECT 1 FROM sites s WHERE s.org_id = o.id AND s.district_code = "+arg(f.District)+")")
	}
	if f.SME {
		where = append(where, "o.size IN ('micro', 'small', 'medium')")
	}
	if f.Verified {
		where = append(where, "o.verified = "+arg(true))
	}
	if f.Accred != "" {
		verified := ""
		if !f.SelfDeclared {
			// The same rule as orgs.Accreditation.Verified.
			t := arg(f.Today)
			verified = " AND a.verified_on <> '' AND a.verified_until >= " + t + " AND (a.expires_on = '' OR a.expires_on >= " + t + ")"
		}
		where = append(where, "EXISTS (SELECT 1 FROM accreditations a WHERE a.org_id = o.id AND a.kind = "+arg(f.Accred)+verified+")")
	}
	cond := strings.Join(where, " AND ")
	var total int
	if err := s.readRow(ctx, `SELECT COUNT(*) FROM organisations o WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count organisations: %w", wrapConn(err))
	}
	if f.Limit <= 0 {
		f.Limit = 25
	}
	rows, err := s.read(ctx, `SELECT o.id, o.slug, o.kind, o.subkind, o.legal_name, o.trading_names, o.company_number, o.charity_number, o.vat_number, o.size, o.anchor, o.sic_codes, o.description, o.website, o.verified, o.created_at, o.updated_at, o.hub_moderator
		FROM organisations o WHERE `+cond+` ORDER BY o.legal_name, o.id LIMIT `+arg(f.Limit)+` OFFSET `+arg(f.Offset), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list organisations: %w", wrapConn(err))
	}
	defer rows.Close()
	var out []orgs.Organisation
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("list organisations: %w", err)
		}
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("list organisations: %w", err)
	}
	// Their sites and accreditations, so that lists can label
	// self-declared accreditations.
	byID := map[int64]*orgs.Organisation{}
	for i := range out {
		byID[out[i].ID] = &out[i]
	}
	if len(byID) > 0 {
		if err := s.orgParts(ctx, byID); err != nil {
			return nil, 0, err
		}
	}
	return out, total, nil
}

func insertSite(ctx context.Context, tx *sql.Tx, st *orgs.Site) error {
	err := tx.QueryRowContext(ctx, `INSERT INTO sites (org_id, kind, label, postcode, district_code, ward_code, lsoa_code) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		st.OrgID, st.Kind, st.Label, st.Postcode, st.DistrictCode, st.WardCode, st.LSOACode).Scan(&st.ID)
	if err != nil {
		return fmt.Errorf("add site: %w", err)
	}
	return nil
}

// AddSite records a site (already geocoded by the caller).
func (s *Store) AddSite(ctx context.Context, actor auth.Actor, st orgs.Site) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := insertSite(ctx, tx, &st); err != nil {
			return err
		}
		return s.record(ctx, tx, orgEvent(actor, "organisation.site.add", st.OrgID, nil, map[string]string{"kind": st.Kind, "postcode": st.Postcode}))
	})
}

// DeleteSite removes a site of orgID.
func (s *Store) DeleteSite(ctx context.Context, actor auth.Actor, orgID, siteID int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var pc string
		err := tx.QueryRowContext(ctx, `DELETE FROM sites WHERE id = $1 AND org_id = $2 RETURNING postcode`, siteID, orgID).Scan(&pc)
		if err != nil {
			return notFound(err, "delete site")
		}
		return s.record(ctx, tx, orgEvent(actor, "organisation.site.delete", orgID, map[string]string{"postcode": pc}, nil))
	})
}

func insertAccreditation(ctx context.Context, tx *sql.Tx, a *orgs.Accreditation) error {
	err := tx.QueryRowContext(ctx, `INSERT INTO accreditations (org_id, kind, level, evidence_url, awarded_on, expires_on, target_year, verified_evidence, verified_on, verified_until, verified_by, verified_body) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
		a.OrgID, a.Kind, a.Level, a.EvidenceURL, a.AwardedOn, a.ExpiresOn, a.TargetYear, a.VerifiedEvidence, a.VerifiedOn, a.VerifiedUntil, a.VerifiedBy, a.VerifiedBody).Scan(&a.ID)
	if err != nil {
		return fmt.Errorf("add accreditation: %w", err)
	}
	return nil
}

// AddAccreditation records an accreditation.
func (s *Store) AddAccreditation(ctx context.Context, actor auth.Actor, a orgs.Accreditation) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := insertAccreditation(ctx, tx, &a); err != nil {
			return err
		}
		return s.record(ctx, tx, orgEvent(actor, "organisation.accreditation.add", a.OrgID, nil, a))
	})
}

// DeleteAccreditation removes an accreditation of orgID.
func (s *Store) DeleteAccreditation(ctx context.Context, actor auth.Actor, orgID, id int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var kind string
		if err := tx.QueryRowContext(ctx, `DELETE FROM accreditations WHERE id = $1 AND org_id = $2 RETURNING kind`, id, orgID).Scan(&kind); err != nil {
			return notFound(err, "delete accreditation")
		}
		return s.record(ctx, tx, orgEvent(actor, "organisation.accreditation.delete", orgID, map[string]string{"kind": kind}, nil))
	})
}

func (s *Store) addMember(ctx context.Context, tx *sql.Tx, actor auth.Actor, orgID, userID int64, role auth.Role) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO memberships (org_id, user_id, role, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, orgID, userID, string(role), time.Now().UTC())
	if err != nil {
		return fmt.Errorf("add member: %w", err)
	}
	return s.record(ctx, tx, orgEvent(actor, "organisation.member.add", orgID, nil, map[string]any{"user_id": userID, "role": role}))
}

// AddMember gives a user a role in an organisation.
func (s *Store) AddMember(ctx context.Context, actor auth.Actor, orgID, userID int64, role auth.Role) error {
	return s.tx(ctx, func(tx *sql.Tx) error { return s.addMember(ctx, tx, actor, orgID, userID, role) })
}

// RemoveMember removes one role; the last organisation admin cannot be removed.
func (s *Store) RemoveMember(ctx context.Context, actor auth.Actor, orgID, userID int64, role auth.Role) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if role == auth.RoleOrgAdmin {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM memberships WHERE org_id = $1 AND role = $2`, orgID, string(role)).Scan(&n); err != nil {
				return fmt.Errorf("remove member: %w", err)
			}
			if n <= 1 {
				return problem.Field("role", "An organisation needs at least one organisation admin; add another before removing this one")
			}
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM memberships WHERE org_id = $1 AND user_id = $2 AND role = $3`, orgID, userID, string(role))
		if err != nil {
			return fmt.Errorf("remove member: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("remove member: %w", problem.ErrNotFound)
		}
		return s.record(ctx, tx, orgEvent(actor, "organisation.member.remove", orgID, map[string]any{"user_id": userID, "role": role}, nil))
	})
}

// Invitation is a pending offer of a role.
type Invitation struct {
	ID         int64
	OrgID      int64
	OrgName    string
	OrgSlug    string
	Email      string
	Role       auth.Role
	CreatedAt  time.Time
	ExpiresAt  time.Time
	AcceptedAt *time.Time
}

// CreateInvitation stores an invitation by token hash.
func (s *Store) CreateInvitation(ctx context.Context, actor auth.Actor, inv Invitation, tokenHash string) (Invitation, error) {
	inv.CreatedAt = time.Now().UTC()
	err := s.tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO invitations (org_id, email, role, token_hash, invited_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			inv.OrgID, inv.Email, string(inv.Role), tokenHash, actor.ID(), inv.CreatedAt, inv.ExpiresAt.UTC()).Scan(&inv.ID)
		if err != nil {
			return fmt.Errorf("create invitation: %w", err)
		}
		return s.record(ctx, tx, orgEvent(actor, "organisation.invite", inv.OrgID, nil, map[string]any{"email": inv.Email, "role": inv.Role}))
	})
	return inv, err
}

const invitationCols = `i.id, i.org_id, o.legal_name, o.slug, i.email, i.role, i.created_at, i.expires_at, i.accepted_at`

func scanInvitation(row interface{ Scan(...any) error }) (Invitation, error) {
	var inv Invitation
	var role string
	var acc sql.NullTime
	err := row.Scan(&inv.ID, &inv.OrgID, &inv.OrgName, &inv.OrgSlug, &inv.Email, &role, &inv.CreatedAt, &inv.ExpiresAt, &acc)
	inv.Role = auth.Role(role)
	if acc.Valid {
		inv.AcceptedAt = &acc.Time
	}
	return inv, err
}

// InvitationByToken finds an invitation by its token hash.
func (s *Store) InvitationByToken(ctx context.Context, hash string) (Invitation, error) {
	inv, err := scanInvitation(s.readRow(ctx, `SELECT `+invitationCols+` FROM invitations i JOIN organisations o ON o.id = i.org_id WHERE i.token_hash = $1`, hash))
	return inv, notFound(err, "invitation")
}

// PendingInvitations lists an organisation's unanswered invitations.
func (s *Store) PendingInvitations(ctx context.Context, orgID int64) ([]Invitation, error) {
	rows, err := s.read(ctx, `SELECT `+invitationCols+` FROM invitations i JOIN organisations o ON o.id = i.org_id WHERE i.org_id = $1 AND i.accepted_at IS NULL AND i.expires_at > $2 ORDER BY i.created_at DESC`, orgID, time.Now().UTC())
	if err != nil {
		return nil, fmt.Errorf("pending invitations: %w", err)
	}
	defer rows.Close()
	var out []Invitation
	for rows.Next() {
		inv, err := scanInvitation(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, inv)
	}
	return out, rows.Err()
}

// AcceptInvitation gives the signed-in user the invited role. The
// invitation must be unused, unexpired and addressed to that user's email.
func (s *Store) AcceptInvitation(ctx context.Context, actor auth.Actor, hash string, now time.Time) (Invitation, error) {
	var inv Invitation
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		inv, err = scanInvitation(tx.QueryRowContext(ctx, `SELECT `+invitationCols+` FROM invitations i JOIN organisations o ON o.id = i.org_id WHERE i.token_hash = $1`, hash))
		if err != nil {
			return notFound(err, "accept invitation")
		}
		switch {
		case inv.AcceptedAt != nil:
			return problem.Field("token", "This invitation has already been used")
		case !inv.ExpiresAt.After(now):
			return problem.Field("token", "This invitation has expired; ask the organisation for a new one")
		case !strings.EqualFold(inv.Email, actor.User.Email):
			return fmt.Errorf("invitation is for another email address: %w", problem.ErrForbidden)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE invitations SET accepted_at = $1 WHERE id = $2`, now.UTC(), inv.ID); err != nil {
			return fmt.Errorf("accept invitation: %w", err)
		}
		return s.addMember(ctx, tx, actor, inv.OrgID, actor.User.ID, inv.Role)
	})
	return inv, err
}

// OrganisationCount counts every organisation.
func (s *Store) OrganisationCount(ctx context.Context) (int, error) {
	var n int
	err := s.readRow(ctx, `SELECT COUNT(*) FROM organisations`).Scan(&n)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("count organisations: %w", wrapConn(err))
	}
	return n, nil
}
