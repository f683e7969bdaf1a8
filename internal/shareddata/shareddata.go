// Package shareddata finds the optional public reference data that some
// benchmarks read (full-size council spend files, the UK-wide registers):
// the folder SVHUB_SHARED_DATA names, else shared/data beside the checkout.
//
// Tests never need it — their fixtures live in the repository under
// testdata/ — so a missing folder skips with a reason, except under CI=true,
// where a test asking for optional data is a mistake and fails.
package shareddata

import (
	"os"
	"path/filepath"
	"testing"
)

// Path returns the path of rel inside the shared data folder, or skips tb
// (fails it under CI=true) when that path does not exist.
func Path(tb testing.TB, rel string) string {
	tb.Helper()
	dir := os.Getenv("SVHUB_SHARED_DATA")
	if dir == "" {
		dir = besideCheckout()
	}
	p := filepath.Join(dir, rel)
	if dir != "" {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	reason := "optional shared data " + rel + " not found (set SVHUB_SHARED_DATA to the shared/data folder)"
	if os.Getenv("CI") == "true" {
		tb.Fatal(reason + "; under CI=true every test must run from the repository alone")
	}
	tb.Skip(reason)
	return ""
}

// besideCheckout finds shared/data beside the module root, walking up from
// the working directory (a test runs in its package's folder).
func besideCheckout() string {
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(filepath.Dir(dir), "shared", "data")
		}
		if filepath.Dir(dir) == dir {
			return ""
		}
	}
}
