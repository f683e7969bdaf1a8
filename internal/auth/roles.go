// Package auth holds accounts, roles and the permission rules: who may do
// what to which object. Handlers ask Can before every action; the rules live
// here, in one table, so they can be read and tested as a whole.
package auth

import (
	"net/mail"
	"strings"
	"time"
)

// Role is a per-organisation role.
type Role string

const (
	RoleBuyer     Role = "buyer_officer"
	RoleEvaluator Role = "evaluator"
	RoleSupplier  Role = "supplier_rep"
	RoleVCSE      Role = "vcse_rep"
	RoleOrgAdmin  Role = "org_admin"
)

// Roles lists every organisation role in display order.
var Roles = []Role{RoleOrgAdmin, RoleBuyer, RoleEvaluator, RoleSupplier, RoleVCSE}

// Label is the human name of a role.
func (r Role) Label() string {
	switch r {
	case RoleBuyer:
		return "Buyer officer"
	case RoleEvaluator:
		return "Evaluator"
	case RoleSupplier:
		return "Supplier representative"
	case RoleVCSE:
		return "VCSE representative"
	case RoleOrgAdmin:
		return "Organisation admin"
	}
	return string(r)
}

// ParseRole returns the role named s and whether it exists.
func ParseRole(s string) (Role, bool) {
	for _, r := range Roles {
		if string(r) == s {
			return r, true
		}
	}
	return "", false
}

// RoleFitsKind reports whether an organisation of kind may hold role:
// only public bodies buy and evaluate; VCSE representatives belong to VCSEs.
func RoleFitsKind(r Role, kind string) bool {
	switch r {
	case RoleBuyer, RoleEvaluator:
		return kind == "public_body"
	case RoleSupplier:
		return kind == "business" || kind == "vcse"
	case RoleVCSE:
		return kind == "vcse"
	case RoleOrgAdmin:
		return true
	}
	return false
}

// User is an account.
type User struct {
	ID              int64
	Email           string
	Name            string
	PasswordHash    string
	EmailVerifiedAt *time.Time
	IsAdmin         bool
	Postcode        string
	CreatedAt       time.Time
}

// Verified reports whether the user has confirmed their email address.
func (u User) Verified() bool { return u.EmailVerifiedAt != nil }

// Membership is one role a user holds in one organisation.
type Membership struct {
	OrgID   int64
	OrgName string
	OrgSlug string
	OrgKind string
	// OrgModerates: a VCSE infrastructure body the hub trusts to moderate needs.
	OrgModerates bool
	UserID       int64
	Email        string
	Name         string
	Role         Role
}

// Actor is who is asking: nobody (anonymous), a user, and their roles.
type Actor struct {
	User        *User
	Memberships []Membership
}

// Anonymous is the actor for requests without a session.
var Anonymous = Actor{}

// SignedIn reports whether there is a user.
func (a Actor) SignedIn() bool { return a.User != nil }

// Admin reports whether the actor is a hub administrator with a verified email.
func (a Actor) Admin() bool { return a.User != nil && a.User.IsAdmin && a.User.Verified() }

// Resident reports whether the actor is a verified user (the resident role).
func (a Actor) Resident() bool { return a.User != nil && a.User.Verified() }

// HasRole reports whether the actor holds role in organisation org.
func (a Actor) HasRole(org int64, role Role) bool {
	if !a.Resident() {
		return false
	}
	for _, m := range a.Memberships {
		if m.OrgID == org && m.Role == role {
			return true
		}
	}
	return false
}

// MemberOf reports whether the actor holds any role in org.
func (a Actor) MemberOf(org int64) bool {
	if !a.Resident() {
		return false
	}
	for _, m := range a.Memberships {
		if m.OrgID == org {
			return true
		}
	}
	return false
}

// Label names the actor for audit events.
func (a Actor) Label() string {
	if a.User == nil {
		return "anonymous"
	}
	return a.User.Email
}

// ID is the user id, or 0.
func (a Actor) ID() int64 {
	if a.User == nil {
		return 0
	}
	return a.User.ID
}

// Action is something an actor may try to do.
type Action string

const (
	ViewDirectory     Action = "directory.view"
	CreateBusinessOrg Action = "org.create.business_or_vcse"
	CreatePublicBody  Action = "org.create.public_body"
	EditOrg           Action = "org.edit"
	VerifyOrg         Action = "org.verify"
	ViewMembers       Action = "org.members.view"
	InviteMember      Action = "org.members.invite"
	RemoveMember      Action = "org.members.remove"
	ViewFramework     Action = "framework.view"
	EditFramework     Action = "framework.edit"
	PublishFramework  Action = "framework.publish"
	ManageUsers       Action = "users.manage"
	ViewAudit         Action = "audit.view"
	ViewOutbox        Action = "outbox.view"
	ManageOwnTokens   Action = "tokens.manage"
	ImportGeography   Action = "geo.import" // upload a postcode directory or IMD file
	// People's Priorities. A round's Target.OrgID is the public body that
	// runs it (0 for the hub); a workshop's is the VCSE organisation.
	CreateRound Action = "round.create"
	ManageRound Action = "round.manage"
	RunWorkshop Action = "round.workshop"
	Vote        Action = "round.vote"
	// Collaboration Fund: hub administrators keep the ledger, run rounds and
	// review eligibility; an organisation's admin or VCSE representative
	// proposes (Target.OrgID is the proposing organisation).
	ManageFund Action = "fund.manage"
	Propose    Action = "fund.propose"
	// Spend: a public body's buyer officers and organisation admins import
	// its spend files and see its rejected rows (Target.OrgID: the body).
	ImportSpend Action = "spend.import"
	// ResolveSuppliers: confirming that a payee is a directory organisation
	// changes every buyer's analysis, so it is for hub administrators and
	// the buyer officers and organisation admins of public bodies.
	ResolveSuppliers Action = "spend.resolve"
	// Procurement. Target.OrgID is the buying public body for CreateTender
	// and ManageTender (its buyer officers and organisation admins run the
	// tender, moderate and verify delivery); the bidding organisation for
	// Bid (its supplier representatives and admins); the contract's supplier
	// for ReportDelivery. Evaluators are checked against the tender's list.
	CreateTender   Action = "tender.create"
	ManageTender   Action = "tender.manage"
	Bid            Action = "tender.bid"
	ReportDelivery Action = "contract.report"
	FlagConcern    Action = "contract.concern"
	// Hub brokerage. Target.OrgID is the organisation posting: a need by
	// any organisation's admin, VCSE representative or buyer officer; an
	// offer by a business's or VCSE's supplier representative or admin.
	// Hub administrators, and the VCSE representatives and admins of VCSE
	// infrastructure bodies the hub trusts, moderate needs (and publish
	// library resources).
	PostNeed    Action = "hub.need"
	PostOffer   Action = "hub.offer"
	ModerateHub Action = "hub.moderate"
	// WriteResource: any member of the authoring organisation (Target.OrgID)
	// drafts library resources; hub administrators review and publish them
	// (ModerateHub).
	WriteResource Action = "resource.write"
)

