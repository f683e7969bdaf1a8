package web

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/contracts"
	"github.com/svhub/svhub/internal/mail"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/tenders"
)

// The delivery loop talks back (issue 17 part 3): the supplier answers a
// queried delivery line with text and evidence files; the thread is shown
// on the line; the buyer's officers are emailed, then verify or reject.

// MaxReplyBodyBytes bounds a reply request: three 10 MB files and the text.
const MaxReplyBodyBytes = contracts.MaxEvidenceFiles*contracts.MaxEvidenceBytes + 1<<20

func (s *Server) replyToLine(w http.ResponseWriter, r *http.Request) error {
	c, err := s.contractFor(r)
	if err != nil {
		return err
	}
	a, err := require(r, auth.ReportDelivery, auth.Target{OrgID: c.SupplierID})
	if err != nil {
		return err
	}
	lineID, err := pathID(r, "line")
	if err != nil {
		return err
	}
	if owner, err := s.Store.LineContract(r.Context(), lineID); err != nil || owner != c.ID {
		return fmt.Errorf("line %d: %w", lineID, problem.ErrNotFound)
	}
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return problem.Field(fmt.Sprintf("files_%d", lineID), "The files together are larger than %d MB; attach at most %d files of 10 MB each", MaxReplyBodyBytes>>20, contracts.MaxEvidenceFiles)
		}
		if !errors.Is(err, http.ErrNotMultipart) {
			return err
		}
	}
	body := strings.TrimSpace(r.FormValue("reply"))
	var v problem.Invalid
	files, err := evidenceFiles(r, &v)
	if err != nil {
		return err
	}
	err = v.Err()
	if err == nil {
		_, err = s.Store.AddReply(r.Context(), a, c.ID, lineID, c.SupplierName, body, files, s.now())
	}
	var inv *problem.Invalid
	if errors.As(err, &inv) {
		for i := range inv.Fields {
			inv.Fields[i].Field = fmt.Sprintf("%s_%d", inv.Fields[i].Field, lineID)
		}
		form := r.PostForm
		if r.MultipartForm != nil {
			form = r.MultipartForm.Value
		}
		return s.contractPageWith(w, r, c, http.StatusUnprocessableEntity, &page{Errors: inv, Form: form})
	}
	if err != nil {
		return err
	}
	s.tellBuyer(r, c.BuyerOrgID, "The supplier has answered your query on "+c.Title,
		fmt.Sprintf("%s has answered your query on a social value delivery line of %s:\n\n%s\n\n%s attached. Verify or reject the line at %s/contracts/%d#line-%d\n", c.SupplierName, c.Title, body, filesAttached(len(files)), s.BaseURL, c.ID, lineID))
	setFlash(w, "Your answer has been sent to the buyer, who will verify or reject the line")
	return redirect(w, r, fmt.Sprintf("/contracts/%d#line-%d", c.ID, lineID))
}

// filesAttached says how many evidence files came with an answer, in
// words that agree with the number.
func filesAttached(n int) string {
	switch n {
	case 0:
		return "No evidence files"
	case 1:
		return "1 evidence file"
	}
	return strconv.Itoa(n) + " evidence files"
}

// evidenceFiles reads the "files" of a multipart form: at most three, each
// of an allowed extension, at most 10 MB, and checked by content
// (tenders.CheckAttachment: no programs, web pages or renamed files).
// Refusals are added to v, naming the file.
func evidenceFiles(r *http.Request, v *problem.Invalid) ([]contracts.EvidenceFile, error) {
	var files []contracts.EvidenceFile
	if r.MultipartForm == nil {
		return nil, nil
	}
	fhs := r.MultipartForm.File["files"]
	if len(fhs) > contracts.MaxEvidenceFiles {
		v.Add("files", "Attach at most %d files; you chose %d", contracts.MaxEvidenceFiles, len(fhs))
		fhs = nil
	}
	for _, fh := range fhs {
		if fh.Filename == "" && fh.Size == 0 {
			continue
		}
		if !slices.Contains(contracts.EvidenceExtensions, strings.ToLower(filepath.Ext(fh.Filename))) {
			v.Add("files", "%s is not an allowed type: attach a PDF, PNG or JPG image, or an XLSX or CSV spreadsheet", fh.Filename)
			continue
		}
		if fh.Size > contracts.MaxEvidenceBytes {
			v.Add("files", "%s is larger than the %d MB limit", fh.Filename, contracts.MaxEvidenceBytes>>20)
			continue
		}
		f, err := fh.Open()
		if err != nil {
			return nil, err
		}
		content, err := io.ReadAll(io.LimitReader(f, contracts.MaxEvidenceBytes+1))
		f.Close()
		if err != nil {
			return nil, err
		}
		if len(content) > contracts.MaxEvidenceBytes {
			v.Add("files", "%s is larger than the %d MB limit", fh.Filename, contracts.MaxEvidenceBytes>>20)
			continue
		}
		ctype, err := tenders.CheckAttachment(fh.Filename, content)
		if err != nil {
			v.Add("files", "%v", err)
			continue
		}
		sum := sha256.Sum256(content)
		files = append(files, contracts.EvidenceFile{Name: filepath.Base(fh.Filename), Type: ctype, Size: int64(len(content)), SHA256: hex.EncodeToString(sum[:]), Content: content})
	}
	return files, nil
}

