package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/priorities"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/store"
)

// workshopFor loads the round and the VCSE organisation in the path and
// checks the actor may run workshops for it.
func (s *Server) workshopFor(r *http.Request) (priorities.Round, auth.Membership, auth.Actor, error) {
	rd, err := s.loadRound(r)
	if err != nil {
		return rd, auth.Membership{}, auth.Anonymous, err
	}
	a := actorFrom(r)
	for _, m := range a.OrgsWith("vcse", auth.RoleVCSE, auth.RoleOrgAdmin) {
		if m.OrgSlug == r.PathValue("org") {
			return rd, m, a, nil
		}
	}
	if !a.SignedIn() {
		return rd, auth.Membership{}, a, problem.ErrUnauthorised
	}
	return rd, auth.Membership{}, a, fmt.Errorf("workshop for %s: %w", r.PathValue("org"), problem.ErrForbidden)
}

func (s *Server) workshopPage(w http.ResponseWriter, r *http.Request, rd priorities.Round, m auth.Membership, code int, p *page) error {
	issued, used, err := s.Store.CodeCounts(r.Context(), rd.ID, m.OrgID)
	if err != nil {
		return err
	}
	open, why := rd.AcceptsBallots(s.now())
	if p.Data == nil {
		p.Data = map[string]any{}
	}
	p.Data["Round"], p.Data["Org"], p.Data["Issued"], p.Data["Used"], p.Data["Open"], p.Data["Why"] = rd, m, issued, used, open, why
	p.Data["Header"] = strings.Join(priorities.PaperHeader(rd.Priorities), ",")
	// Codes are shown once, right after they are made, and rejected lines
	// right after an upload.
	for _, k := range []string{"Codes", "Rejected", "ChooseDistrict"} {
		if _, ok := p.Data[k]; !ok {
			p.Data[k] = nil
		}
	}
	if p.Title == "" {
		p.Title = "Workshop ballots: " + m.OrgName
	}
	if p.Errors != nil {
		p.Title = "Error: " + p.Title
	}
	if p.Form == nil {
		p.Form = url.Values{}
	}
	s.render(w, r, code, "workshop", p)
	return nil
}

func (s *Server) workshop(w http.ResponseWriter, r *http.Request) error {
	rd, m, _, err := s.workshopFor(r)
	if err != nil {
		return err
	}
	return s.workshopPage(w, r, rd, m, http.StatusOK, &page{})
}

// MaxCodes bounds one batch of printed codes.
const MaxCodes = 500

