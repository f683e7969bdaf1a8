package web

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/tenders"
)

// A tender's documents: the buyer uploads them, everyone may read them.

func (s *Server) uploadTenderDocument(w http.ResponseWriter, r *http.Request) error {
	t, a, err := s.manageTender(r)
	if err != nil {
		return err
	}
	if !(t.Status == tenders.Draft || t.Open(s.now())) {
		_ = s.Store.RecordRefusal(r.Context(), a, "tender.document.add", "tender", strconv.FormatInt(t.ID, 10), "tender is "+t.Status)
		return fmt.Errorf("documents cannot be added to a %s tender: %w", t.Status, problem.ErrForbidden)
	}
	name, ctype, body, err := readUpload(r, "document")
	if err != nil {
		return err
	}
	if err := s.Store.AddTenderDocument(r.Context(), a, store.TenderDocument{TenderID: t.ID, Name: name, ContentType: ctype, Content: body}, s.now()); err != nil {
		if errors.Is(err, problem.ErrForbidden) {
			_ = s.Store.RecordRefusal(r.Context(), a, "tender.document.add", "tender", strconv.FormatInt(t.ID, 10), err.Error())
		}
		return err
	}
	setFlash(w, "Document added")
	return redirect(w, r, fmt.Sprintf("/tenders/%d#documents", t.ID))
}

// readUpload reads one uploaded file of an allowed type and size, with a
// field error naming the file when it is not acceptable.
func readUpload(r *http.Request, field string) (name, ctype string, body []byte, err error) {
	file, hdr, err := r.FormFile(field)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return "", "", nil, err
		}
		return "", "", nil, problem.Field(field, "Choose a file to upload")
	}
	defer file.Close()
	if _, ok := tenders.AttachmentTypes[strings.ToLower(filepath.Ext(hdr.Filename))]; !ok {
		return "", "", nil, problem.Field(field, "%s is not an allowed type: upload PDF, DOCX, XLSX, ODT, CSV, TXT, PNG or JPG", hdr.Filename)
	}
	body, err = io.ReadAll(io.LimitReader(file, tenders.MaxAttachmentBytes+1))
	if err != nil {
		return "", "", nil, err
	}
	if len(body) > tenders.MaxAttachmentBytes {
		return "", "", nil, problem.Field(field, "%s is larger than the %d MB limit", hdr.Filename, tenders.MaxAttachmentBytes>>20)
	}
	ctype, err = tenders.CheckAttachment(hdr.Filename, body)
	if err != nil {
		return "", "", nil, problem.Field(field, "%v", err)
	}
	return filepath.Base(hdr.Filename), ctype, body, nil
}

func (s *Server) tenderDocument(w http.ResponseWriter, r *http.Request) error {
	t, err := s.tenderFor(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "doc")
	if err != nil {
		return err
	}
	d, err := s.Store.TenderDocumentContent(r.Context(), t.ID, id)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", d.ContentType)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": d.Name}))
	_, err = w.Write(d.Content)
	return err
}
