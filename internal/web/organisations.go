package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/geo"
	"github.com/svhub/svhub/internal/mail"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/store"
)

const pageSize = 25

func filterFrom(q url.Values) orgs.Filter {
	f := orgs.Filter{Query: q.Get("q"), Kind: q.Get("kind"), District: q.Get("district"), SME: q.Get("sme") == "1", Verified: q.Get("verified") == "1", Accred: q.Get("accreditation"), Limit: pageSize}
	if p, err := strconv.Atoi(q.Get("page")); err == nil && p > 1 {
		f.Offset = (p - 1) * pageSize
	}
	return f
}

func (s *Server) directory(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := filterFrom(q)
	list, total, err := s.Store.ListOrganisations(r.Context(), f)
	if err != nil {
		return err
	}
	districts, err := s.Store.Districts(r.Context())
	if err != nil {
		return err
	}
	pageNo := f.Offset/pageSize + 1
	pages := (total + pageSize - 1) / pageSize
	link := func(n int) string {
		v := url.Values{}
		for k, vs := range q {
			if k != "page" {
				v[k] = vs
			}
		}
		v.Set("page", strconv.Itoa(n))
		return "/organisations?" + v.Encode()
	}
	data := map[string]any{"Orgs": list, "Total": total, "Districts": districts, "Page": pageNo, "Pages": pages}
	if pageNo > 1 {
		data["Prev"] = link(pageNo - 1)
	}
	if pageNo < pages {
		data["Next"] = link(pageNo + 1)
	}
	// With htmx the filter form swaps in #results from this same page.
	s.render(w, r, http.StatusOK, "directory", &page{Title: "Directory of organisations", Form: q, Data: data})
	return nil
}

// loadOrg finds the organisation named in the path.
func (s *Server) loadOrg(r *http.Request) (orgs.Organisation, error) {
	return s.Store.OrganisationBySlug(r.Context(), r.PathValue("slug"))
}

// orgAction loads the organisation in the path, checks the actor may do
// action to it, and parses the posted form: the start of every change.
func (s *Server) orgAction(r *http.Request, action auth.Action) (orgs.Organisation, auth.Actor, error) {
	o, err := s.loadOrg(r)
	if err != nil {
		return o, auth.Anonymous, err
	}
	a, err := require(r, action, auth.Target{OrgID: o.ID})
	if err != nil {
		return o, a, err
	}
	return o, a, r.ParseForm()
}

func (s *Server) orgPage(w http.ResponseWriter, r *http.Request) error {
	o, err := s.loadOrg(r)
	if err != nil {
		return err
	}
	data, err := s.orgData(r, o)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "organisation", &page{Title: o.LegalName, Data: data})
	return nil
}

func orgFromForm(f url.Values) orgs.Organisation {
	o := orgs.Organisation{Kind: f.Get("kind"), Subkind: f.Get("subkind"), LegalName: f.Get("legal_name"), TradingNames: f.Get("trading_names"),
		CompanyNumber: f.Get("company_number"), CharityNumber: f.Get("charity_number"), VATNumber: f.Get("vat_number"), Size: f.Get("size"),
		Anchor: f.Get("anchor") == "1", SICCodes: f.Get("sic_codes"), Description: f.Get("description"), Website: f.Get("website")}
	o.Normalise()
	return o
}

func orgForm(o orgs.Organisation) url.Values {
	v := url.Values{"kind": {o.Kind}, "subkind": {o.Subkind}, "legal_name": {o.LegalName}, "trading_names": {o.TradingNames}, "company_number": {o.CompanyNumber},
		"charity_number": {o.CharityNumber}, "vat_number": {o.VATNumber}, "size": {o.Size}, "sic_codes": {o.SICCodes}, "description": {o.Description}, "website": {o.Website}}
	if o.Anchor {
		v.Set("anchor", "1")
	}
	return v
}

func (s *Server) newOrgForm(w http.ResponseWriter, r *http.Request) error {
	if _, err := require(r, auth.CreateBusinessOrg, auth.Target{}); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "org-form", &page{Title: "Add an organisation", Form: url.Values{}, Data: map[string]any{"New": true}})
	return nil
}

