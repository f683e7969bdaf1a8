package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/svhub/svhub/internal/auth"
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
	file, hdr, err := r.FormFile("file")
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return s.invalid(w, r, problem.Field("file", "The file is larger than %d MB", MaxCreditorUploadBytes>>20), "spend-creditors", p)
		}
		return s.invalid(w, r, problem.Field("file", "Select the creditor file, as CSV"), "spend-creditors", p)
	}
	defer file.Close()
	content, err := io.ReadAll(io.LimitReader(file, MaxCreditorUploadBytes+1))
	if err != nil {
		return err
	}
	if len(content) > MaxCreditorUploadBytes {
		return s.invalid(w, r, problem.Field("file", "The file is larger than %d MB", MaxCreditorUploadBytes>>20), "spend-creditors", p)
	}
	cf, err := spend.ReadCreditors(bytes.NewReader(content), hdr.Filename, spend.Limits{Bytes: MaxCreditorUploadBytes, NoFlags: true})
	if err != nil {
		return s.invalid(w, r, problem.Field("file", "%s", spend.Printable(err.Error(), 600)), "spend-creditors", p)
	}
	sum := sha256.Sum256(content)
	buyer, err := s.Store.OrganisationByID(r.Context(), buyerID)
	if err != nil {
		return err
	}
	res, err := s.Store.ImportCreditors(r.Context(), a, buyerID, hdr.Filename, hex.EncodeToString(sum[:]), cf)
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