// tellBuyer emails the buyer's officers and admins; a failed email is
// logged, the change stands.
func (s *Server) tellBuyer(r *http.Request, buyerOrg int64, subject, body string) {
	members, err := s.Store.MembersOfOrg(r.Context(), buyerOrg)
	if err != nil {
		s.Log.Warn("buyer notification", "org", buyerOrg, "err", err)
		return
	}
	sent := map[string]bool{}
	for _, m := range members {
		if (m.Role != auth.RoleBuyer && m.Role != auth.RoleOrgAdmin) || sent[m.Email] {
			continue
		}
		sent[m.Email] = true
		s.sendOptional(r, mail.KindDelivery, mail.Message{To: m.Email, Subject: subject, Body: body})
	}
}

// evidenceFile serves a reply's evidence file to the contract's buyer and
// supplier and to hub administrators; its bytes were checked by content
// when uploaded and are served as a download.
func (s *Server) evidenceFile(w http.ResponseWriter, r *http.Request) error {
	c, err := s.contractFor(r)
	if err != nil {
		return err
	}
	a := actorFrom(r)
	if !a.SignedIn() {
		return problem.ErrUnauthorised
	}
	if !auth.Can(a, auth.ManageTender, auth.Target{OrgID: c.BuyerOrgID}) && !auth.Can(a, auth.ReportDelivery, auth.Target{OrgID: c.SupplierID}) && !a.Admin() {
		return fmt.Errorf("evidence files are for the buyer and the supplier: %w", problem.ErrForbidden)
	}
	id, err := pathID(r, "file")
	if err != nil {
		return err
	}
	f, err := s.Store.EvidenceFileContent(r.Context(), c.ID, id)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", f.Type)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": f.Name}))
	_, err = w.Write(f.Content)
	return err
}

// tellSupplier emails the contract's supplier representatives and admins
// the buyer's decision on a delivery line.
func (s *Server) tellSupplier(r *http.Request, c contracts.Contract, lineID int64, decision, note string) {
	word := map[string]string{contracts.Verified: "verified", contracts.Queried: "queried", contracts.Rejected: "rejected"}[decision]
	body := fmt.Sprintf("%s has %s a social value delivery line you reported on %s.\n", c.BuyerName, word, c.Title)
	if note != "" {
		body += "\nThe buyer's message:\n\n" + note + "\n"
	}
	if decision == contracts.Queried {
		body += "\nAnswer the query, with evidence files if you have them, at "
	} else {
		body += "\nSee the line at "
	}
	body += fmt.Sprintf("%s/contracts/%d#line-%d\n", s.BaseURL, c.ID, lineID)
	members, err := s.Store.MembersOfOrg(r.Context(), c.SupplierID)
	if err != nil {
		s.Log.Warn("supplier notification", "org", c.SupplierID, "err", err)
		return
	}
	sent := map[string]bool{}
	for _, m := range members {
		if (m.Role != auth.RoleSupplier && m.Role != auth.RoleOrgAdmin) || sent[m.Email] {
			continue
		}
		sent[m.Email] = true
		s.sendOptional(r, mail.KindDelivery, mail.Message{To: m.Email, Subject: "A delivery line on " + c.Title + " was " + word, Body: body})
	}
}

// tellConcernRaiser emails the resident who flagged a delivery claim the
// buyer's public response.
func (s *Server) tellConcernRaiser(r *http.Request, c contracts.Contract, concernID int64, response string) {
	email, lineID, err := s.Store.ConcernRaiser(r.Context(), c.ID, concernID)
	if err != nil {
		s.Log.Warn("concern response notification", "concern", concernID, "err", err)
		return
	}
	s.sendOptional(r, mail.KindConcerns, mail.Message{To: email, Subject: "The buyer has responded to your concern about " + c.Title,
		Body: fmt.Sprintf("%s has published a response to the concern you raised about a social value delivery claim on %s:\n\n%s\n\nSee it at %s/contracts/%d#line-%d\n", c.BuyerName, c.Title, response, s.BaseURL, c.ID, lineID)})
}