func (s *Server) createOrg(w http.ResponseWriter, r *http.Request) error {
	a, err := require(r, auth.CreateBusinessOrg, auth.Target{})
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	o := orgFromForm(r.PostForm)
	p := &page{Title: "Add an organisation", Data: map[string]any{"New": true}}
	var v problem.Invalid
	if err := o.Validate(); err != nil {
		v = *err.(*problem.Invalid)
	}
	// Public bodies and the anchor flag are set by hub administrators only.
	if (o.Kind == orgs.PublicBody || o.Anchor) && !auth.Can(a, auth.CreatePublicBody, auth.Target{}) {
		v.Add("kind", "Only hub administrators can add public bodies; ask the hub team to add yours")
	}
	pc := strings.TrimSpace(r.PostForm.Get("postcode"))
	site, msg := s.geocodeSite(r, "registered_office", "Registered office", pc)
	if msg != "" {
		v.Add("postcode", "%s", msg)
	}
	if err := v.Err(); err != nil {
		return s.invalid(w, r, err, "org-form", p)
	}
	o.Sites = []orgs.Site{site}
	created, err := s.Store.CreateOrganisation(r.Context(), a, o, a.ID())
	if err != nil {
		return err
	}
	setFlash(w, created.LegalName+" has been added and you are its organisation admin")
	return redirect(w, r, "/organisations/"+created.Slug)
}

// geocodeSite normalises a postcode and places it; the message explains a bad one.
func (s *Server) geocodeSite(r *http.Request, kind, label, postcode string) (orgs.Site, string) {
	n, err := geo.NormalisePostcode(postcode)
	if err != nil {
		if postcode == "" {
			return orgs.Site{}, "Enter the postcode of the registered office"
		}
		return orgs.Site{}, "Enter a real postcode: " + err.Error()
	}
	site := orgs.Site{Kind: kind, Label: label, Postcode: n}
	place, err := s.Store.ResolvePostcode(r.Context(), n)
	if err == nil {
		site.DistrictCode, site.WardCode, site.LSOACode = place.DistrictCode, place.WardCode, place.LSOACode
	}
	return site, ""
}

func (s *Server) editOrgForm(w http.ResponseWriter, r *http.Request) error {
	o, err := s.loadOrg(r)
	if err != nil {
		return err
	}
	if _, err := require(r, auth.EditOrg, auth.Target{OrgID: o.ID}); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "org-form", &page{Title: "Edit " + o.LegalName, Form: orgForm(o), Data: map[string]any{"Org": o}})
	return nil
}

func (s *Server) editOrg(w http.ResponseWriter, r *http.Request) error {
	o, a, err := s.orgAction(r, auth.EditOrg)
	if err != nil {
		return err
	}
	n := orgFromForm(r.PostForm)
	n.ID = o.ID
	if !a.Admin() {
		// Kind and the anchor flag define what an organisation may do; only
		// hub administrators change them.
		n.Kind, n.Anchor = o.Kind, o.Anchor
		if n.Kind != orgs.VCSE {
			n.Subkind = ""
		}
	}
	if err := n.Validate(); err != nil {
		return s.invalid(w, r, err, "org-form", &page{Title: "Edit " + o.LegalName, Data: map[string]any{"Org": o}})
	}
	if err := s.Store.UpdateOrganisation(r.Context(), a, n); err != nil {
		return err
	}
	setFlash(w, "Profile saved")
	return redirect(w, r, "/organisations/"+o.Slug)
}

func (s *Server) addSite(w http.ResponseWriter, r *http.Request) error {
	o, a, err := s.orgAction(r, auth.EditOrg)
	if err != nil {
		return err
	}
	kind := r.PostForm.Get("site_kind")
	var v problem.Invalid
	if kind != "registered_office" && kind != "branch" {
		v.Add("site_kind", "Select registered office or branch")
	}
	site, msg := s.geocodeSite(r, kind, strings.TrimSpace(r.PostForm.Get("site_label")), strings.TrimSpace(r.PostForm.Get("site_postcode")))
	if msg != "" {
		v.Add("site_postcode", "%s", strings.Replace(msg, "of the registered office", "of the site", 1))
	}
	if err := v.Err(); err != nil {
		data, derr := s.orgData(r, o)
		if derr != nil {
			return derr
		}
		return s.invalid(w, r, err, "organisation", &page{Title: o.LegalName, Data: data})
	}
	site.OrgID = o.ID
	if err := s.Store.AddSite(r.Context(), a, site); err != nil {
		return err
	}
	setFlash(w, "Site added")
	return redirect(w, r, "/organisations/"+o.Slug+"#sites")
}

