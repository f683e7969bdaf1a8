package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"

	"github.com/svhub/svhub/internal/audit"
	"github.com/svhub/svhub/internal/geo"
)

// directoryBatch is how many directory rows go to the database at once:
// memory stays bounded whatever the file's size.
const directoryBatch = 5000

// ImportDirectory replaces the UK postcode directory with the rows next
// yields (io.EOF ends them) and records the release, in one transaction:
// a failed or cancelled import leaves the previous directory in force.
// It queues the re-placing of everything that holds a postcode (Replace).
// names maps area codes (local authorities, wards, regions) to names; a
// nil map keeps the names already loaded. progress, if set, is told the
// rows written so far.
func (s *Store) ImportDirectory(ctx context.Context, actor, release, file string, names map[string]string, next func() (geo.DirectoryRow, error), progress func(rows int)) (int, error) {
	defer s.dropFallbackIndex()
	total := 0
	err := s.txConn(ctx, func(tx *sql.Tx, conn *sql.Conn) error {
		clear := `DELETE FROM geo_directory`
		if s.dialect == Postgres {
			clear = `TRUNCATE geo_directory`
		}
		if _, err := tx.ExecContext(ctx, clear); err != nil {
			return fmt.Errorf("clear directory: %w", err)
		}
		if names != nil {
			if _, err := tx.ExecContext(ctx, `DELETE FROM geo_names`); err != nil {
				return fmt.Errorf("clear names: %w", err)
			}
			codes := make([]string, 0, len(names))
			for c := range names {
				codes = append(codes, c)
			}
			if err := s.bulkInsert(ctx, tx, "geo_names", []string{"code", "name"}, len(codes), func(i int) []any {
				return []any{codes[i], names[codes[i]]}
			}); err != nil {
				return err
			}
		}
		// On PostgreSQL the sector index is built once at the end, which is
		// faster than keeping it up to date row by row (DDL is
		// transactional, so a failed import puts it back). SQLite keeps it
		// up to date: the rows arrive nearly in sector order, so that is
		// cheap, and building it afterwards sorts in memory.
		rebuild := s.dialect == Postgres
		if rebuild {
			if _, err := tx.ExecContext(ctx, `DROP INDEX geo_directory_sector`); err != nil {
				return fmt.Errorf("directory index: %w", err)
			}
		}
		cols := []string{"postcode", "sector", "lad_code", "ward_code", "lsoa11", "lsoa21", "region_code", "imd_decile", "lat", "lon", "terminated"}
		write := func(buf []geo.DirectoryRow) error {
			if err := s.bulkLoad(ctx, tx, conn, "geo_directory", cols, len(buf), func(i int) []any {
				r := buf[i]
				var lat, lon any
				if r.HasLatLon {
					lat, lon = r.Lat, r.Lon
				}
				return []any{r.Postcode, geo.Sector(r.Postcode), r.LAD, r.Ward, r.LSOA11, r.LSOA21, r.Region, r.IMDDecile, lat, lon, r.Terminated}
			}); err != nil {
				return err
			}
			total += len(buf)
			if progress != nil {
				progress(total)
			}
			return ctx.Err()
		}
		if err := pipeline(next, write); err != nil {
			return err
		}
		if rebuild {
			if _, err := tx.ExecContext(ctx, `CREATE INDEX geo_directory_sector ON geo_directory(sector)`); err != nil {
				return fmt.Errorf("directory index: %w", err)
			}
		}
		if total == 0 {
			return fmt.Errorf("%s: no postcodes to load; the directory in force is unchanged", file)
		}
		if err := setRelease(ctx, tx, "postcodes", release, file, total); err != nil {
			return err
		}
		if _, err := queueReplace(ctx, tx, release); err != nil {
			return err
		}
		if err := bumpSpendGeneration(ctx, tx, hubSpendGeneration); err != nil {
			return err
		}
		return s.record(ctx, tx, audit.Event{Actor: actor, Action: "geo.import_postcodes", ObjectType: "geography", ObjectID: "postcodes",
			Summary: audit.Summary(nil, map[string]any{"release": release, "file": file, "postcodes": total})})
	})
	if err != nil {
		return 0, err
	}
	return total, nil
}

// DirectorySize is the number of postcodes in the imported directory.
func (s *Store) DirectorySize(ctx context.Context) (int, error) {
	var n int
	if err := s.readRow(ctx, `SELECT COUNT(*) FROM geo_directory`).Scan(&n); err != nil {
		return 0, fmt.Errorf("directory size: %w", wrapConn(err))
	}
	return n, nil
}

