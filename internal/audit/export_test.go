package audit

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A day's head is written to a file named by the day, read back the same;
// a second export that day gets a new name and the first is untouched;
// the directory check names what is wrong.
func TestWriteHeadFile(t *testing.T) {
	dir := t.TempDir()
	key := []byte("0123456789abcdef0123456789abcdef")
	day := time.Date(2026, 12, 7, 0, 30, 0, 0, time.UTC)
	h1 := SignHead(key, 6, "abc", day)
	p1, err := WriteHeadFile(dir, day, h1)
	if err != nil || filepath.Base(p1) != "audit-head-2026-12-07.json" {
		t.Fatalf("first: %s %v", p1, err)
	}
	first, _ := os.ReadFile(p1)
	h2 := SignHead(key, 9, "def", day.Add(time.Hour))
	p2, err := WriteHeadFile(dir, day, h2)
	if err != nil || filepath.Base(p2) != "audit-head-2026-12-07-2.json" {
		t.Fatalf("second: %s %v", p2, err)
	}
	if again, _ := os.ReadFile(p1); string(again) != string(first) {
		t.Fatal("the first file was overwritten")
	}
	if _, err := WriteHeadFile(dir, day.Add(24*time.Hour), h2); err != nil {
		t.Fatal(err)
	}
	var got []Head
	n, err := EachHead(dir, func(where string, h Head) error {
		if !strings.HasPrefix(where, dir) {
			t.Errorf("where %q", where)
		}
		got = append(got, h)
		return h.CheckSignature(key)
	})
	if err != nil || n != 3 || got[0].Seq != 6 || got[1].Seq != 9 || got[2].Seq != 9 {
		t.Fatalf("read %d %+v %v", n, got, err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 3 {
		t.Fatalf("left %d files (a temporary one behind?)", len(entries))
	}
	for _, tc := range []struct{ name, content, want string }{
		{"audit-head-2026-12-09.json", "", "empty, not a head"},
		{"audit-head-2026-12-09.json", "{\"seq\":1}\n", ":1: not a head written by svhub: no sequence or hash"},
		{"audit-head-2026-12-09.json", "hello\n", ":1: not a head written by svhub"},
		{"audit-head-2026-12-09.json", "\n" + strings.Repeat("x", 5000) + "\n", ":2: a line longer than 4096 bytes"},
	} {
		bad := t.TempDir()
		if err := os.WriteFile(filepath.Join(bad, tc.name), []byte(tc.content), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := EachHead(bad, func(string, Head) error { return nil }); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v, want %q", tc.content, err, tc.want)
		}
	}
	if _, err := EachHead(t.TempDir(), func(string, Head) error { return nil }); err == nil || !strings.Contains(err.Error(), "holds no exported heads") {
		t.Errorf("empty dir: %v", err)
	}
	file := filepath.Join(dir, "audit-head-2026-12-07.json")
	for _, tc := range []struct{ dir, want string }{
		{filepath.Join(dir, "missing"), "does not exist"},
		{file, "is a file, not a directory"},
	} {
		if err := CheckHeadDir(tc.dir); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("CheckHeadDir(%s): %v, want %q", tc.dir, err, tc.want)
		}
	}
	if err := CheckHeadDir(dir); err != nil {
		t.Fatal(err)
	}
}