// deletePart removes a site or an accreditation (by the id in the path)
// of the organisation in the path.
func (s *Server) deletePart(del func(ctx context.Context, a auth.Actor, orgID, id int64) error, done, anchor string) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		o, a, err := s.orgAction(r, auth.EditOrg)
		if err != nil {
			return err
		}
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		if err := del(r.Context(), a, o.ID, id); err != nil {
			return err
		}
		setFlash(w, done)
		return redirect(w, r, "/organisations/"+o.Slug+anchor)
	}
}

func (s *Server) addAccreditation(w http.ResponseWriter, r *http.Request) error {
	o, a, err := s.orgAction(r, auth.EditOrg)
	if err != nil {
		return err
	}
	f := r.PostForm
	acc := orgs.Accreditation{OrgID: o.ID, Kind: f.Get("acc_kind"), Level: f.Get("acc_level"), EvidenceURL: strings.TrimSpace(f.Get("acc_evidence_url")),
		AwardedOn: strings.TrimSpace(f.Get("acc_awarded_on")), ExpiresOn: strings.TrimSpace(f.Get("acc_expires_on")), TargetYear: orgs.ParseYear(f.Get("acc_target_year"))}
	if acc.Kind != "good_employment_charter" {
		acc.Level = ""
	}
	if err := acc.Validate(s.now()); err != nil {
		// Field names in the form carry an acc_ prefix.
		if inv, ok := err.(*problem.Invalid); ok {
			for i := range inv.Fields {
				inv.Fields[i].Field = "acc_" + inv.Fields[i].Field
			}
		}
		data, derr := s.orgData(r, o)
		if derr != nil {
			return derr
		}
		return s.invalid(w, r, err, "organisation", &page{Title: o.LegalName, Data: data})
	}
	if err := s.Store.AddAccreditation(r.Context(), a, acc); err != nil {
		return err
	}
	setFlash(w, "Accreditation added")
	return redirect(w, r, "/organisations/"+o.Slug+"#accreditations")
}

func (s *Server) verifyOrg(w http.ResponseWriter, r *http.Request) error {
	o, a, err := s.orgAction(r, auth.VerifyOrg)
	if err != nil {
		return err
	}
	verified := r.PostForm.Get("verified") == "1"
	if err := s.Store.SetVerified(r.Context(), a, o.ID, verified); err != nil {
		return err
	}
	if verified {
		setFlash(w, o.LegalName+" is now marked as verified")
	} else {
		setFlash(w, o.LegalName+" is no longer marked as verified")
	}
	return redirect(w, r, "/organisations/"+o.Slug)
}

func (s *Server) membersPage(w http.ResponseWriter, r *http.Request, o orgs.Organisation, code int, p *page) error {
	members, err := s.Store.MembersOfOrg(r.Context(), o.ID)
	if err != nil {
		return err
	}
	pending, err := s.Store.PendingInvitations(r.Context(), o.ID)
	if err != nil {
		return err
	}
	var roles []auth.Role
	for _, role := range auth.Roles {
		if auth.RoleFitsKind(role, o.Kind) {
			roles = append(roles, role)
		}
	}
	p.Title = "Members of " + o.LegalName
	if p.Errors != nil {
		p.Title = "Error: " + p.Title
	}
	p.Data = map[string]any{"Org": o, "Members": members, "Pending": pending, "Roles": roles}
	s.render(w, r, code, "members", p)
	return nil
}

func (s *Server) members(w http.ResponseWriter, r *http.Request) error {
	o, err := s.loadOrg(r)
	if err != nil {
		return err
	}
	if _, err := require(r, auth.ViewMembers, auth.Target{OrgID: o.ID}); err != nil {
		return err
	}
	return s.membersPage(w, r, o, http.StatusOK, &page{Form: url.Values{}})
}

