package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/contracts"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/tenders"
)

// Gates that check (issue 17 part 2): a hub administrator verifies an
// organisation's accreditation with evidence; a bid declaring that it
// meets a gate with no verified accreditation behind it is flagged to the
// evaluators and excluded, unless the buyer records an override with a
// reason.

// accreditationFor loads the accreditation in the path and checks the
// actor may verify or reject it: a hub administrator, or a member of the
// accrediting body of its scheme (named in the return), and no one else.
func (s *Server) accreditationFor(r *http.Request) (orgs.Organisation, orgs.Accreditation, auth.Actor, string, error) {
	o, err := s.loadOrg(r)
	if err != nil {
		return o, orgs.Accreditation{}, auth.Anonymous, "", err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return o, orgs.Accreditation{}, auth.Anonymous, "", err
	}
	i := slices.IndexFunc(o.Accreditations, func(x orgs.Accreditation) bool { return x.ID == id })
	if i < 0 {
		return o, orgs.Accreditation{}, auth.Anonymous, "", fmt.Errorf("accreditation %d: %w", id, problem.ErrNotFound)
	}
	acc := o.Accreditations[i]
	a, body, err := s.checker(r, acc.Kind)
	if err != nil {
		return o, acc, a, body, err
	}
	// The verification form may carry the certificate (multipart).
	if err := r.ParseMultipartForm(1 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return o, acc, a, body, problem.Field("files", "The certificate is larger than the %d MB limit", contracts.MaxEvidenceBytes>>20)
		}
		return o, acc, a, body, err
	}
	return o, acc, a, body, nil
}

func (s *Server) verifyAccreditationForm(w http.ResponseWriter, r *http.Request) error {
	o, acc, _, body, err := s.accreditationFor(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "accreditation-verify", &page{Title: "Verify " + acc.KindLabel() + ": " + o.LegalName, Form: verifyDefaults(acc, s.now()), Data: map[string]any{"Org": o, "Acc": acc, "Body": body}})
	return nil
}

func (s *Server) verifyAccreditation(w http.ResponseWriter, r *http.Request) error {
	o, acc, a, body, err := s.accreditationFor(r)
	if err != nil {
		return err
	}
	f := r.PostForm
	v := orgs.Verification{Evidence: strings.TrimSpace(f.Get("verified_evidence")), On: strings.TrimSpace(f.Get("verified_on")), Until: strings.TrimSpace(f.Get("verified_until")), By: a.Label(), Body: body}
	var bad problem.Invalid
	files, err := evidenceFiles(r, &bad)
	if err != nil {
		return err
	}
	switch {
	case len(files) > 1:
		bad.Add("files", "Upload one certificate; you chose %d files", len(files))
	case len(files) == 1:
		d := files[0]
		v.Document = &orgs.Document{Name: d.Name, Type: d.Type, Size: d.Size, SHA256: d.SHA256, Content: d.Content}
	}
	if err := v.Validate(s.now().In(london)); err != nil {
		var inv *problem.Invalid
		if !errors.As(err, &inv) {
			return err
		}
		bad.Fields = append(inv.Fields, bad.Fields...)
	}
	if err := bad.Err(); err != nil {
		return s.invalid(w, r, err, "accreditation-verify", &page{Title: "Verify " + acc.KindLabel() + ": " + o.LegalName, Data: map[string]any{"Org": o, "Acc": acc, "Body": body}})
	}
	if err := s.Store.VerifyAccreditation(r.Context(), a, o.ID, acc.ID, v); err != nil {
		return err
	}
	setFlash(w, acc.KindLabel()+" verified")
	return redirect(w, r, afterCheck(o, body))
}

// gateFlags lists the bids whose gate declarations have no verified
// accreditation behind them, with the buyer's overrides.
func (s *Server) gateFlags(r *http.Request, t tenders.Tender, bids []tenders.OpenedBid) ([]tenders.GateFlag, error) {
	ids := make([]int64, 0, len(bids))
	for _, b := range bids {
		ids = append(ids, b.OrgID)
	}
	verified, err := s.Store.VerifiedAccreditations(r.Context(), ids, s.now().In(london).Format(time.DateOnly))
	if err != nil {
		return nil, err
	}
	overrides, err := s.Store.GateOverrides(r.Context(), t.ID)
	if err != nil {
		return nil, err
	}
	return tenders.CheckGates(t, bids, verified, overrides), nil
}

// gateChecksFor opens the tender's bids for its buyer or an evaluator and
// checks their gate declarations.
func (s *Server) gateChecksFor(r *http.Request) (tenders.Tender, []tenders.GateFlag, bool, error) {
	t, err := s.tenderFor(r)
	if err != nil {
		return t, nil, false, err
	}
	bids, err := s.openBids(r, t)
	if err != nil {
		return t, nil, false, err
	}
	flags, err := s.gateFlags(r, t, bids)
	manage := auth.Can(actorFrom(r), auth.ManageTender, auth.Target{OrgID: t.BuyerOrgID})
	return t, flags, manage, err
}

func (s *Server) gateChecksPage(w http.ResponseWriter, r *http.Request) error {
	t, flags, manage, err := s.gateChecksFor(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "tender-gates", &page{Title: "Gate checks: " + t.Title, Form: url.Values{}, Data: gatesData(t, flags, manage)})
	return nil
}

func (s *Server) overrideGate(w http.ResponseWriter, r *http.Request) error {
	t, a, err := s.manageTender(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	_, flags, _, err := s.gateChecksFor(r)
	if err != nil {
		return err
	}
	orgText, gate, _ := strings.Cut(r.PostForm.Get("flag"), ":")
	org, _ := strconv.ParseInt(orgText, 10, 64)
	o := tenders.GateOverride{TenderID: t.ID, OrgID: org, Gate: gate, Reason: strings.TrimSpace(r.PostForm.Get("reason"))}
	var inv problem.Invalid
	if !slices.ContainsFunc(flags, func(f tenders.GateFlag) bool { return f.OrgID == o.OrgID && f.Gate == o.Gate }) {
		inv.Add("flag", "Choose one of the flagged declarations listed")
	}
	if o.Reason == "" {
		inv.Add("reason", "Enter the reason the declaration stands without a verified accreditation; the override is recorded in the audit log")
	} else if err := o.Validate(); err != nil && !inv.Has("flag") {
		return s.invalid(w, r, err, "tender-gates", &page{Title: "Gate checks: " + t.Title, Data: gatesData(t, flags, true)})
	}
	if err := inv.Err(); err != nil {
		return s.invalid(w, r, err, "tender-gates", &page{Title: "Gate checks: " + t.Title, Data: gatesData(t, flags, true)})
	}
	if err := s.Store.RecordGateOverride(r.Context(), a, o); err != nil {
		return err
	}
	setFlash(w, "Override recorded")
	return redirect(w, r, fmt.Sprintf("/tenders/%d/gates", t.ID))
}

func gatesData(t tenders.Tender, flags []tenders.GateFlag, manage bool) map[string]any {
	var open []orgs.Option
	for _, f := range flags {
		open = append(open, orgs.Option{Value: fmt.Sprintf("%d:%s", f.OrgID, f.Gate), Label: f.Supplier + ": " + tenders.AccreditationName(tenders.GateAccreditations[f.Gate])})
	}
	return map[string]any{"T": t, "Flags": flags, "Manage": manage, "Choices": open}
}
