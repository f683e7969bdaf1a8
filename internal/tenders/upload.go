package tenders

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
)

// SniffBytes is how much of a file's start CheckAttachment needs.
const SniffBytes = 512

// typeNames are the allowed types in plain words (with "a" or "an"), by
// extension.
var typeNames = map[string]string{".pdf": "a PDF", ".docx": "a Word (DOCX)", ".xlsx": "an Excel (XLSX)", ".odt": "an OpenDocument text (ODT)",
	".csv": "a CSV", ".txt": "a text", ".png": "a PNG image", ".jpg": "a JPEG image"}

// CheckAttachment decides whether an uploaded file may be stored, from its
// name and its first SniffBytes bytes: the extension must be an allowed
// type (AttachmentTypes) and the content must be what the extension says.
// A program (Windows, Linux or macOS executable, or a script) and a web
// page (HTML, SVG or XML markup, which a browser could run) are refused
// whatever they are called, and so is a file renamed to look like another
// type. It returns the content type to store and serve.
func CheckAttachment(name string, head []byte) (string, error) {
	ext := strings.ToLower(filepath.Ext(name))
	ctype, ok := AttachmentTypes[ext]
	if !ok {
		return "", fmt.Errorf("%s is not an allowed type: upload PDF, DOCX, XLSX, ODT, CSV, TXT, PNG or JPG", name)
	}
	head = head[:min(len(head), SniffBytes)]
	if len(head) == 0 {
		return "", fmt.Errorf("%s is empty", name)
	}
	for _, magic := range []string{"MZ", "\x7fELF", "\xfe\xed\xfa\xce", "\xfe\xed\xfa\xcf", "\xce\xfa\xed\xfe", "\xcf\xfa\xed\xfe", "\xca\xfe\xba\xbe", "#!"} {
		if bytes.HasPrefix(head, []byte(magic)) {
			return "", fmt.Errorf("%s is a program, not %s file; programs cannot be uploaded", name, typeNames[ext])
		}
	}
	var want string
	switch ext {
	case ".pdf":
		want = "%PDF-"
	case ".docx", ".xlsx", ".odt":
		want = "PK\x03\x04"
	case ".png":
		want = "\x89PNG\r\n\x1a\n"
	case ".jpg":
		want = "\xff\xd8\xff"
	case ".csv", ".txt":
		if markup(head) {
			return "", fmt.Errorf("%s is a web page (HTML or other markup), not %s file; web pages cannot be uploaded", name, typeNames[ext])
		}
		if !text(head) {
			return "", fmt.Errorf("%s is not %s file: it holds binary data; upload the file itself, not a renamed one", name, typeNames[ext])
		}
		return ctype, nil
	}
	if !bytes.HasPrefix(head, []byte(want)) {
		if markup(head) {
			return "", fmt.Errorf("%s is a web page (HTML or other markup), not %s file; web pages cannot be uploaded", name, typeNames[ext])
		}
		return "", fmt.Errorf("%s is not %s file: its content does not start as one does; upload the file itself, not a renamed one", name, typeNames[ext])
	}
	return ctype, nil
}

// markup reports whether a file starts (after a byte-order mark and white
// space) with a tag a browser would render as a page: HTML, SVG, XML or a
// script.
func markup(head []byte) bool {
	h := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n\f")
	if len(h) == 0 || h[0] != '<' {
		return false
	}
	l := bytes.ToLower(h)
	for _, tag := range []string{"<!doctype", "<html", "<head", "<body", "<script", "<svg", "<?xml", "<iframe", "<!--", "<object", "<embed", "<style", "<title", "<meta", "<a ", "<img", "<div", "<p>", "<table", "<form"} {
		if bytes.HasPrefix(l, []byte(tag)) {
			return true
		}
	}
	return false
}

// text reports whether a file's start is text: no NUL and no control
// characters but tab, newline, form feed and carriage return (UTF-8 or
// Latin-1 letters are fine).
func text(head []byte) bool {
	for _, c := range head {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' || c == 0x7f {
			return false
		}
	}
	return true
}