func (s *Server) createCodes(w http.ResponseWriter, r *http.Request) error {
	rd, m, a, err := s.workshopFor(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	n, err := strconv.Atoi(strings.TrimSpace(r.PostForm.Get("count")))
	if err != nil || n < 1 || n > MaxCodes {
		p := &page{Errors: &problem.Invalid{Fields: []problem.FieldError{{Field: "count", Message: fmt.Sprintf("Enter how many codes to print, from 1 to %d", MaxCodes)}}}, Form: r.PostForm}
		return s.workshopPage(w, r, rd, m, http.StatusUnprocessableEntity, p)
	}
	codes := make([]string, n)
	hashes := make([]string, n)
	for i := range codes {
		secret, _ := auth.NewToken()
		// Short enough to type from paper; 40 bits each, single use, tied to one round and organisation.
		codes[i] = strings.ToUpper(strings.NewReplacer("-", "", "_", "").Replace(secret))[:8]
		hashes[i] = auth.HashToken(codes[i])
	}
	if err := s.Store.CreateCodes(r.Context(), a, rd.ID, m.OrgID, hashes); err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return s.workshopPage(w, r, rd, m, http.StatusOK, &page{Data: map[string]any{"Codes": codes}})
}

func (s *Server) paperBallot(w http.ResponseWriter, r *http.Request) error {
	rd, m, a, err := s.workshopFor(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := r.PostForm
	var v problem.Invalid
	code := strings.ToUpper(strings.TrimSpace(f.Get("code")))
	if code == "" {
		v.Add("code", "Enter the ballot code printed on the paper ballot")
	}
	pts, perr := priorities.ParsePoints(rd.Priorities, func(c string) string { return f.Get("points-" + c) })
	if perr != nil {
		v.Fields = append(v.Fields, perr.(*problem.Invalid).Fields...)
	}
	vp, err := s.placeVoter(r, rd, f.Get("postcode"), f.Get("district"))
	if err != nil {
		return err
	}
	wards, wardProblem, err := s.statedWard(r, &vp, f.Get("ward"))
	if err != nil {
		return err
	}
	place := vp.Place
	data := map[string]any{}
	if vp.Choices != nil {
		data["ChooseDistrict"], data["ChooseWard"] = districtOptions(vp.Choices), wards
	}
	switch {
	case vp.Problem != "" && vp.Choices != nil:
		v.Add("district", "%s", strings.Replace(vp.Problem, "the district you live in", "the district the participant lives in", 1))
	case vp.Problem != "":
		v.Add("postcode", "%s", strings.Replace(vp.Problem, "Enter your postcode", "Enter the participant's postcode", 1))
	case wardProblem != "":
		v.Add("ward", "%s", wardProblem)
	}
	fail := func(err error) error {
		var inv *problem.Invalid
		if !errors.As(err, &inv) {
			return err
		}
		return s.workshopPage(w, r, rd, m, http.StatusUnprocessableEntity, &page{Errors: inv, Form: f, Data: data})
	}
	if err := v.Err(); err != nil {
		return fail(err)
	}
	hash := auth.HashToken(code)
	_, err = s.Store.SubmitBallot(r.Context(), a, store.Ballot{RoundID: rd.ID, VoterKey: "code:" + hash, CodeHash: hash, Channel: priorities.Workshop, WorkshopOrgID: m.OrgID,
		Postcode: place.Postcode, DistrictCode: place.DistrictCode, WardCode: place.WardCode, IMDDecile: place.IMDDecile, Confidence: place.Confidence, Comment: strings.TrimSpace(f.Get("comment")), Points: pts}, s.now())
	var closed store.ErrRoundClosed
	if errors.As(err, &closed) {
		return fail(problem.Field("code", "%s", closed.Reason))
	}
	if err != nil {
		return fail(err)
	}
	setFlash(w, "Paper ballot "+code+" entered")
	return redirect(w, r, fmt.Sprintf("/priorities/%d/workshop/%s", rd.ID, m.OrgSlug))
}

func (s *Server) paperUpload(w http.ResponseWriter, r *http.Request) error {
	rd, m, a, err := s.workshopFor(r)
	if err != nil {
		return err
	}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		return s.workshopPage(w, r, rd, m, http.StatusUnprocessableEntity, &page{Errors: &problem.Invalid{Fields: []problem.FieldError{{Field: "file", Message: "Select a CSV file of paper ballots"}}}})
	}
	defer file.Close()
	body, err := io.ReadAll(file)
	if err != nil {
		return err
	}
	rejected := func(err error) error {
		var fe *problem.FileErrors
		if !errors.As(err, &fe) {
			return err
		}
		return s.workshopPage(w, r, rd, m, http.StatusUnprocessableEntity, &page{
			Errors: &problem.Invalid{Fields: []problem.FieldError{{Field: "file", Message: fmt.Sprintf("%s has %d problem(s); no ballots from it were stored", hdr.Filename, len(fe.Lines))}}},
			Data:   map[string]any{"Rejected": fe}})
	}
	// One report of every problem: the file's own (format, points,
	// postcodes), then codes and places, which need the database.
	rows, err := priorities.ReadPaperCSV(bytes.NewReader(body), hdr.Filename, rd.Priorities)
	fe := &problem.FileErrors{File: hdr.Filename}
	var pfe *problem.FileErrors
	if errors.As(err, &pfe) {
		fe.Lines = append(fe.Lines, pfe.Lines...)
	} else if err != nil {
		return err
	}
	states, err := s.Store.CodeStates(r.Context(), rd.ID, m.OrgID)
	if err != nil {
		return err
	}
	ballots := make([]store.Ballot, 0, len(rows))
	for _, row := range rows {
		hash := auth.HashToken(row.Code)
		if used, known := states[hash]; row.Code != "" && !known {
			fe.Add(row.Line, "code %s is not one of %s's codes for this round", row.Code, m.OrgName)
		} else if used {
			fe.Add(row.Line, "code %s has already been used", row.Code)
		}
		if row.Postcode == "" || row.Points == nil {
			continue // already reported
		}
		vp, err := s.placeVoter(r, rd, row.Postcode, "")
		if err != nil {
			return err
		}
		if vp.Choices != nil && vp.Problem != "" {
			fe.Add(row.Line, "%s is not in our postcode tables yet, so we cannot tell which district it is in: enter this ballot on its own with the form above, where you can choose the participant's district", row.Postcode)
			continue
		}
		if vp.Problem != "" {
			fe.Add(row.Line, "%s", vp.Problem)
			continue
		}
		place := vp.Place
		ballots = append(ballots, store.Ballot{RoundID: rd.ID, VoterKey: "code:" + hash, CodeHash: hash, Channel: priorities.Workshop, WorkshopOrgID: m.OrgID, Line: row.Line,
			Postcode: place.Postcode, DistrictCode: place.DistrictCode, WardCode: place.WardCode, IMDDecile: place.IMDDecile, Confidence: place.Confidence, Comment: row.Comment, Points: row.Points})
	}
	slices.SortStableFunc(fe.Lines, func(a, b problem.LineError) int { return a.Line - b.Line })
	if err := fe.Err(); err != nil {
		return rejected(err)
	}
	err = s.Store.SubmitPaperBallots(r.Context(), a, hdr.Filename, ballots, s.now())
	var closed store.ErrRoundClosed
	if errors.As(err, &closed) {
		return s.workshopPage(w, r, rd, m, http.StatusUnprocessableEntity, &page{Errors: &problem.Invalid{Fields: []problem.FieldError{{Field: "file", Message: closed.Reason}}}})
	}
	if err != nil {
		return rejected(err)
	}
	setFlash(w, fmt.Sprintf("%d paper ballots from %s entered", len(ballots), hdr.Filename))
	return redirect(w, r, fmt.Sprintf("/priorities/%d/workshop/%s", rd.ID, m.OrgSlug))
}
