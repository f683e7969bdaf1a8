package web

import (
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/problem"
)

// Verification by the accrediting body's own account (issue 17 part 2): a
// hub administrator designates a directory organisation as the body of an
// accreditation scheme; its members verify or reject that scheme's
// accreditations, and only that scheme's, as a hub administrator can.

// checker says whether the actor may verify or reject an accreditation of
// scheme kind: a member of the scheme's accrediting body (who then acts
// for the body, named in the return) or a hub administrator (the body is
// then empty). Anyone else is refused.
func (s *Server) checker(r *http.Request, kind string) (auth.Actor, string, error) {
	a := actorFrom(r)
	if !a.SignedIn() {
		return a, "", problem.ErrUnauthorised
	}
	bodies, err := s.Store.AccreditingBodies(r.Context())
	if err != nil {
		return a, "", err
	}
	for _, b := range bodies {
		if b.Kind == kind && a.MemberOf(b.OrgID) {
			return a, b.OrgName, nil
		}
	}
	if auth.Can(a, auth.VerifyOrg, auth.Target{}) {
		return a, "", nil
	}
	return a, "", fmt.Errorf("check %s accreditations: %w", kind, problem.ErrForbidden)
}

// checkableKinds are the schemes whose accreditations the actor may check,
// with the body each is checked for (empty for the hub).
func checkableKinds(a auth.Actor, bodies []orgs.AccreditingBody) map[string]string {
	out := map[string]string{}
	if auth.Can(a, auth.VerifyOrg, auth.Target{}) {
		for _, k := range orgs.AccreditationKinds {
			out[k.Value] = ""
		}
	}
	for _, b := range bodies {
		if a.MemberOf(b.OrgID) {
			out[b.Kind] = b.OrgName
		}
	}
	return out
}

// bodyData adds the organisation page's accrediting body facts: the schemes
// this organisation accredits, the schemes left to designate and which
// accreditations the viewer may check.
func (s *Server) bodyData(r *http.Request, o orgs.Organisation, bodies []orgs.AccreditingBody, data map[string]any) {
	var mine []orgs.AccreditingBody
	for _, b := range bodies {
		if b.OrgID == o.ID {
			mine = append(mine, b)
		}
	}
	data["BodyOf"] = mine
	checkable := map[string]bool{}
	for k := range checkableKinds(actorFrom(r), bodies) {
		checkable[k] = true
	}
	data["Checkable"] = checkable
	data["CheckPage"] = actorFrom(r).MemberOf(o.ID) && len(mine) > 0
	data["Member"] = actorFrom(r).MemberOf(o.ID)
}

// accreditationChecks lists, for each scheme the actor may check, every
// organisation's accreditations of that scheme with their standing.
func (s *Server) accreditationChecks(w http.ResponseWriter, r *http.Request) error {
	a := actorFrom(r)
	if !a.SignedIn() {
		return problem.ErrUnauthorised
	}
	bodies, err := s.Store.AccreditingBodies(r.Context())
	if err != nil {
		return err
	}
	kinds := checkableKinds(a, bodies)
	if len(kinds) == 0 {
		return fmt.Errorf("accreditation checks: %w", problem.ErrForbidden)
	}
	type scheme struct {
		Kind, Label, Body string
		Claims            []orgs.ClaimedAccreditation
	}
	var schemes []scheme
	for _, k := range orgs.AccreditationKinds {
		body, ok := kinds[k.Value]
		if !ok {
			continue
		}
		claims, err := s.Store.ClaimedAccreditations(r.Context(), k.Value)
		if err != nil {
			return err
		}
		schemes = append(schemes, scheme{Kind: k.Value, Label: k.Label, Body: body, Claims: claims})
	}
	s.render(w, r, http.StatusOK, "accreditation-checks", &page{Title: "Accreditations to check", Data: map[string]any{"Schemes": schemes, "Today": s.now().In(london).Format(time.DateOnly)}})
	return nil
}

