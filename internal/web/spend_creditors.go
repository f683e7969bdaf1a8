package web

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/spend"
)

// MaxCreditorUploadBytes bounds one uploaded creditor file (a supplier
// master of 100,000 accounts is about 15 MB).
const MaxCreditorUploadBytes = 32 << 20

// spendCreditorsForm offers a buyer's officers the creditor file upload
// and shows each of their bodies' creditor file in force.
func (s *Server) spendCreditorsForm(w http.ResponseWriter, r *http.Request) error {
	p, err := s.creditorsPage(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "spend-creditors", p)
	return nil
}

func (s *Server) creditorsPage(r *http.Request) (*page, error) {
	if _, err := requireUser(r); err != nil {
		return nil, err
	}
	bodies, err := s.uploadBodies(r)
	if err != nil {
		return nil, err
	}
	if len(bodies) == 0 {
		return nil, fmt.Errorf("creditor upload: %w", problem.ErrForbidden)
	}
	type inForce struct {
		Buyer     string
		Slug      string
		File      string
		Entries   int
		Placed    int
		Conflicts []string
	}
	var files []inForce
	for _, b := range bodies {
		f, ok, err := s.Store.LatestCreditorFile(r.Context(), b.ID)
		if err != nil {
			return nil, err
		}
		if ok {
			files = append(files, inForce{b.LegalName, b.Slug, f.File, f.Entries, f.Placed, f.Conflicts})
		}
	}
	form := url.Values{}
	if b := r.URL.Query().Get("buyer"); b != "" {
		form.Set("buyer", b)
	}
	return &page{Title: "Upload a creditor file", Form: form, Data: map[string]any{"Bodies": bodies, "Files": files}}, nil
}

// spendCreditorsUpload imports a buyer's creditor file at once (they are
// small): a buyer officer of that body only; the store records the audit
// event with the entries. A file that is not a creditor file, or has bad
// rows, re-renders the form with the reason.
func (s *Server) spendCreditorsUpload(w http.ResponseWriter, r *http.Request) error {
	p, err := s.creditorsPage(r)
	if err != nil {
		return err
	}
	p.Form = url.Values{"buyer": {r.FormValue("buyer")}}
	buyerID, _ := strconv.ParseInt(r.FormValue("buyer"), 10, 64)
	a, err := require(r, auth.ImportSpend, auth.Target{OrgID: buyerID})
	if err != nil {
		return err
	}
	// Only a public body this person may upload for: the list the form
	// offered (a hub administrator's is every public body).
	var buyer orgs.Organisation
	for _, b := range p.Data["Bodies"].([]orgs.Organisation) {
		if b.ID == buyerID {
			buyer = b
		}
	}
	if buyer.ID == 0 {
		return s.invalid(w, r, problem.Field("buyer", "Choose the public body whose creditor file this is"), "spend-creditors", p)
	}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return s.invalid(w, r, problem.Field("file", "The file is larger than %d MB", MaxCreditorUploadBytes>>20), "spend-creditors", p)
		}
		return s.invalid(w, r, problem.Field("file", "Select the creditor file, as CSV"), "spend-creditors", p)
	}
	defer file.Close()
	// Read as it streams in, hashed on the way (the file in force is
	// recognised by its SHA-256).
	sha := sha256.New()
	lr := &io.LimitedReader{R: file, N: MaxCreditorUploadBytes + 1}
	tooLarge := problem.Field("file", "The file is larger than %d MB", MaxCreditorUploadBytes>>20)
	cf, err := spend.ReadCreditors(io.TeeReader(lr, sha), hdr.Filename, spend.Limits{Bytes: MaxCreditorUploadBytes, NoFlags: true})
	if lr.N <= 0 {
		return s.invalid(w, r, tooLarge, "spend-creditors", p)
	}
	if err != nil {
		return s.invalid(w, r, problem.Field("file", "%s", spend.Printable(err.Error(), 600)), "spend-creditors", p)
	}
	if _, err := io.Copy(sha, lr); err != nil { // anything the reader left
		return err
	}
	if lr.N <= 0 {
		return s.invalid(w, r, tooLarge, "spend-creditors", p)
	}
	sum := sha.Sum(nil)
	res, err := s.Store.ImportCreditors(r.Context(), a, buyerID, hdr.Filename, hex.EncodeToString(sum), cf)
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("Imported %d creditor entries for %s: %d placed by postcode, %d linked to payments by supplier id", res.Entries, buyer.LegalName, res.Placed, res.ByID)
	if res.Unchanged {
		msg = fmt.Sprintf("%s is already the creditor file in force for %s: nothing changed", hdr.Filename, buyer.LegalName)
	} else if n := len(res.Conflicts); n > 0 {
		msg += fmt.Sprintf("; %d contradiction(s) reported below, not guessed", n)
	}
	setFlash(w, msg)
	return redirect(w, r, "/spend/creditors?buyer="+strconv.FormatInt(buyerID, 10))
}
