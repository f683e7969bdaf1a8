package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"github.com/svhub/svhub/internal/mail"
	"math/big"
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
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/tenders"
)

func (s *Server) assignEvaluators(w http.ResponseWriter, r *http.Request) error {
	t, a, err := s.manageTender(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	members, err := s.Store.MembersOfOrg(r.Context(), t.BuyerOrgID)
	if err != nil {
		return err
	}
	var ids []int64
	for _, v := range r.PostForm["evaluators"] {
		id, _ := strconv.ParseInt(v, 10, 64)
		if !slices.ContainsFunc(members, func(m auth.Membership) bool { return m.UserID == id }) {
			return problem.Field("evaluators", "Evaluators must be members of %s", t.BuyerName)
		}
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		return problem.Field("evaluators", "Choose at least one evaluator")
	}
	if err := s.Store.AssignEvaluators(r.Context(), a, t.ID, ids, s.now()); err != nil {
		return err
	}
	setFlash(w, fmt.Sprintf("%d evaluators assigned; each marks independently", len(ids)))
	return redirect(w, r, fmt.Sprintf("/tenders/%d#evaluation", t.ID))
}

// markKeys are the criteria an evaluator marks: Q1…Qn and SV.
func markKeys(t tenders.Tender) []string {
	var ks []string
	for i := range t.Criteria {
		ks = append(ks, tenders.CriterionKey(i))
	}
	if t.WSV > 0 && t.AlphaPercent < 100 {
		ks = append(ks, tenders.QualKey)
	}
	return ks
}

// markSlot is one mark an evaluator gives: a bid and a criterion.
type markSlot struct {
	Field  string
	Reason string
	Key    string
	Title  string
	Answer string
	Others []store.Mark
	Mean   string
}

type bidMarks struct {
	Bid   tenders.OpenedBid
	Slots []markSlot
}

func (s *Server) markingData(r *http.Request, t tenders.Tender) ([]bidMarks, *store.Evaluator, error) {
	a := actorFrom(r)
	evs, err := s.Store.Evaluators(r.Context(), t.ID)
	if err != nil {
		return nil, nil, err
	}
	i := slices.IndexFunc(evs, func(e store.Evaluator) bool { return e.UserID == a.ID() })
	if i < 0 {
		return nil, nil, fmt.Errorf("you are not an evaluator of this tender: %w", problem.ErrForbidden)
	}
	bids, err := s.openBids(r, t)
	if err != nil {
		return nil, nil, err
	}
	var all []store.Mark
	if evs[i].SubmittedAt != nil { // only after submitting may an evaluator see the others
		if all, err = s.Store.Marks(r.Context(), t.ID); err != nil {
			return nil, nil, err
		}
	}
	return slots(t, bids, all), &evs[i], nil
}

func slots(t tenders.Tender, bids []tenders.OpenedBid, all []store.Mark) []bidMarks {
	var out []bidMarks
	for _, b := range bids {
		bm := bidMarks{Bid: b}
		for _, k := range markKeys(t) {
			title, answer := "Qualitative social value answer", b.Content.SVAnswer
			if k != tenders.QualKey {
				n, _ := strconv.Atoi(strings.TrimPrefix(k, "Q"))
				title, answer = t.Criteria[n-1].Title, b.Content.Answers[k]
			}
			slot := markSlot{Field: fmt.Sprintf("mark_%d_%s", b.OrgID, k), Reason: fmt.Sprintf("reason_%d_%s", b.OrgID, k), Key: k, Title: title, Answer: answer}
			var ms []int
			for _, m := range all {
				if m.OrgID == b.OrgID && m.Criterion == k {
					slot.Others = append(slot.Others, m)
					ms = append(ms, m.Mark)
				}
			}
			slot.Mean = tenders.MeanMark(ms)
			bm.Slots = append(bm.Slots, slot)
		}
		out = append(out, bm)
	}
	return out
}

func (s *Server) markingForm(w http.ResponseWriter, r *http.Request) error {
	t, err := s.tenderFor(r)
	if err != nil {
		return err
	}
	if !actorFrom(r).SignedIn() {
		return problem.ErrUnauthorised
	}
	bms, ev, err := s.markingData(r, t)
	if err != nil {
		return err
	}
	bids := make([]tenders.OpenedBid, 0, len(bms))
	for _, b := range bms {
		bids = append(bids, b.Bid)
	}
	flags, err := s.gateFlags(r, t, bids)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "marking", &page{Title: "Mark bids: " + t.Title, Form: url.Values{}, Data: map[string]any{"T": t, "Bids": bms, "Me": ev, "Scale": tenders.DefaultDescriptors, "Flags": flags}})
	return nil
}