func (s *Server) designateAccreditingBody(w http.ResponseWriter, r *http.Request) error {
	o, a, err := s.orgAction(r, auth.VerifyOrg)
	if err != nil {
		return err
	}
	kind := r.PostForm.Get("body_kind")
	if err := s.Store.DesignateAccreditingBody(r.Context(), a, kind, o.ID); err != nil {
		return s.orgInvalid(w, r, o, err)
	}
	setFlash(w, o.LegalName+" is now the accrediting body for "+orgs.Label(orgs.AccreditationKinds, kind))
	return redirect(w, r, "/organisations/"+o.Slug+"#accrediting-body")
}

func (s *Server) removeAccreditingBody(w http.ResponseWriter, r *http.Request) error {
	o, a, err := s.orgAction(r, auth.VerifyOrg)
	if err != nil {
		return err
	}
	kind := r.PostForm.Get("body_kind")
	if err := s.Store.RemoveAccreditingBody(r.Context(), a, kind, o.ID); err != nil {
		return err
	}
	setFlash(w, o.LegalName+" is no longer the accrediting body for "+orgs.Label(orgs.AccreditationKinds, kind))
	return redirect(w, r, "/organisations/"+o.Slug+"#accrediting-body")
}

func (s *Server) rejectAccreditation(w http.ResponseWriter, r *http.Request) error {
	o, acc, a, body, err := s.accreditationFor(r)
	if err != nil {
		return err
	}
	rj := orgs.Rejection{Reason: strings.TrimSpace(r.PostForm.Get("rejected_reason")), On: s.now().In(london).Format(time.DateOnly), Body: body}
	if err := rj.Validate(); err != nil {
		form := verifyDefaults(acc, s.now())
		form.Set("rejected_reason", r.PostForm.Get("rejected_reason"))
		return s.invalid(w, r, err, "accreditation-verify", &page{Title: "Verify " + acc.KindLabel() + ": " + o.LegalName, Form: form, Data: map[string]any{"Org": o, "Acc": acc, "Body": body}})
	}
	if err := s.Store.RejectAccreditation(r.Context(), a, o.ID, acc.ID, rj); err != nil {
		return err
	}
	setFlash(w, acc.KindLabel()+" rejected")
	return redirect(w, r, afterCheck(o, body))
}

// afterCheck is where a verification or rejection returns: the body's list
// of accreditations to check, or the organisation's page for the hub.
func afterCheck(o orgs.Organisation, body string) string {
	if body != "" {
		return "/accreditations/checks"
	}
	return "/organisations/" + o.Slug + "#accreditations"
}

// verifyDefaults fills the verification form: today, for a year or to the
// accreditation's own expiry, with the evidence the organisation gave.
func verifyDefaults(acc orgs.Accreditation, now time.Time) url.Values {
	today := now.In(london)
	form := url.Values{"verified_evidence": {acc.VerifiedEvidence}, "verified_on": {today.Format(time.DateOnly)}, "verified_until": {today.AddDate(1, 0, 0).Format(time.DateOnly)}}
	if acc.EvidenceURL != "" && acc.VerifiedEvidence == "" {
		form.Set("verified_evidence", acc.EvidenceURL)
	}
	if acc.ExpiresOn != "" {
		form.Set("verified_until", acc.ExpiresOn)
	}
	return form
}

// accreditationDocument serves the certificate checked when an
// accreditation was verified, as a download, to the organisation's
// members, the scheme's accrediting body and hub administrators.
func (s *Server) accreditationDocument(w http.ResponseWriter, r *http.Request) error {
	o, err := s.loadOrg(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	a := actorFrom(r)
	if !a.SignedIn() {
		return problem.ErrUnauthorised
	}
	i := slices.IndexFunc(o.Accreditations, func(x orgs.Accreditation) bool { return x.ID == id })
	if i < 0 {
		return fmt.Errorf("accreditation %d: %w", id, problem.ErrNotFound)
	}
	if !a.MemberOf(o.ID) {
		if _, _, err := s.checker(r, o.Accreditations[i].Kind); err != nil {
			return err
		}
	}
	d, err := s.Store.AccreditationDocument(r.Context(), o.ID, id)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", d.Type)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": d.Name}))
	_, err = w.Write(d.Content)
	return err
}
