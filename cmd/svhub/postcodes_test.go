package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/store"
)

// Killing 'svhub import postcodes' part-way leaves the previous directory
// and release in force: the import is one transaction. The kill lands while
// the progress bar shows some but not all rows read.
func TestImportPostcodesKilledMidRun(t *testing.T) {
	const rows = 400_000
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "hub.db")
	first := filepath.Join(dir, "NSPL_JAN_2025_UK.csv")
	_ = os.WriteFile(first, []byte("pcds,laua,rgn\nLS1 1UR,E08000035,E12000003\nLS2 9JT,E08000035,E12000003\n"), 0o600)
	if out, code := run(t, nil, "import", "postcodes", "--db", db, first); code != 0 || !strings.Contains(out, `Loaded 2 postcodes`) {
		t.Fatalf("first import: %d %s", code, out)
	}
	var b strings.Builder
	b.WriteString("pcds,laua,rgn\n")
	letters := "ABDEFGHJLNPQRSTUWXYZ"
	for i := range rows {
		fmt.Fprintf(&b, "%c%c%d %d%c%c,E06000%03d,E12000001\n", 'A'+i/19800%20, 'B', 1+i/200%99, i/20%10, letters[i%20], letters[i/400%20], i%300)
	}
	big := filepath.Join(dir, "big.csv")
	if err := os.WriteFile(big, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	killMidRun(t, exec.Command(bin, "import", "postcodes", "--db", db, "--release", "ONSPD May 2025", big), "big.csv", rows, 120*time.Second)
	ctx := context.Background()
	s, err := store.Open(ctx, db, true)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n, err := s.DirectorySize(ctx); err != nil || n != 2 {
		t.Fatalf("after the killed import the directory holds %d postcodes (%v), want the 2 before", n, err)
	}
	p, err := s.ResolvePostcode(ctx, "LS1 1UR")
	if err != nil || p.Elsewhere == nil || p.Elsewhere.Name != "Leeds" || p.Source != "NSPL January 2025" {
		t.Fatalf("LS1 1UR after the killed import: %v %+v", err, p)
	}
}