func (s *Server) submitMarking(w http.ResponseWriter, r *http.Request) error {
	t, err := s.tenderFor(r)
	if err != nil {
		return err
	}
	a, err := requireUser(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	if t.Status == tenders.Evaluated || t.Status == tenders.Awarded {
		_ = s.Store.RecordRefusal(r.Context(), a, "tender.marks.submit", "tender", strconv.FormatInt(t.ID, 10), "after moderation")
		return store.ErrModerated
	}
	bms, ev, err := s.markingData(r, t)
	if err != nil {
		return err
	}
	if ev.SubmittedAt != nil {
		return fmt.Errorf("you have already submitted your marks: %w", problem.ErrConflict)
	}
	v := &problem.Invalid{}
	var marks []store.Mark
	for _, bm := range bms {
		for _, sl := range bm.Slots {
			mk, err := strconv.Atoi(r.PostForm.Get(sl.Field))
			if err != nil || mk < 0 || mk > 5 {
				v.Add(sl.Field, "Choose a mark from 0 to 5 for %s, %s", bm.Bid.Supplier, sl.Key)
			}
			reason := strings.TrimSpace(r.PostForm.Get(sl.Reason))
			if reason == "" {
				v.Add(sl.Reason, "Give a reason for your mark for %s, %s", bm.Bid.Supplier, sl.Key)
			}
			marks = append(marks, store.Mark{OrgID: bm.Bid.OrgID, Criterion: sl.Key, Mark: mk, Reason: reason})
		}
	}
	if err := v.Err(); err != nil {
		return s.invalid(w, r, err, "marking", &page{Title: "Mark bids: " + t.Title, Data: map[string]any{"T": t, "Bids": bms, "Me": ev, "Scale": tenders.DefaultDescriptors}})
	}
	if err := s.Store.SubmitMarks(r.Context(), a, t.ID, marks, s.now()); err != nil {
		if errors.Is(err, store.ErrModerated) {
			_ = s.Store.RecordRefusal(r.Context(), a, "tender.marks.submit", "tender", strconv.FormatInt(t.ID, 10), "after moderation")
		}
		return err
	}
	setFlash(w, "Your marks are submitted. You can now see the other evaluators' marks.")
	return redirect(w, r, fmt.Sprintf("/tenders/%d/marking", t.ID))
}

func (s *Server) moderationData(r *http.Request, t tenders.Tender) (map[string]any, error) {
	bids, err := s.openBids(r, t)
	if err != nil {
		return nil, err
	}
	all, err := s.Store.Marks(r.Context(), t.ID)
	if err != nil {
		return nil, err
	}
	evs, err := s.Store.Evaluators(r.Context(), t.ID)
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	pending := 0
	for _, e := range evs {
		names[e.UserID] = e.Name
		if e.SubmittedAt == nil {
			pending++
		}
	}
	return map[string]any{"T": t, "Bids": slots(t, bids, all), "Names": names, "Pending": pending, "Evaluators": evs}, nil
}

func (s *Server) moderationForm(w http.ResponseWriter, r *http.Request) error {
	t, _, err := s.manageTender(r)
	if err != nil {
		return err
	}
	data, err := s.moderationData(r, t)
	if err != nil {
		return err
	}
	// Default consensus: the mean, with a rationale saying so.
	form := url.Values{}
	for _, bm := range data["Bids"].([]bidMarks) {
		for _, sl := range bm.Slots {
			form.Set(sl.Field, sl.Mean)
			form.Set(sl.Reason, "Mean of the evaluators' marks")
		}
	}
	s.render(w, r, http.StatusOK, "moderation", &page{Title: "Moderate marks: " + t.Title, Form: form, Data: data})
	return nil
}

func (s *Server) submitModeration(w http.ResponseWriter, r *http.Request) error {
	t, a, err := s.manageTender(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	data, err := s.moderationData(r, t)
	if err != nil {
		return err
	}
	v := &problem.Invalid{}
	var cs []store.Consensus
	for _, bm := range data["Bids"].([]bidMarks) {
		for _, sl := range bm.Slots {
			mark := strings.TrimSpace(r.PostForm.Get(sl.Field))
			if err := validMark(mark); err != nil {
				v.Add(sl.Field, "Consensus mark for %s, %s: %s", bm.Bid.Supplier, sl.Key, err)
			}
			rationale := strings.TrimSpace(r.PostForm.Get(sl.Reason))
			if rationale == "" {
				v.Add(sl.Reason, "Give the rationale for the consensus mark for %s, %s", bm.Bid.Supplier, sl.Key)
			}
			cs = append(cs, store.Consensus{OrgID: bm.Bid.OrgID, Criterion: sl.Key, Mark: mark, Rationale: rationale})
		}
	}
	if err := v.Err(); err != nil {
		return s.invalid(w, r, err, "moderation", &page{Title: "Moderate marks: " + t.Title, Data: data})
	}
	if err := s.Store.Moderate(r.Context(), a, t.ID, cs, s.now()); err != nil {
		return err
	}
	setFlash(w, "Consensus marks recorded; the evaluation is complete")
	return redirect(w, r, fmt.Sprintf("/tenders/%d/evaluation", t.ID))
}

// validMark accepts an exact mark from 0 to 5: a whole number, a decimal or
// a fraction such as 11/3 (the mean of three marks).
func validMark(s string) error {
	if s == "" {
		return errors.New("enter a mark from 0 to 5")
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok || strings.ContainsAny(s, "eE") {
		return fmt.Errorf("%q is not a number", s)
	}
	if r.Sign() < 0 || r.Cmp(big.NewRat(5, 1)) > 0 {
		return errors.New("must be between 0 and 5")
	}
	return nil
}

// evaluation builds the evaluation of a moderated tender, and returns the
// opened bids it was built from.
func (s *Server) evaluation(r *http.Request, t tenders.Tender) (tenders.Evaluation, []tenders.OpenedBid, error) {
	bids, err := s.openBids(r, t)
	if err != nil {
		return tenders.Evaluation{}, nil, err
	}
	cons, err := s.Store.ConsensusMarks(r.Context(), t.ID)
	if err != nil {
		return tenders.Evaluation{}, nil, err
	}
	if len(cons) == 0 && len(bids) > 0 {
		return tenders.Evaluation{}, nil, fmt.Errorf("the marks have not been moderated yet: %w", problem.ErrConflict)
	}
	byOrg := map[int64]map[string]string{}
	for _, c := range cons {
		if byOrg[c.OrgID] == nil {
			byOrg[c.OrgID] = map[string]string{}
		}
		byOrg[c.OrgID][c.Criterion] = c.Mark
	}
	people, err := s.peopleFor(r, t)
	if err != nil {
		return tenders.Evaluation{}, nil, err
	}
	e := tenders.BuildEvaluation(t, people, bids, byOrg)
	flags, err := s.gateFlags(r, t, bids)
	if err != nil {
		return e, nil, err
	}
	tenders.ApplyGateFlags(&e, flags)
	res, err := tenders.Evaluate(e)
	if err != nil {
		return e, nil, err
	}
	e.Results = res
	return e, bids, nil
}

func (s *Server) evaluationPage(w http.ResponseWriter, r *http.Request) error {
	t, err := s.tenderFor(r)
	if err != nil {
		return err
	}
	e, bids, err := s.evaluation(r, t)
	if err != nil {
		return err
	}
	flags, err := s.gateFlags(r, t, bids)
	if err != nil {
		return err
	}
	ranked := tenders.ByRank(e.Results)
	standstill, err := awardStandstill(t, s.now())
	if err != nil {
		return err
	}
	form := url.Values{"start": {s.now().AddDate(0, 1, 0).Format(time.DateOnly)},
		"end": {s.now().AddDate(2, 1, 0).Format(time.DateOnly)}}
	if len(ranked) > 0 && ranked[0].Rank == 1 {
		form.Set("winner", ranked[0].Bid)
	}
	var winners []orgs.Option
	for _, x := range ranked {
		if x.Compliant {
			winners = append(winners, orgs.Option{Value: x.Bid, Label: fmt.Sprintf("%s (rank %d, total %s)", x.Supplier, x.Rank, tenders.Points(x.Total))})
		}
	}
	s.render(w, r, http.StatusOK, "evaluation", &page{Title: "Evaluation: " + t.Title, Form: form, Data: map[string]any{"T": t, "E": e, "Ranked": shown(ranked), "People": e.People, "PeopleLink": weightsLink(t),
		"Summary": tenders.Summarise(e.Results, e.Weights, ""), "AlphaPct": tenders.Percent(e.Alpha), "Printed": s.printedOn(),
		"Measures": measureRows(t, e.People), "Manage": auth.Can(actorFrom(r), auth.ManageTender, auth.Target{OrgID: t.BuyerOrgID}), "Winners": winners,
		"Standstill": dateWords(standstill), "Adjust": s.Adjust, "Flags": flags}})
	return nil
}

func (s *Server) evaluationJSON(w http.ResponseWriter, r *http.Request) error {
	t, err := s.tenderFor(r)
	if err != nil {
		return err
	}
	e, _, err := s.evaluation(r, t)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=tender-%d-evaluation.json", t.ID))
	writeJSON(w, http.StatusOK, e)
	return nil
}

func (s *Server) awardTender(w http.ResponseWriter, r *http.Request) error {
	t, a, err := s.manageTender(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	e, bids, err := s.evaluation(r, t)
	if err != nil {
		return err
	}
	f := r.PostForm
	v := &problem.Invalid{}
	win := slices.IndexFunc(e.Results, func(x tenders.Result) bool { return x.Bid == f.Get("winner") && x.Compliant })
	if win < 0 {
		v.Add("winner", "Choose the winning compliant bid")
	}
	rationale := strings.TrimSpace(f.Get("rationale"))
	if rationale == "" {
		v.Add("rationale", "Record the reason for the award decision")
	}
	// The standstill (s.51) is computed, not typed: eight working days
	// from the contract award notice, published with the award below.
	standstill, err := awardStandstill(t, s.now())
	if err != nil {
		return err
	}
	if err := contracts.ValidPeriod(f.Get("start"), f.Get("end")); err != nil {
		v.Add("start", "Enter the contract start and end dates, with the end after the start")
	}
	if err := v.Err(); err != nil {
		return err
	}
	res := e.Results[win]
	bid := e.Bids[slices.IndexFunc(e.Bids, func(b tenders.EvalBid) bool { return b.ID == res.Bid })]
	orgID, _ := strconv.ParseInt(strings.TrimPrefix(res.Bid, "org-"), 10, 64)
	content := bids[slices.IndexFunc(bids, func(b tenders.OpenedBid) bool { return b.OrgID == orgID })].Content
	var cs []contracts.Commitment
	for _, m := range t.Measures {
		c := content.Commitments[m.Code]
		q, err := tenders.ParseQuantity(c.Quantity)
		if err != nil || q == 0 {
			continue
		}
		cs = append(cs, contracts.Commitment{MeasureID: m.ID, QuantityMilli: q, Due: f.Get("end"), AreaCode: c.Where, Plan: c.Plan})
	}
	frozen, _ := json.Marshal(e)
	cid, err := s.Store.AwardTender(r.Context(), a, store.Award{TenderID: t.ID, SupplierID: orgID, ValuePence: bid.PricePence, Evaluation: string(frozen), Rationale: rationale,
		StandstillEnd: standstill, NoticeFacts: awardNoticeFacts(t, res, bid.PricePence, standstill, len(e.Results))},
		contracts.Contract{BuyerOrgID: t.BuyerOrgID, Title: s.contractTitle(r, t), Start: f.Get("start"), End: f.Get("end")}, cs, s.now())
	if err != nil {
		return err
	}
	s.notifyBidders(r, t, orgID, bids)
	msg := fmt.Sprintf("Awarded to %s. Assessment summaries sent to every bidder and the contract award notice published. Contract %d created with %d social value commitments.", res.Supplier, cid, len(cs))
	if standstill != "" {
		msg += " The standstill period ends on " + dateWords(standstill) + "; the contract cannot be entered into before then."
	}
	setFlash(w, msg)
	return redirect(w, r, fmt.Sprintf("/tenders/%d/award", t.ID))
}

// awardFor loads a tender's award with the evaluation frozen at the time.
func (s *Server) awardFor(r *http.Request) (tenders.Tender, store.Award, tenders.Evaluation, error) {
	var e tenders.Evaluation
	t, err := s.tenderFor(r)
	if err != nil {
		return t, store.Award{}, e, err
	}
	aw, err := s.Store.AwardOf(r.Context(), t.ID)
	if err != nil {
		return t, aw, e, err
	}
	if err := json.Unmarshal([]byte(aw.Evaluation), &e); err != nil {
		return t, aw, e, fmt.Errorf("award evaluation: %w", err)
	}
	return t, aw, e, nil
}

func (s *Server) awardPage(w http.ResponseWriter, r *http.Request) error {
	t, aw, e, err := s.awardFor(r)
	if err != nil {
		return err
	}
	a := actorFrom(r)
	e.Results = tenders.ByRank(e.Results) // the page lists the bids first place first
	var winner tenders.Result
	var mine []tenders.Result
	for _, x := range e.Results {
		if x.Bid == tenders.BidKey(aw.SupplierID) {
			winner = x
		}
		id, _ := strconv.ParseInt(strings.TrimPrefix(x.Bid, "org-"), 10, 64)
		if x.Bid != tenders.BidKey(aw.SupplierID) && auth.Can(a, auth.Bid, auth.Target{OrgID: id}) {
			mine = append(mine, x)
		}
	}
	ns, err := s.Store.TenderNotices(r.Context(), t.ID)
	if err != nil {
		return err
	}
	var awardNotices []tenders.Notice
	for _, n := range ns {
		if n.Kind == tenders.NoticeAward {
			awardNotices = append(awardNotices, n)
		}
	}
	s.render(w, r, http.StatusOK, "award", &page{Title: "Award: " + t.Title, Data: map[string]any{"T": t, "A": aw, "E": e, "Results": shown(e.Results), "Winner": shownOne(winner), "Mine": withCriteria(shown(mine), shownOne(winner)), "Notices": awardNotices,
		"Summary": tenders.Summarise(e.Results, e.Weights, tenders.BidKey(aw.SupplierID)), "AlphaPct": tenders.Percent(e.Alpha), "Printed": s.printedOn(), "Adjust": s.Adjust}})
	return nil
}

// printedOn is today's date in London for the print-only line of a
// committee report ("Printed on 7 December 2026 from Social Value Hub").
func (s *Server) printedOn() string { return s.now().In(london).Format("2 January 2006") }

// shownResult is a bid's result as a page shows it: points to one decimal
// place and its score lines in words (tenders.PlainLine). The exact values
// are only in the JSON export.
type shownResult struct {
	tenders.Result
	P, Q, S, T string
	Plain      []tenders.LineExpl
}

func shownOne(x tenders.Result) shownResult {
	v := shownResult{Result: x, P: tenders.Points(x.Price), Q: tenders.Points(x.Quality), S: tenders.Points(x.SocialValue), T: tenders.Points(x.Total)}
	for _, l := range x.Lines {
		v.Plain = append(v.Plain, tenders.PlainLine(l))
	}
	return v
}

func shown(rs []tenders.Result) []shownResult {
	out := make([]shownResult, 0, len(rs))
	for _, x := range rs {
		out = append(out, shownOne(x))
	}
	return out
}

// notifyBidders tells every bidding organisation's representatives the
// outcome: the winner that it won, the others where their assessment
// summary is. A failed email is logged; the award stands.
func (s *Server) notifyBidders(r *http.Request, t tenders.Tender, winner int64, bids []tenders.OpenedBid) {
	link := fmt.Sprintf("%s/tenders/%d/award", s.BaseURL, t.ID)
	name := s.contractTitle(r, t) // a lot is named with its tender
	for _, b := range bids {
		members, err := s.Store.MembersOfOrg(r.Context(), b.OrgID)
		if err != nil {
			s.Log.Warn("award notification", "org", b.OrgID, "err", err)
			continue
		}
		subject, body := "Your bid for "+name+" was not successful", "The award decision for "+name+" has been published. Your assessment summary, comparing your scores with the winning bid's, is at "+link+"\n"
		if b.OrgID == winner {
			subject, body = "You have been awarded "+name, "Congratulations: "+t.BuyerName+" has awarded "+name+" to "+b.Supplier+". The decision and scores are at "+link+"\n"
		}
		sent := map[string]bool{}
		for _, m := range members {
			if (m.Role != auth.RoleSupplier && m.Role != auth.RoleOrgAdmin) || sent[m.Email] {
				continue
			}
			sent[m.Email] = true
			if err := s.Auth.Mailer.Send(r.Context(), mail.Message{To: m.Email, Subject: subject, Body: body}); err != nil {
				s.Log.Warn("award notification", "to", m.Email, "err", err)
			}
		}
	}
}
