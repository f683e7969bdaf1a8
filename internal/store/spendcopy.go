package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"math"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// On PostgreSQL the spend import writes its big tables (payment blocks
// and the two rollups) with COPY in the binary format encoded here rather
// than through pgx's CopyFrom, which encodes each value through an
// interface and a plan lookup: that cost about a tenth of the importer's
// CPU at five million rows. The columns' types are read from the
// database once per import, so every value is checked against its
// column's type and written in that type's binary form; a value of the
// wrong kind is an error, never a silent conversion.

// PostgreSQL type OIDs the encoder writes.
const (
	oidBool  = 16
	oidBytea = 17
	oidInt8  = 20
	oidInt2  = 21
	oidInt4  = 23
	oidText  = 25
	oidVarch = 1043
)

// pgCopyTable is a table's columns as COPY writes them.
type pgCopyTable struct {
	sql   string   // the COPY statement
	cols  []string // for messages
	types []uint32 // each column's type OID
}

// pgCopyTableFor reads the types of a table's columns.
func pgCopyTableFor(ctx context.Context, tx *sql.Tx, table string, cols []string) (*pgCopyTable, error) {
	t := &pgCopyTable{cols: cols, types: make([]uint32, len(cols))}
	rows, err := tx.QueryContext(ctx, `SELECT attname, atttypid FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped`, table)
	if err != nil {
		return nil, fmt.Errorf("columns of %s: %w", table, err)
	}
	defer rows.Close()
	found := map[string]uint32{}
	for rows.Next() {
		var name string
		var oid uint32
		if err := rows.Scan(&name, &oid); err != nil {
			return nil, fmt.Errorf("columns of %s: %w", table, err)
		}
		found[name] = oid
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("columns of %s: %w", table, err)
	}
	quoted := make([]string, len(cols))
	for i, c := range cols {
		oid, ok := found[c]
		if !ok {
			return nil, fmt.Errorf("copy into %s: no column %s", table, c)
		}
		switch oid {
		case oidBool, oidBytea, oidInt8, oidInt2, oidInt4, oidText, oidVarch:
		default:
			return nil, fmt.Errorf("copy into %s: column %s has a type (oid %d) the spend import does not write", table, c, oid)
		}
		t.types[i] = oid
		quoted[i] = pgx.Identifier{c}.Sanitize()
	}
	t.sql = "COPY " + pgx.Identifier{table}.Sanitize() + " (" + strings.Join(quoted, ", ") + ") FROM STDIN BINARY"
	return t, nil
}

// pgCopyRows encodes rows for a table in COPY's binary format.
type pgCopyRows struct {
	t   *pgCopyTable
	buf []byte
	col int
	err error
}

var pgCopyHeader = []byte("PGCOPY\n\xff\r\n\x00\x00\x00\x00\x00\x00\x00\x00\x00")

func (t *pgCopyTable) rows(buf []byte) *pgCopyRows {
	return &pgCopyRows{t: t, buf: append(buf[:0], pgCopyHeader...)}
}

// row starts a row.
func (w *pgCopyRows) row() {
	if w.col != 0 && w.col != len(w.t.types) && w.err == nil {
		w.err = fmt.Errorf("a row of %d values for %d columns", w.col, len(w.t.types))
	}
	w.col = 0
	w.buf = binary.BigEndian.AppendUint16(w.buf, uint16(len(w.t.types)))
}

// next returns the type of the next column, or 0 after an error.
func (w *pgCopyRows) next() uint32 {
	if w.err != nil {
		return 0
	}
	if w.col >= len(w.t.types) {
		w.err = fmt.Errorf("more values than the %d columns", len(w.t.types))
		return 0
	}
	w.col++
	return w.t.types[w.col-1]
}

func (w *pgCopyRows) wrong(kind string) {
	w.err = fmt.Errorf("column %s: a %s value for a column of type oid %d", w.t.cols[w.col-1], kind, w.t.types[w.col-1])
}

func (w *pgCopyRows) int(v int64) {
	switch w.next() {
	case 0:
	case oidInt8:
		w.buf = binary.BigEndian.AppendUint32(w.buf, 8)
		w.buf = binary.BigEndian.AppendUint64(w.buf, uint64(v))
	case oidInt4:
		if v < math.MinInt32 || v > math.MaxInt32 {
			w.err = fmt.Errorf("column %s: %d is out of range for a 4-byte integer", w.t.cols[w.col-1], v)
			return
		}
		w.buf = binary.BigEndian.AppendUint32(w.buf, 4)
		w.buf = binary.BigEndian.AppendUint32(w.buf, uint32(int32(v)))
	case oidInt2:
		if v < math.MinInt16 || v > math.MaxInt16 {
			w.err = fmt.Errorf("column %s: %d is out of range for a 2-byte integer", w.t.cols[w.col-1], v)
			return
		}
		w.buf = binary.BigEndian.AppendUint32(w.buf, 2)
		w.buf = binary.BigEndian.AppendUint16(w.buf, uint16(int16(v)))
	default:
		w.wrong("integer")
	}
}

func (w *pgCopyRows) text(s string) {
	switch w.next() {
	case 0:
	case oidText, oidVarch:
		w.buf = binary.BigEndian.AppendUint32(w.buf, uint32(len(s)))
		w.buf = append(w.buf, s...)
	default:
		w.wrong("text")
	}
}

func (w *pgCopyRows) bool(b bool) {
	switch w.next() {
	case 0:
	case oidBool:
		v := byte(0)
		if b {
			v = 1
		}
		w.buf = append(w.buf, 0, 0, 0, 1, v)
	default:
		w.wrong("boolean")
	}
}

func (w *pgCopyRows) bytes(b []byte) {
	switch w.next() {
	case 0:
	case oidBytea:
		w.buf = binary.BigEndian.AppendUint32(w.buf, uint32(len(b)))
		w.buf = append(w.buf, b...)
	default:
		w.wrong("bytes")
	}
}

// pgCopy writes n rows, each encoded by row, into a table with COPY in
// the import's transaction (through the pgx connection under it). buf is
// scratch space, returned for reuse.
func pgCopy(ctx context.Context, conn *sql.Conn, t *pgCopyTable, table string, n int, buf []byte, row func(w *pgCopyRows, i int)) ([]byte, error) {
	w := t.rows(buf)
	for i := range n {
		w.row()
		row(w, i)
		if w.err == nil && w.col != len(t.types) {
			w.err = fmt.Errorf("a row of %d values for %d columns", w.col, len(t.types))
		}
		if w.err != nil {
			return w.buf, fmt.Errorf("copy into %s, row %d: %w", table, i+1, w.err)
		}
	}
	w.buf = binary.BigEndian.AppendUint16(w.buf, 0xffff)
	err := conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("copy into %s: not a pgx connection", table)
		}
		if _, err := c.Conn().PgConn().CopyFrom(ctx, bytes.NewReader(w.buf), t.sql); err != nil {
			return fmt.Errorf("copy into %s: %w", table, err)
		}
		return nil
	})
	return w.buf, err
}
