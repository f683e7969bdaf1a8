package web

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/tenders"
)

// bidderOrgs are the organisations the actor may bid for on t (respecting
// a VCSE or SME reservation).
func (s *Server) bidderOrgs(r *http.Request, t tenders.Tender) ([]orgs.Organisation, error) {
	a := actorFrom(r)
	var out []orgs.Organisation
	for _, m := range a.Memberships {
		if !auth.Can(a, auth.Bid, auth.Target{OrgID: m.OrgID}) || (m.OrgKind != orgs.Business && m.OrgKind != orgs.VCSE) || slices.ContainsFunc(out, func(o orgs.Organisation) bool { return o.ID == m.OrgID }) {
			continue
		}
		o, err := s.Store.OrganisationByID(r.Context(), m.OrgID)
		if err != nil {
			return nil, err
		}
		if (t.Reservation == "vcse" && o.Kind != orgs.VCSE) || (t.Reservation == "sme" && !o.SME()) {
			continue
		}
		out = append(out, o)
	}
	return out, nil
}

func (s *Server) bidFormData(r *http.Request, t tenders.Tender, bidders []orgs.Organisation) (map[string]any, error) {
	districts, err := s.Store.Districts(r.Context())
	if err != nil {
		return nil, err
	}
	areas := []orgs.Option{{Value: "", Label: "Across Greater Manchester"}}
	for _, d := range districts {
		areas = append(areas, orgs.Option{Value: d.Code, Label: d.Name})
	}
	var bo []orgs.Option
	for _, o := range bidders {
		bo = append(bo, orgs.Option{Value: strconv.FormatInt(o.ID, 10), Label: o.LegalName})
	}
	crit := make([]map[string]any, len(t.Criteria))
	for i, c := range t.Criteria {
		crit[i] = map[string]any{"Key": tenders.CriterionKey(i), "C": c}
	}
	return map[string]any{"T": t, "Areas": areas, "Bidders": bo, "Criteria": crit, "Gates": t.Gates, "GateLabel": gateLabels(t.Gates), "Attachments": map[string]tenders.FileRef{}, "Version": 0}, nil
}

func (s *Server) bidForm(w http.ResponseWriter, r *http.Request) error {
	t, err := s.tenderFor(r)
	if err != nil {
		return err
	}
	if !actorFrom(r).SignedIn() {
		return problem.ErrUnauthorised
	}
	if !t.Open(s.now()) {
		return fmt.Errorf("this tender is not open for bids: %w", problem.ErrConflict)
	}
	if t.HasLots() { // bids are made on a lot (tenders_lots.go)
		setFlash(w, fmt.Sprintf("%s is divided into lots: choose a lot to bid on.", t.Title))
		return redirect(w, r, fmt.Sprintf("/tenders/%d#lots", t.ID))
	}
	bidders, err := s.bidderOrgs(r, t)
	if err != nil {
		return err
	}
	if len(bidders) == 0 {
		return fmt.Errorf("you need to be a supplier representative of an eligible organisation to bid: %w", problem.ErrForbidden)
	}
	data, err := s.bidFormData(r, t, bidders)
	if err != nil {
		return err
	}
	form := url.Values{"org": {strconv.FormatInt(bidders[0].ID, 10)}}
	// Resubmitting starts from the latest version.
	if own, err := s.Store.OrgBids(r.Context(), t.ID, bidders[0].ID); err == nil && len(own) > 0 {
		wrapped, err := s.Store.TenderKey(r.Context(), t.ID)
		if err != nil {
			return err
		}
		b, err := s.Sealer.OpenBid(t, wrapped, own[0].OrgID, own[0].Version, own[0].Sealed, tenders.Opening{Now: s.now(), OwnBid: true})
		if err != nil {
			return err
		}
		form = bidValues(t, b)
		form.Set("org", strconv.FormatInt(bidders[0].ID, 10))
		data["Version"] = own[0].Version
		data["Attachments"] = b.Attachments
	}
	s.render(w, r, http.StatusOK, "bid-form", &page{Title: "Submit a bid: " + t.LotLabel(), Form: form, Data: data})
	return nil
}

