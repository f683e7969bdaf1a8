package cli

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/svhub/svhub/internal/spend"
)

// A postcode directory with a cell, a row or a cell count past its limits is
// refused naming the line and the limit (and no flag: the import has none),
// before the row is buffered, and the previous directory stays in force.
func TestImportPostcodesRefusesBombs(t *testing.T) {
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "svhub.db")
	dir := t.TempDir()
	good := filepath.Join(dir, "NSPL_NOV_2024_UK.csv")
	_ = os.WriteFile(good, []byte("PCDS,LAD24CD,RGN25CD,CTRY25CD\nWA1 1AA,E06000007,E12000002,E92000001\n"), 0o600)
	if out, err := runImport(t, dsn, good); err != nil {
		t.Fatalf("%s %v", out, err)
	}
	for name, row := range map[string]string{
		"cell":  "WA2 2AA,E06000007," + strings.Repeat("x", 5<<10) + ",E92000001\n",
		"row":   "WA2 2AA,E06000007,\"" + strings.Repeat("y,", 40<<10) + "\",E92000001\n",
		"cells": "WA2 2AA" + strings.Repeat(",", 600) + "\n",
	} {
		file := filepath.Join(dir, "NSPL_DEC_2024_UK.csv")
		_ = os.WriteFile(file, []byte("PCDS,LAD24CD,RGN25CD,CTRY25CD\n"+row), 0o600)
		_, err := runImport(t, dsn, file)
		if !errors.Is(err, spend.ErrLimit) || !strings.Contains(err.Error(), "line 2") || strings.Contains(err.Error(), "raise the limit") {
			t.Errorf("%s: %v", name, err)
		}
		if p := resolve(t, dsn, "WA1 1AA"); p.Elsewhere == nil || p.Elsewhere.Name != "Warrington" {
			t.Errorf("%s: the previous directory is gone: %+v", name, p)
		}
	}
}