// Target is the object of an action; OrgID is 0 when the action has none.
type Target struct {
	OrgID int64
}

// Can reports whether actor may perform action on target. It is the single
// source of truth for permissions; the matrix test exercises every row.
func Can(a Actor, action Action, t Target) bool {
	switch action {
	case ViewDirectory, ViewFramework:
		return true
	case CreateBusinessOrg, ManageOwnTokens:
		return a.Resident()
	case CreatePublicBody, VerifyOrg, EditFramework, PublishFramework, ManageUsers, ViewAudit, ViewOutbox, ImportGeography:
		return a.Admin()
	case EditOrg, InviteMember, RemoveMember:
		return a.Admin() || (t.OrgID != 0 && a.HasRole(t.OrgID, RoleOrgAdmin))
	case ViewMembers:
		return a.Admin() || (t.OrgID != 0 && a.MemberOf(t.OrgID))
	case Vote:
		return a.Resident()
	case ManageFund:
		return a.Admin()
	case ImportSpend:
		if a.Admin() {
			return true
		}
		for _, m := range a.OrgsWith("public_body", RoleBuyer, RoleOrgAdmin) {
			if m.OrgID == t.OrgID {
				return true
			}
		}
		return false
	case CreateTender, ManageTender:
		for _, m := range a.OrgsWith("public_body", RoleBuyer, RoleOrgAdmin) {
			if m.OrgID == t.OrgID {
				return true
			}
		}
		return false
	case Bid, ReportDelivery:
		return t.OrgID != 0 && (a.HasRole(t.OrgID, RoleSupplier) || a.HasRole(t.OrgID, RoleOrgAdmin))
	case FlagConcern:
		return a.Resident()
	case PostNeed:
		return t.OrgID != 0 && (a.HasRole(t.OrgID, RoleOrgAdmin) || a.HasRole(t.OrgID, RoleVCSE) || a.HasRole(t.OrgID, RoleBuyer))
	case PostOffer:
		for _, m := range append(a.OrgsWith("business", RoleSupplier, RoleOrgAdmin), a.OrgsWith("vcse", RoleSupplier, RoleOrgAdmin)...) {
			if m.OrgID == t.OrgID {
				return true
			}
		}
		return false
	case ModerateHub:
		if a.Admin() {
			return true
		}
		for _, m := range a.OrgsWith("vcse", RoleVCSE, RoleOrgAdmin) {
			if m.OrgModerates {
				return true
			}
		}
		return false
	case WriteResource:
		return a.Admin() || (t.OrgID != 0 && a.MemberOf(t.OrgID))
	case Propose:
		return t.OrgID != 0 && (a.HasRole(t.OrgID, RoleOrgAdmin) || a.HasRole(t.OrgID, RoleVCSE))
	case CreateRound, ResolveSuppliers:
		return a.Admin() || len(a.OrgsWith("public_body", RoleBuyer, RoleOrgAdmin)) > 0
	case ManageRound:
		return a.Admin() || (t.OrgID != 0 && (a.HasRole(t.OrgID, RoleBuyer) || a.HasRole(t.OrgID, RoleOrgAdmin)))
	case RunWorkshop:
		for _, m := range a.OrgsWith("vcse", RoleVCSE, RoleOrgAdmin) {
			if m.OrgID == t.OrgID {
				return true
			}
		}
		return false
	}
	return false
}

// OrgsWith lists the actor's memberships in organisations of kind that
// hold one of roles (each organisation once).
func (a Actor) OrgsWith(kind string, roles ...Role) []Membership {
	if !a.Resident() {
		return nil
	}
	var out []Membership
	seen := map[int64]bool{}
	for _, m := range a.Memberships {
		if m.OrgKind != kind || seen[m.OrgID] {
			continue
		}
		for _, r := range roles {
			if m.Role == r {
				out = append(out, m)
				seen[m.OrgID] = true
				break
			}
		}
	}
	return out
}

// NormaliseEmail lower-cases and trims an address and checks its shape.
func NormaliseEmail(s string) (string, string) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return "", "Enter your email address"
	}
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Address != s || !strings.Contains(s[strings.LastIndex(s, "@")+1:], ".") || len(s) > 254 {
		return s, "Enter an email address in the correct format, like name@example.com"
	}
	return s, ""
}