func bidValues(t tenders.Tender, b tenders.BidContent) url.Values {
	f := url.Values{"price": {fmt.Sprintf("%d.%02d", b.PricePence/100, b.PricePence%100)}, "sv_answer": {b.SVAnswer}}
	for k, v := range b.Answers {
		f.Set("answer_"+k, v)
	}
	for k, c := range b.Commitments {
		f.Set("qty_"+k, c.Quantity)
		f.Set("plan_"+k, c.Plan)
		f.Set("where_"+k, c.Where)
	}
	for g, d := range b.Gates {
		f.Set("gate_"+g, map[bool]string{true: "yes", false: "no"}[d.Meets])
		f.Set("evidence_"+g, d.Evidence)
	}
	return f
}

func parseBid(t tenders.Tender, f url.Values) (tenders.BidContent, error) {
	b := tenders.BidContent{Answers: map[string]string{}, Commitments: map[string]tenders.Commitment{}, Gates: map[string]tenders.Declaration{}, SVAnswer: strings.TrimSpace(f.Get("sv_answer"))}
	price, ok := parsePence(f.Get("price"))
	if ok {
		b.PricePence = price
	}
	for i := range t.Criteria {
		k := tenders.CriterionKey(i)
		b.Answers[k] = strings.TrimSpace(f.Get("answer_" + k))
	}
	for _, m := range t.Measures {
		q := strings.TrimSpace(f.Get("qty_" + m.Code))
		if q == "" {
			continue
		}
		if milli, err := tenders.ParseQuantity(q); err == nil {
			q = tenders.Milli(milli) // canonical digits, so the receipt does not depend on "1,000" vs "1000"
		}
		b.Commitments[m.Code] = tenders.Commitment{Quantity: q, Plan: strings.TrimSpace(f.Get("plan_" + m.Code)), Where: f.Get("where_" + m.Code)}
	}
	for _, g := range t.Gates {
		switch f.Get("gate_" + g) {
		case "yes":
			b.Gates[g] = tenders.Declaration{Meets: true, Evidence: strings.TrimSpace(f.Get("evidence_" + g))}
		case "no":
			b.Gates[g] = tenders.Declaration{Meets: false, Evidence: strings.TrimSpace(f.Get("evidence_" + g))}
		}
	}
	err := tenders.ValidateBid(t, b)
	if _, ok := parsePence(f.Get("price")); !ok && f.Get("price") != "" {
		v := &problem.Invalid{}
		v.Add("price", "Enter the price in pounds, like 950000 or 950,000.00")
		if inv := (*problem.Invalid)(nil); errors.As(err, &inv) {
			for _, fe := range inv.Fields {
				if fe.Field != "price" {
					v.Fields = append(v.Fields, fe)
				}
			}
		}
		return b, v
	}
	return b, err
}

func (s *Server) submitBid(w http.ResponseWriter, r *http.Request) error {
	t, err := s.tenderFor(r)
	if err != nil {
		return err
	}
	if t.HasLots() {
		return lotError(t) // tenders_lots.go
	}
	// The form is multipart when it carries files; a plain form is fine too.
	if err := r.ParseMultipartForm(1 << 20); errors.Is(err, http.ErrNotMultipart) {
		if err := r.ParseForm(); err != nil {
			return err
		}
	} else if err != nil {
		return err
	}
	org, _ := strconv.ParseInt(r.PostForm.Get("org"), 10, 64)
	a, err := require(r, auth.Bid, auth.Target{OrgID: org})
	if err != nil {
		return err
	}
	bidders, err := s.bidderOrgs(r, t)
	if err != nil {
		return err
	}
	var bidder orgs.Organisation
	for _, o := range bidders {
		if o.ID == org {
			bidder = o
		}
	}
	if bidder.ID == 0 {
		return fmt.Errorf("this organisation cannot bid for this tender (it may be reserved): %w", problem.ErrForbidden)
	}
	if !t.Open(s.now()) {
		_ = s.Store.RecordRefusal(r.Context(), a, "bid.submit", "tender", strconv.FormatInt(t.ID, 10), "after the deadline or not open")
		return fmt.Errorf("this tender is not accepting bids; the deadline was %s: %w", t.Deadline.In(london).Format("15:04 on 2 January 2006"), problem.ErrConflict)
	}
	wrapped, err := s.Store.TenderKey(r.Context(), t.ID)
	if err != nil {
		return err
	}
	b, err := parseBid(t, r.PostForm)
	files, ferr := s.bidFiles(r, t, wrapped, org, &b)
	if err = mergeInvalid(err, ferr); err != nil {
		data, derr := s.bidFormData(r, t, bidders)
		if derr != nil {
			return derr
		}
		return s.invalid(w, r, err, "bid-form", &page{Title: "Submit a bid: " + t.LotLabel(), Data: data})
	}
	canon := b.Canonical()
	sha := tenders.Digest(canon)
	now := s.now()
	v, err := s.Store.SubmitBid(r.Context(), a, t.ID, org, sha, func(version int) ([]byte, error) {
		return s.Sealer.SealBid(t.ID, wrapped, org, version, canon)
	}, files, now)
	if err != nil {
		return err
	}
	receipt := tenders.Receipt{Tender: t.ID, Supplier: bidder.LegalName, Version: v, SHA256: sha, SubmittedAt: now.UTC().Truncate(time.Second)}
	s.render(w, r, http.StatusOK, "bid-receipt", &page{Title: "Bid received", Data: map[string]any{"T": t, "R": receipt}})
	return nil
}

