package web

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/hub"
	"github.com/svhub/svhub/internal/problem"
)

// matchedParty reports whether the actor belongs to either side of an
// accepted or delivered match involving the need (contact details are
// shown only to them and to moderators).
func (s *Server) matchedParty(r *http.Request, ms []hub.Match) bool {
	a := actorFrom(r)
	if a.Admin() {
		return true
	}
	for _, m := range ms {
		if (m.Status == hub.Accepted || m.Status == hub.Delivered) && (a.MemberOf(m.NeedOrgID) || a.MemberOf(m.OfferOrgID)) {
			return true
		}
	}
	return false
}

// visibleMatches: a match is shown to its two parties and moderators.
func visibleMatches(a auth.Actor, ms []hub.Match) []hub.Match {
	var out []hub.Match
	for _, m := range ms {
		if a.Admin() || a.MemberOf(m.NeedOrgID) || a.MemberOf(m.OfferOrgID) {
			out = append(out, m)
		}
	}
	return out
}

func (s *Server) proposeMatch(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := r.PostForm
	needID, _ := strconv.ParseInt(f.Get("need"), 10, 64)
	offerID, _ := strconv.ParseInt(f.Get("offer"), 10, 64)
	n, err := s.Store.Need(r.Context(), needID)
	if err != nil {
		return err
	}
	o, err := s.Store.Offer(r.Context(), offerID)
	if err != nil {
		return err
	}
	// Either side may propose; the proposer is the side the actor acts for.
	a := actorFrom(r)
	by := int64(0)
	switch {
	case f.Get("side") == "offer" && auth.Can(a, auth.PostOffer, auth.Target{OrgID: o.OrgID}):
		by = o.OrgID
	case f.Get("side") == "need" && auth.Can(a, auth.PostNeed, auth.Target{OrgID: n.OrgID}):
		by = n.OrgID
	}
	if by == 0 {
		if _, err := requireUser(r); err != nil {
			return err
		}
		return fmt.Errorf("propose a match: %w", problem.ErrForbidden)
	}
	people, g, err := s.hubContext(r)
	if err != nil {
		return err
	}
	sc := hub.ScoreOf(n, o, people, g, s.now())
	if !sc.Compatible() {
		return problem.Field("offer", "This offer cannot meet this need: %s", sc.Reason)
	}
	q, err := strconv.ParseInt(strings.TrimSpace(f.Get("quantity")), 10, 64)
	if err != nil {
		q = min(n.Remaining, o.Remaining)
	}
	id, err := s.Store.ProposeMatch(r.Context(), a, needID, offerID, by, q, sc.Total, s.now())
	if err != nil {
		return err
	}
	other := n.OrgID
	if by == n.OrgID {
		other = o.OrgID
	}
	s.notifyOrg(r, other, "A match has been proposed: "+n.Title, fmt.Sprintf("%s has proposed a Social Value Hub match. Accept or decline it at %s/hub/matches/%d\n", orgName(by, n, o), s.BaseURL, id))
	setFlash(w, "Match proposed. The other organisation will accept or decline it.")
	return redirect(w, r, fmt.Sprintf("/hub/matches/%d", id))
}

// matchFor loads a match the actor may see: its two parties and moderators.
func (s *Server) matchFor(r *http.Request) (hub.Match, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return hub.Match{}, err
	}
	m, err := s.Store.Match(r.Context(), id)
	if err != nil {
		return m, err
	}
	a := actorFrom(r)
	if !a.SignedIn() {
		return m, problem.ErrUnauthorised
	}
	if !a.Admin() && !a.MemberOf(m.NeedOrgID) && !a.MemberOf(m.OfferOrgID) {
		return m, fmt.Errorf("match %d: %w", id, problem.ErrForbidden)
	}
	return m, nil
}

func (s *Server) matchPage(w http.ResponseWriter, r *http.Request) error {
	m, err := s.matchFor(r)
	if err != nil {
		return err
	}
	return s.matchPageWith(w, r, m, http.StatusOK, &page{})
}

func (s *Server) matchPageWith(w http.ResponseWriter, r *http.Request, m hub.Match, code int, p *page) error {
	a := actorFrom(r)
	msgs, err := s.Store.Messages(r.Context(), m.ID)
	if err != nil {
		return err
	}
	n, err := s.Store.Need(r.Context(), m.NeedID)
	if err != nil {
		return err
	}
	p.Title = "Match: " + m.NeedTitle
	if p.Form == nil {
		p.Form = url.Values{"quantity": {strconv.FormatInt(m.Quantity, 10)}, "on": {s.now().Format(time.DateOnly)}}
	}
	p.Data = map[string]any{"M": m, "Messages": msgs, "Unit": hub.KindUnit(m.Kind), "Contact": n.Contact,
		"CanDecide": m.Status == hub.Proposed && a.MemberOf(m.OtherParty()) && !a.MemberOf(m.ProposedBy),
		"NeedSide":  a.MemberOf(m.NeedOrgID), "OfferSide": a.MemberOf(m.OfferOrgID), "Open": m.Status == hub.Accepted || m.Status == hub.Delivered}
	s.render(w, r, code, "match", p)
	return nil
}

// side says which organisation of the match the actor acts for.
func side(a auth.Actor, m hub.Match) (string, int64) {
	switch {
	case a.MemberOf(m.NeedOrgID):
		return "need", m.NeedOrgID
	case a.MemberOf(m.OfferOrgID):
		return "offer", m.OfferOrgID
	}
	return "", 0
}

