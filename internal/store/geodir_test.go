package store_test

import (
	"context"
	"fmt"
	"io"
	"testing"

	"github.com/svhub/svhub/internal/geo"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
)

// rowsOf yields n synthetic Leeds-like directory rows, calling at(i)
// before each.
func rowsOf(n int, lad string, at func(i int)) func() (geo.DirectoryRow, error) {
	i := 0
	return func() (geo.DirectoryRow, error) {
		if i == n {
			return geo.DirectoryRow{}, io.EOF
		}
		if at != nil {
			at(i)
		}
		pc := fmt.Sprintf("LS%d %d%c%c", 1+i/2000, i/400%10, 'A'+rune(i/20%20), 'A'+rune(i%20))
		i++
		return geo.DirectoryRow{Postcode: pc, LAD: lad, Region: "E12000003"}, nil
	}
}

// A cancelled import (as when the process is killed) leaves the previous
// directory and release in force.
func TestImportDirectoryCancelledLeavesPrevious(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		n, err := s.ImportDirectory(ctx, "test", "ONSPD February 2025", "feb.zip", map[string]string{"E08000035": "Leeds"}, rowsOf(12000, "E08000035", nil), nil)
		if err != nil || n != 12000 {
			t.Fatalf("first import: %d %v", n, err)
		}
		cctx, cancel := context.WithCancel(ctx)
		defer cancel()
		_, err = s.ImportDirectory(cctx, "test", "ONSPD May 2025", "may.zip", map[string]string{"E08000036": "Wakefield"}, rowsOf(12000, "E08000036", func(i int) {
			if i == 7000 { // after a batch has been written
				cancel()
			}
		}), nil)
		if err == nil {
			t.Fatal("a cancelled import succeeded")
		}
		if n, err := s.DirectorySize(ctx); err != nil || n != 12000 {
			t.Fatalf("directory after a cancelled import: %d %v", n, err)
		}
		p, err := s.ResolvePostcode(ctx, "LS1 0AA")
		if err != nil || p.Elsewhere == nil || p.Elsewhere.Name != "Leeds" || p.Source != "ONSPD February 2025" {
			t.Fatalf("after a cancelled import: %v %+v", err, p)
		}
		// An import with no rows is refused and changes nothing.
		if _, err := s.ImportDirectory(ctx, "test", "empty", "empty.csv", nil, rowsOf(0, "", nil), nil); err == nil {
			t.Fatal("an empty directory was loaded")
		}
		if rel, _ := s.GeoRelease(ctx); rel.Postcodes != "ONSPD February 2025" {
			t.Fatalf("release %+v", rel)
		}
	})
}