// bidFiles seals the files attached to answers (one per quality criterion)
// and records them in the bid; an answer without a new file keeps the file
// of the bidder's previous version unless "remove" is ticked.
func (s *Server) bidFiles(r *http.Request, t tenders.Tender, wrapped []byte, org int64, b *tenders.BidContent) ([]store.BidFile, error) {
	var prev tenders.BidContent
	if own, err := s.Store.OrgBids(r.Context(), t.ID, org); err != nil {
		return nil, err
	} else if len(own) > 0 {
		if prev, err = s.Sealer.OpenBid(t, wrapped, org, own[0].Version, own[0].Sealed, tenders.Opening{Now: s.now(), OwnBid: true}); err != nil {
			return nil, err
		}
	}
	v := &problem.Invalid{}
	var files []store.BidFile
	for i := range t.Criteria {
		k := tenders.CriterionKey(i)
		field := "attachment_" + k
		var fh *multipart.FileHeader
		if r.MultipartForm != nil && len(r.MultipartForm.File[field]) > 0 {
			fh = r.MultipartForm.File[field][0]
		}
		if fh == nil {
			if old, ok := prev.Attachments[k]; ok && r.PostForm.Get("remove_"+k) != "1" {
				if b.Attachments == nil {
					b.Attachments = map[string]tenders.FileRef{}
				}
				b.Attachments[k] = old
			}
			continue
		}
		if _, ok := tenders.AttachmentTypes[strings.ToLower(filepath.Ext(fh.Filename))]; !ok {
			v.Add(field, "%s is not an allowed type: attach PDF, DOCX, XLSX, ODT, CSV, TXT, PNG or JPG", fh.Filename)
			continue
		}
		if fh.Size > tenders.MaxAttachmentBytes {
			v.Add(field, "%s is larger than the %d MB limit", fh.Filename, tenders.MaxAttachmentBytes>>20)
			continue
		}
		f, err := fh.Open()
		if err != nil {
			return nil, err
		}
		content, err := io.ReadAll(io.LimitReader(f, tenders.MaxAttachmentBytes+1))
		f.Close()
		if err != nil {
			return nil, err
		}
		if len(content) > tenders.MaxAttachmentBytes {
			v.Add(field, "%s is larger than the %d MB limit", fh.Filename, tenders.MaxAttachmentBytes>>20)
			continue
		}
		ctype, err := tenders.CheckAttachment(fh.Filename, content)
		if err != nil {
			v.Add(field, "%v", err)
			continue
		}
		sum := sha256.Sum256(content)
		sha := hex.EncodeToString(sum[:])
		box, err := s.Sealer.SealFile(t.ID, wrapped, org, sha, content)
		if err != nil {
			return nil, err
		}
		files = append(files, store.BidFile{SHA256: sha, Sealed: box})
		if b.Attachments == nil {
			b.Attachments = map[string]tenders.FileRef{}
		}
		b.Attachments[k] = tenders.FileRef{Name: filepath.Base(fh.Filename), Type: ctype, Size: int64(len(content)), SHA256: sha}
	}
	return files, v.Err()
}

