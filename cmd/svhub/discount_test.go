package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// A serve discount rate that is not a percentage is refused before the hub
// starts, naming the flag.
func TestServeRefusesBadDiscountRate(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "hub.db")
	for _, args := range [][]string{{"--discount-rate", "three"}, {"--discount-rate", "-1"}, {"--discount-source", " "}} {
		out, code := run(t, nil, append([]string{"serve", "--db", db, "--addr", "127.0.0.1:0"}, args...)...)
		if code == 0 || !strings.Contains(out, "--discount-") {
			t.Errorf("%v: exit %d, %s", args, code, out)
		}
	}
}