// InvitationTTL is how long an invitation link works.
const InvitationTTL = 7 * 24 * time.Hour

func (s *Server) invite(w http.ResponseWriter, r *http.Request) error {
	o, a, err := s.orgAction(r, auth.InviteMember)
	if err != nil {
		return err
	}
	var v problem.Invalid
	email, msg := auth.NormaliseEmail(r.PostForm.Get("email"))
	if msg != "" {
		v.Add("email", "%s", msg)
	}
	role, ok := auth.ParseRole(r.PostForm.Get("role"))
	if !ok {
		v.Add("role", "Select a role")
	} else if !auth.RoleFitsKind(role, o.Kind) {
		v.Add("role", "A %s cannot have the role %s", strings.ToLower(o.KindLabel()), role.Label())
	}
	if err := v.Err(); err != nil {
		return s.membersPage(w, r, o, http.StatusUnprocessableEntity, &page{Errors: &v, Form: r.PostForm})
	}
	secret, hash := auth.NewToken()
	if _, err := s.Store.CreateInvitation(r.Context(), a, store.Invitation{OrgID: o.ID, Email: email, Role: role, ExpiresAt: s.now().Add(InvitationTTL)}, hash); err != nil {
		return err
	}
	if err := s.Auth.Mailer.Send(r.Context(), mail.Message{To: email, Subject: "You are invited to join " + o.LegalName + " on Social Value Hub",
		Body: fmt.Sprintf("%s has invited you to join %s on Social Value Hub as %s.\n\nAccept the invitation here (create an account with this email address first if you do not have one):\n\n%s/invitations/%s\n\nThe link expires in 7 days.\n",
			a.User.Name, o.LegalName, role.Label(), s.BaseURL, secret)}); err != nil {
		return err
	}
	setFlash(w, "Invitation sent to "+email)
	return redirect(w, r, "/organisations/"+o.Slug+"/members")
}

func (s *Server) removeMember(w http.ResponseWriter, r *http.Request) error {
	o, a, err := s.orgAction(r, auth.RemoveMember)
	if err != nil {
		return err
	}
	uid, _ := strconv.ParseInt(r.PostForm.Get("user_id"), 10, 64)
	role, _ := auth.ParseRole(r.PostForm.Get("role"))
	if err := s.Store.RemoveMember(r.Context(), a, o.ID, uid, role); err != nil {
		if _, ok := err.(*problem.Invalid); ok {
			return s.membersPage(w, r, o, http.StatusUnprocessableEntity, &page{Errors: err.(*problem.Invalid), Form: url.Values{}})
		}
		return err
	}
	setFlash(w, "Member removed")
	return redirect(w, r, "/organisations/"+o.Slug+"/members")
}

func (s *Server) invitation(w http.ResponseWriter, r *http.Request) error {
	inv, err := s.Store.InvitationByToken(r.Context(), auth.HashToken(r.PathValue("token")))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "invitation", &page{Title: "Join " + inv.OrgName, Data: map[string]any{"Inv": inv, "Token": r.PathValue("token"), "Expired": !inv.ExpiresAt.After(s.now())}})
	return nil
}

func (s *Server) acceptInvitation(w http.ResponseWriter, r *http.Request) error {
	a, err := requireUser(r)
	if err != nil {
		return err
	}
	if !a.Resident() {
		return fmt.Errorf("confirm your email address before joining an organisation: %w", problem.ErrForbidden)
	}
	inv, err := s.Store.AcceptInvitation(r.Context(), a, auth.HashToken(r.PathValue("token")), s.now())
	if err != nil {
		if _, ok := err.(*problem.Invalid); ok {
			inv, lerr := s.Store.InvitationByToken(r.Context(), auth.HashToken(r.PathValue("token")))
			if lerr != nil {
				return lerr
			}
			return s.invalid(w, r, err, "invitation", &page{Title: "Join " + inv.OrgName, Data: map[string]any{"Inv": inv, "Token": r.PathValue("token")}})
		}
		return err
	}
	setFlash(w, "You have joined "+inv.OrgName+" as "+inv.Role.Label())
	return redirect(w, r, "/organisations/"+inv.OrgSlug)
}