func (s *Server) decideMatch(w http.ResponseWriter, r *http.Request) error {
	m, err := s.matchFor(r)
	if err != nil {
		return err
	}
	a := actorFrom(r)
	if !a.MemberOf(m.OtherParty()) {
		return fmt.Errorf("only the other organisation can accept or decline: %w", problem.ErrForbidden)
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	accept := r.PostForm.Get("decision") == "accept"
	if err := s.Store.DecideMatch(r.Context(), a, m.ID, accept, strings.TrimSpace(r.PostForm.Get("reason")), s.now()); err != nil {
		if inv, ok := err.(*problem.Invalid); ok {
			return s.matchPageWith(w, r, m, http.StatusUnprocessableEntity, &page{Errors: inv, Form: r.PostForm})
		}
		return err
	}
	s.notifyOrg(r, m.ProposedBy, "Your proposed match was "+map[bool]string{true: "accepted", false: "declined"}[accept], fmt.Sprintf("See %s/hub/matches/%d\n", s.BaseURL, m.ID))
	setFlash(w, map[bool]string{true: "Match accepted. You can now talk to each other here.", false: "Match declined"}[accept])
	return redirect(w, r, fmt.Sprintf("/hub/matches/%d", m.ID))
}

func (s *Server) matchMessage(w http.ResponseWriter, r *http.Request) error {
	m, err := s.matchFor(r)
	if err != nil {
		return err
	}
	a := actorFrom(r)
	_, org := side(a, m)
	if org == 0 || (m.Status != hub.Accepted && m.Status != hub.Delivered) {
		return fmt.Errorf("messages are between the two organisations of an accepted match: %w", problem.ErrForbidden)
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	body := strings.TrimSpace(r.PostForm.Get("message"))
	if body == "" || len(body) > 4000 {
		return s.matchPageWith(w, r, m, http.StatusUnprocessableEntity, &page{Errors: problemField("message", "Write a message of up to 4,000 characters"), Form: r.PostForm})
	}
	if err := s.Store.AddMessage(r.Context(), a, m.ID, org, body, s.now()); err != nil {
		return err
	}
	// The other side hears about it by email (the outbox without SMTP).
	other := m.OfferOrgID
	if org == m.OfferOrgID {
		other = m.NeedOrgID
	}
	s.notifyOrg(r, other, "New message about "+m.NeedTitle, fmt.Sprintf("There is a new message in your Social Value Hub match: %s/hub/matches/%d\n", s.BaseURL, m.ID))
	return redirect(w, r, fmt.Sprintf("/hub/matches/%d#messages", m.ID))
}

func (s *Server) confirmMatch(w http.ResponseWriter, r *http.Request) error {
	m, err := s.matchFor(r)
	if err != nil {
		return err
	}
	a := actorFrom(r)
	sd, _ := side(a, m)
	if sd == "" {
		return fmt.Errorf("confirm delivery: %w", problem.ErrForbidden)
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	q, err := strconv.ParseInt(strings.TrimSpace(r.PostForm.Get("quantity")), 10, 64)
	on, derr := time.Parse(time.DateOnly, r.PostForm.Get("on"))
	if err != nil || derr != nil {
		v := &problem.Invalid{}
		if err != nil {
			v.Add("quantity", "Enter what was delivered as a whole number")
		}
		if derr != nil {
			v.Add("on", "Enter the date it was delivered, like 2026-11-20")
		}
		return s.matchPageWith(w, r, m, http.StatusUnprocessableEntity, &page{Errors: v, Form: r.PostForm})
	}
	if _, err := s.Store.ConfirmDelivery(r.Context(), a, m.ID, sd, q, on.Format(time.DateOnly), s.now()); err != nil {
		if inv, ok := err.(*problem.Invalid); ok {
			return s.matchPageWith(w, r, m, http.StatusUnprocessableEntity, &page{Errors: inv, Form: r.PostForm})
		}
		return err
	}
	setFlash(w, "Delivery confirmed. When both organisations have confirmed, it counts.")
	return redirect(w, r, fmt.Sprintf("/hub/matches/%d", m.ID))
}

func orgName(id int64, n hub.Need, o hub.Offer) string {
	if id == n.OrgID {
		return n.OrgName
	}
	return o.OrgName
}

// matchesCSV lists delivered matches: who helped whom, with what, how much.
func (s *Server) matchesCSV(w http.ResponseWriter, r *http.Request) error {
	ms, err := s.Store.MatchesFor(r.Context(), 0, 0, 0)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", "attachment; filename=hub-matches.csv")
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"match_id", "need", "need_organisation", "offer", "offer_organisation", "kind", "agreed", "delivered_confirmed_by_both", "unit", "delivered_on", "contract_id"})
	for _, m := range ms {
		if m.Status != hub.Delivered {
			continue
		}
		_ = cw.Write([]string{strconv.FormatInt(m.ID, 10), m.NeedTitle, m.NeedOrg, m.OfferTitle, m.OfferOrg, m.Kind, strconv.FormatInt(m.Quantity, 10), strconv.FormatInt(m.Confirmed(), 10),
			hub.KindUnit(m.Kind), m.DeliveredOn, strconv.FormatInt(m.ContractID, 10)})
	}
	cw.Flush()
	return cw.Error()
}