// mergeInvalid joins two validation failures into one list of field errors.
func mergeInvalid(a, b error) error {
	var x, y *problem.Invalid
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	case errors.As(a, &x) && errors.As(b, &y):
		return &problem.Invalid{Fields: append(append([]problem.FieldError{}, x.Fields...), y.Fields...)}
	}
	return a
}

// bidFile serves an attached file to whoever may read the bid.
func (s *Server) bidFile(w http.ResponseWriter, r *http.Request) error {
	t, err := s.tenderFor(r)
	if err != nil {
		return err
	}
	org, err := pathID(r, "org")
	if err != nil {
		return err
	}
	sha := r.PathValue("sha")
	a := actorFrom(r)
	if !a.SignedIn() {
		return problem.ErrUnauthorised
	}
	own := auth.Can(a, auth.Bid, auth.Target{OrgID: org})
	_, content, err := s.viewBid(r, t, org)
	if err != nil {
		return err
	}
	var ref tenders.FileRef
	for _, f := range content.Attachments {
		if f.SHA256 == sha {
			ref = f
		}
	}
	if ref.SHA256 == "" {
		return fmt.Errorf("no such file in the bid: %w", problem.ErrNotFound)
	}
	box, err := s.Store.SealedBidFile(r.Context(), t.ID, org, sha)
	if err != nil {
		return err
	}
	wrapped, err := s.Store.TenderKey(r.Context(), t.ID)
	if err != nil {
		return err
	}
	plain, err := s.Sealer.OpenFile(t, wrapped, org, sha, box, tenders.Opening{Now: s.now(), OwnBid: own, Entitled: true})
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", ref.Type)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": ref.Name}))
	_, err = w.Write(plain)
	return err
}

// ownBid returns the bidder's versions, newest first, and the latest content.
// viewBid reads one organisation's bid as the signed-in viewer may see it:
// its own members see every version (latest content) at any time; anyone
// else only the latest, once the bids are open to them. Versions are nil
// for other viewers.
func (s *Server) viewBid(r *http.Request, t tenders.Tender, org int64) ([]store.SealedBid, tenders.BidContent, error) {
	if auth.Can(actorFrom(r), auth.Bid, auth.Target{OrgID: org}) {
		return s.ownBid(r, t, org)
	}
	bids, err := s.openBids(r, t)
	if err != nil {
		return nil, tenders.BidContent{}, err
	}
	i := slices.IndexFunc(bids, func(b tenders.OpenedBid) bool { return b.OrgID == org })
	if i < 0 {
		return nil, tenders.BidContent{}, fmt.Errorf("no bid: %w", problem.ErrNotFound)
	}
	return nil, bids[i].Content, nil
}

func (s *Server) ownBid(r *http.Request, t tenders.Tender, org int64) ([]store.SealedBid, tenders.BidContent, error) {
	var content tenders.BidContent
	versions, err := s.Store.OrgBids(r.Context(), t.ID, org)
	if err != nil {
		return nil, content, err
	}
	if len(versions) == 0 {
		return nil, content, fmt.Errorf("no bid: %w", problem.ErrNotFound)
	}
	wrapped, err := s.Store.TenderKey(r.Context(), t.ID)
	if err != nil {
		return nil, content, err
	}
	content, err = s.Sealer.OpenBid(t, wrapped, org, versions[0].Version, versions[0].Sealed, tenders.Opening{Now: s.now(), OwnBid: true})
	return versions, content, err
}

// entitled reports whether the actor may read a tender's bids once opened:
// the buyer's people and the assigned evaluators.
func (s *Server) entitled(r *http.Request, t tenders.Tender) (bool, error) {
	a := actorFrom(r)
	if auth.Can(a, auth.ManageTender, auth.Target{OrgID: t.BuyerOrgID}) {
		return true, nil
	}
	if !a.SignedIn() {
		return false, nil
	}
	evs, err := s.Store.Evaluators(r.Context(), t.ID)
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(evs, func(e store.Evaluator) bool { return e.UserID == a.ID() }), nil
}