// pipeline reads batches of rows with next in a goroutine while write
// stores the previous batch, so reading the file and writing the database
// overlap. It returns once the reader has stopped.
func pipeline(next func() (geo.DirectoryRow, error), write func([]geo.DirectoryRow) error) error {
	batches := make(chan []geo.DirectoryRow, 2)
	stop := make(chan struct{})
	var readErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer close(batches)
		buf := make([]geo.DirectoryRow, 0, directoryBatch)
		for {
			r, err := next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				readErr = err
				return
			}
			if buf = append(buf, r); len(buf) == directoryBatch {
				select {
				case batches <- buf:
				case <-stop:
					return
				}
				buf = make([]geo.DirectoryRow, 0, directoryBatch)
			}
		}
		select {
		case batches <- buf:
		case <-stop:
		}
	}()
	var writeErr error
	for buf := range batches {
		if writeErr = write(buf); writeErr != nil {
			break
		}
	}
	close(stop)
	<-done
	if writeErr != nil {
		return writeErr
	}
	return readErr
}

// ImportIMD loads an English Indices of Deprivation edition in one
// transaction: the deciles of the imported directory's postcodes (by LSOA
// 2011 for IoD2019, LSOA 2021 for IoD2025; postcodes in LSOAs the file
// does not rank get none) and, for IoD2019, the shipped GM LSOAs' ranks
// and deciles; the edition is recorded as the one in force and the
// re-placing of everything that holds a postcode queued (Replace).
func (s *Store) ImportIMD(ctx context.Context, actor, edition, file string, rows []geo.IMDRow) (int, error) {
	defer s.dropFallbackIndex()
	if edition != geo.IMD2019 && edition != geo.IMD2025 {
		return 0, fmt.Errorf("%s: edition %q is not %s or %s", file, edition, geo.IMD2019, geo.IMD2025)
	}
	if len(rows) == 0 {
		return 0, fmt.Errorf("%s: no LSOAs; the deprivation in force is unchanged", file)
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `CREATE TEMPORARY TABLE imd_load (lsoa TEXT PRIMARY KEY, imd_rank INTEGER NOT NULL, imd_decile INTEGER NOT NULL)`); err != nil {
			return fmt.Errorf("imd: %w", err)
		}
		if err := s.bulkUpsert(ctx, tx, "imd_load", []string{"lsoa", "imd_rank", "imd_decile"}, "ON CONFLICT (lsoa) DO NOTHING", len(rows), func(i int) []any {
			return []any{rows[i].LSOA, rows[i].Rank, rows[i].Decile}
		}); err != nil {
			return err
		}
		col := "lsoa11"
		if edition == geo.IMD2025 {
			col = "lsoa21"
		}
		if _, err := tx.ExecContext(ctx, `UPDATE geo_directory SET imd_decile = COALESCE((SELECT i.imd_decile FROM imd_load i WHERE i.lsoa = geo_directory.`+col+`), 0)`); err != nil {
			return fmt.Errorf("imd: directory deciles: %w", err)
		}
		if edition == geo.IMD2019 {
			if _, err := tx.ExecContext(ctx, `UPDATE geo_lsoas SET imd_rank = (SELECT i.imd_rank FROM imd_load i WHERE i.lsoa = geo_lsoas.code),
				imd_decile = (SELECT i.imd_decile FROM imd_load i WHERE i.lsoa = geo_lsoas.code) WHERE code IN (SELECT lsoa FROM imd_load)`); err != nil {
				return fmt.Errorf("imd: GM LSOAs: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, `DROP TABLE imd_load`); err != nil {
			return fmt.Errorf("imd: %w", err)
		}
		if err := setRelease(ctx, tx, "imd", edition, file, len(rows)); err != nil {
			return err
		}
		if _, err := queueReplace(ctx, tx, edition); err != nil {
			return err
		}
		if err := bumpSpendGeneration(ctx, tx, hubSpendGeneration); err != nil {
			return err
		}
		return s.record(ctx, tx, audit.Event{Actor: actor, Action: "geo.import_imd", ObjectType: "geography", ObjectID: "imd",
			Summary: audit.Summary(nil, map[string]any{"edition": edition, "file": file, "lsoas": len(rows)})})
	})
	if err != nil {
		return 0, err
	}
	return len(rows), nil
}
