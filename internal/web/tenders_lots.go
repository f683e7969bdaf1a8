package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/proxies"
	"github.com/svhub/svhub/internal/tenders"
)

// Lots (internal/tenders/lots.go): the buyer adds lots to a draft tender
// with the tender form (title, description, value, weights, criteria,
// measures; the deadline and procedure are the tender's), publishing the
// tender publishes its lots, and a supplier bids on a lot. Each lot is a
// tender of its own for marking, evaluation, award and contract.

func (s *Server) lotRoutes(mux interface {
	Handle(string, http.Handler)
}) {
	h := s.serve
	mux.Handle("GET /tenders/{id}/lots/new", h(s.newLotForm))
	mux.Handle("POST /tenders/{id}/lots", h(s.createLot))
	mux.Handle("GET /tenders/{id}/lots/{lot}/bid", h(s.lotBid(s.bidForm)))
	mux.Handle("POST /tenders/{id}/lots/{lot}/bid", h(s.lotBid(s.submitBid)))
}

// lotBid runs a bid handler on lot {lot} of tender {id}, refusing a lot of
// another tender (404) before anything is read or written.
func (s *Server) lotBid(next handler) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		c, err := s.tenderFor(r)
		if err != nil {
			return err
		}
		lotID, err := pathID(r, "lot")
		if err != nil {
			return err
		}
		l, err := s.Store.Tender(r.Context(), lotID, s.now())
		if err != nil {
			return err
		}
		if l.ParentID != c.ID {
			return fmt.Errorf("lot %d of tender %d: %w", lotID, c.ID, tenders.ErrNotALot)
		}
		r.SetPathValue("id", strconv.FormatInt(l.ID, 10))
		return next(w, r)
	}
}

// lotForm puts a lot's procurement-level fields into the posted form from
// its container, whatever the client sent, so the tender form's rules
// check the rest.
func lotForm(f url.Values, c tenders.Tender) {
	cf := tenderForm(c)
	for _, k := range []string{"buyer", "deadline", "procedure", "contract_type", "direct_ground", "direct_reason", "planned_notice"} {
		f.Set(k, cf.Get(k))
	}
}

func (s *Server) newLotForm(w http.ResponseWriter, r *http.Request) error {
	c, _, err := s.manageTender(r)
	if err != nil {
		return err
	}
	if err := c.CanAddLot(); err != nil {
		return err
	}
	if r.URL.Query().Get("framework") == "" {
		q := r.URL.Query()
		q.Set("framework", strconv.FormatInt(c.FrameworkID, 10))
		r.URL.RawQuery = q.Encode()
	}
	data, _, err := s.tenderFormData(r)
	if err != nil {
		return err
	}
	// A lot starts from the tender's weights, criteria and measures.
	form := tenderForm(c)
	for _, k := range []string{"title", "description", "value"} {
		form.Del(k)
	}
	data["Action"], data["Lot"] = fmt.Sprintf("/tenders/%d/lots", c.ID), c
	s.render(w, r, http.StatusOK, "tender-form", &page{Title: fmt.Sprintf("Add lot %d to %s", c.Lots+1, c.Title), Form: form, Data: data})
	return nil
}

func (s *Server) createLot(w http.ResponseWriter, r *http.Request) error {
	c, a, err := s.manageTender(r)
	if err != nil {
		return err
	}
	if err := c.CanAddLot(); err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	lotForm(r.PostForm, c)
	data, fw, err := s.tenderFormData(r)
	if err != nil {
		return err
	}
	l, v := parseTender(r.PostForm, fw, data["PriceIndexes"].([]proxies.Index))
	checkWeightsRound(v, l.WeightsRound, data["Rounds"].([]orgs.Option))
	if err := v.Err(); err != nil {
		data["Action"], data["Lot"] = fmt.Sprintf("/tenders/%d/lots", c.ID), c
		return s.invalid(w, r, err, "tender-form", &page{Title: fmt.Sprintf("Add lot %d to %s", c.Lots+1, c.Title), Data: data})
	}
	if _, err := s.Store.CreateLot(r.Context(), a, c.ID, l, s.Sealer.NewTenderKey, s.now()); err != nil {
		return err
	}
	msg := fmt.Sprintf("Lot %d added.", c.Lots+1)
	if c.Lots+1 < tenders.MinLots {
		msg += fmt.Sprintf(" A tender divided into lots needs at least %d lots before it can be published.", tenders.MinLots)
	}
	setFlash(w, msg)
	return redirect(w, r, fmt.Sprintf("/tenders/%d#lots", c.ID))
}

// checkLotsBeforePublishing loads a container's lots with their models and
// checks them (tenders.CheckLots).
func (s *Server) checkLotsBeforePublishing(r *http.Request, c tenders.Tender) error {
	if c.IsLot() {
		return fmt.Errorf("a lot is published with its tender (%d): %w", c.ParentID, problem.ErrConflict)
	}
	if !c.HasLots() {
		return nil
	}
	ls, err := s.Store.Lots(r.Context(), c.ID, s.now())
	if err != nil {
		return err
	}
	full := make([]tenders.Tender, 0, len(ls))
	for _, l := range ls {
		t, err := s.Store.Tender(r.Context(), l.ID, s.now())
		if err != nil {
			return err
		}
		full = append(full, t)
	}
	return tenders.CheckLots(c, full)
}

// lotError is the message for a bid on a tender divided into lots.
func lotError(t tenders.Tender) error {
	return problem.Field("lot", "%s is divided into %d lots: bid on one of its lots, from the tender page", t.Title, t.Lots)
}

// withoutField drops a field's errors (a container's value is its lots').
func withoutField(v *problem.Invalid, field string) *problem.Invalid {
	out := &problem.Invalid{}
	for _, fe := range v.Fields {
		if fe.Field != field {
			out.Fields = append(out.Fields, fe)
		}
	}
	return out
}

// contractTitle names a lot's contract with its tender: "School cleaning,
// lot 1: Primary schools"; a tender without lots keeps its title.
func (s *Server) contractTitle(r *http.Request, t tenders.Tender) string {
	if !t.IsLot() {
		return t.Title
	}
	p, err := s.Store.Tender(r.Context(), t.ParentID, s.now())
	if err != nil {
		return t.LotLabel()
	}
	return fmt.Sprintf("%s, lot %d: %s", p.Title, t.LotNumber, t.Title)
}