// openBids decrypts every final bid for an entitled actor after the
// deadline. Before it, the attempt is refused and audited.
func (s *Server) openBids(r *http.Request, t tenders.Tender) ([]tenders.OpenedBid, error) {
	a := actorFrom(r)
	ok, err := s.entitled(r, t)
	if err != nil {
		return nil, err
	}
	if !a.SignedIn() {
		return nil, problem.ErrUnauthorised
	}
	if t.Sealed(s.now()) {
		_ = s.Store.RecordRefusal(r.Context(), a, "bid.view", "tender", strconv.FormatInt(t.ID, 10), "bids are sealed until the deadline")
		return nil, tenders.ErrSealed
	}
	if !ok {
		return nil, fmt.Errorf("bids: %w", problem.ErrForbidden)
	}
	finals, err := s.Store.FinalBids(r.Context(), t.ID, s.now())
	if err != nil {
		return nil, err
	}
	wrapped, err := s.Store.TenderKey(r.Context(), t.ID)
	if err != nil {
		return nil, err
	}
	out := make([]tenders.OpenedBid, 0, len(finals))
	for _, b := range finals {
		c, err := s.Sealer.OpenBid(t, wrapped, b.OrgID, b.Version, b.Sealed, tenders.Opening{Now: s.now(), Entitled: true})
		if err != nil {
			return nil, err
		}
		out = append(out, tenders.OpenedBid{OrgID: b.OrgID, Supplier: b.OrgName, SubmittedAt: b.SubmittedAt, Content: c})
	}
	return out, nil
}

func (s *Server) bidList(w http.ResponseWriter, r *http.Request) error {
	t, err := s.tenderFor(r)
	if err != nil {
		return err
	}
	bids, err := s.openBids(r, t)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "bids", &page{Title: "Bids: " + t.Title, Data: map[string]any{"T": t, "Bids": bids}})
	return nil
}

func (s *Server) bidPage(w http.ResponseWriter, r *http.Request) error {
	t, err := s.tenderFor(r)
	if err != nil {
		return err
	}
	org, err := pathID(r, "org")
	if err != nil {
		return err
	}
	a := actorFrom(r)
	if !a.SignedIn() {
		return problem.ErrUnauthorised
	}
	own := auth.Can(a, auth.Bid, auth.Target{OrgID: org})
	versions, content, err := s.viewBid(r, t, org)
	if err != nil {
		return err
	}
	o, err := s.Store.OrganisationByID(r.Context(), org)
	if err != nil {
		return err
	}
	data, err := s.bidFormData(r, t, nil)
	if err != nil {
		return err
	}
	places := map[string]string{}
	for _, a := range data["Areas"].([]orgs.Option) {
		places[a.Value] = a.Label
	}
	data["Org"], data["B"], data["Versions"], data["Own"] = o, newBidView(content, places), versions, own
	s.render(w, r, http.StatusOK, "bid", &page{Title: "Bid from " + o.LegalName, Data: data})
	return nil
}

// bidView is a bid as its page shows it. Attachments are pointers, so a
// criterion answered without a file has none (nil) rather than an empty
// file with a link to nothing; a commitment's Where is the place's name
// ("Manchester"), not its code.
type bidView struct {
	tenders.BidContent
	Attachments map[string]*tenders.FileRef
	Commitments map[string]commitmentView
}

type commitmentView struct {
	tenders.Commitment
	Where string // the place's name; "" for all of Greater Manchester
}

func newBidView(b tenders.BidContent, places map[string]string) bidView {
	v := bidView{BidContent: b, Attachments: map[string]*tenders.FileRef{}, Commitments: map[string]commitmentView{}}
	for k, f := range b.Attachments {
		if f.SHA256 != "" {
			v.Attachments[k] = &f
		}
	}
	for code, c := range b.Commitments {
		where := c.Where
		if name, ok := places[where]; ok && where != "" {
			where = name
		}
		v.Commitments[code] = commitmentView{Commitment: c, Where: where}
	}
	return v
}
