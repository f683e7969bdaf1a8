package tenders

import (
	"strings"
	"testing"
)

func TestCheckAttachment(t *testing.T) {
	ok := []struct{ name, head, ctype string }{
		{"plan.pdf", "%PDF-1.7\n%\xe2\xe3", "application/pdf"},
		{"Plan.DOCX", "PK\x03\x04\x14\x00", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
		{"costs.xlsx", "PK\x03\x04", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
		{"notes.odt", "PK\x03\x04", "application/vnd.oasis.opendocument.text"},
		{"photo.png", "\x89PNG\r\n\x1a\n\x00\x00", "image/png"},
		{"photo.jpg", "\xff\xd8\xff\xe0", "image/jpeg"},
		{"data.csv", "\xef\xbb\xbfname,amount\r\nCafé,1\n", "text/csv"},
		{"readme.txt", "Less than 5 < 6, and <b> is bold.\n", "text/plain"},
	}
	for _, c := range ok {
		got, err := CheckAttachment(c.name, []byte(c.head))
		if err != nil || got != c.ctype {
			t.Errorf("%s: %q, %v; want %q", c.name, got, err, c.ctype)
		}
	}
	bad := []struct{ name, head, why string }{
		{"setup.exe", "MZ\x90\x00", "not an allowed type"},
		{"report.pdf", "MZ\x90\x00\x03", "report.pdf is a program"},
		{"data.csv", "\x7fELF\x02\x01", "data.csv is a program"},
		{"run.txt", "#!/bin/sh\nrm -rf /\n", "run.txt is a program"},
		{"app.docx", "\xcf\xfa\xed\xfe", "app.docx is a program"},
		{"page.txt", "<!DOCTYPE html><html><script>alert(1)</script>", "page.txt is a web page"},
		{"page.csv", "\xef\xbb\xbf  \n<HTML><body>", "page.csv is a web page"},
		{"image.png", "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\">", "image.png is a web page"},
		{"doc.pdf", "<?xml version=\"1.0\"?><html/>", "doc.pdf is a web page"},
		{"photo.jpg", "\x89PNG\r\n\x1a\n", "photo.jpg is not a JPEG image file"},
		{"costs.xlsx", "%PDF-1.4", "costs.xlsx is not an Excel (XLSX) file"},
		{"data.csv", "a,b\x00\x00\x01", "holds binary data"},
		{"empty.pdf", "", "empty.pdf is empty"},
	}
	for _, c := range bad {
		_, err := CheckAttachment(c.name, []byte(c.head))
		if err == nil || !strings.Contains(err.Error(), c.why) {
			t.Errorf("%s: %v; want %q", c.name, err, c.why)
		}
	}
}
