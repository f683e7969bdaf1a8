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

// Deadweight, displacement and attribution that are not percentages, or
// given without their source, are refused before the hub starts, naming
// the flags.
func TestServeRefusesBadAdjustment(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "hub.db")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--deadweight", "lots", "--adjustment-source", "x"}, "deadweight \"lots\" must be a percentage"},
		{[]string{"--displacement", "100", "--adjustment-source", "x"}, "displacement \"100\" must be a percentage"},
		{[]string{"--attribution", "10"}, "say where the deadweight, displacement or attribution shares come from"},
	} {
		out, code := run(t, nil, append([]string{"serve", "--db", db, "--addr", "127.0.0.1:0"}, c.args...)...)
		if code == 0 || !strings.Contains(out, "--deadweight") || !strings.Contains(out, c.want) {
			t.Errorf("%v: exit %d, %s", c.args, code, out)
		}
	}
}
