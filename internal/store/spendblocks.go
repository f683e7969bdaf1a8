package store

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/maphash"

	"github.com/svhub/svhub/internal/spend"
)

// Payments are stored in blocks, not one row each: a block holds up to
// about 7 KB of one buyer's payments to one payee spelling in one month
// (the grain of spend_rollup_supplier), encoded compactly. A file of five
// million payments becomes a few hundred thousand rows, which is what lets
// an import keep up with parsing on both engines; every report reads the
// rollups, and the few reads that need single payments (a payee's
// payments, the first and last part-months of a period, the keys of a
// month an import overlaps) find their blocks through the buyer, month and
// payee and decode them in Go.
//
// A block's data is a format byte (1), a string table (uvarint count, then
// each string as uvarint length and bytes; index 0 is the empty string and
// not stored), then the payments to the end, each:
//
//	day of month      1 byte
//	key               16 bytes (spend.Payment.Key)
//	net pence         zig-zag varint
//	gross pence       uvarint: 0 for none, else zig-zag value + 1
//	8 strings         uvarint table indexes: transaction, supplier id,
//	                  VAT number, company number, postcode, service,
//	                  expense type, merchant category
//	unmapped values   uvarint count, then that many table indexes
//
// Repeated strings (a payee's VAT number, the council's name in every
// line) are stored once per block. Payments moved from the row table by
// migration 20 keep their unmapped columns as they were stored: one value,
// the JSON text, for runs without extra_columns.
const (
	blockFormat = 1
	// PostgreSQL keeps a row under toast_tuple_target (8,160 bytes on
	// spend_blocks) inline and uncompressed; compressing gigabytes in
	// the server would cost more than the disk it saves.
	blockMaxBytes = 7000
)

// blockEncoder builds one block. Its string table is indexed by a small
// open-addressing hash of offsets into the table itself, so an open block
// costs little more than its bytes (a Go map would clone every string).
type blockEncoder struct {
	strs  []byte
	spans []span     // where each table string's bytes are in strs
	slots []uint32   // 1 + index into spans, or 0 for an empty slot
	last  [24]uint32 // each column's previous value, as 1 + index
	seed  maphash.Seed
	rows  []byte
	n     int
	net   int64
}

// span is a table string's bytes in blockEncoder.strs (after its length).
type span struct{ start, end uint32 }

func newBlockEncoder() *blockEncoder {
	return &blockEncoder{slots: make([]uint32, 32), seed: maphash.MakeSeed(), strs: make([]byte, 0, 256), rows: make([]byte, 0, 512)}
}

// size is the memory the block holds while open.
func (e *blockEncoder) size() int { return cap(e.strs) + cap(e.rows) + 8*cap(e.spans) + 4*len(e.slots) }

// encodedLen is the length of the block's data so far, less a few bytes.
func (e *blockEncoder) encodedLen() int { return len(e.strs) + len(e.rows) }

// entry returns table string i.
func (e *blockEncoder) entry(i uint32) []byte {
	sp := e.spans[i]
	return e.strs[sp.start:sp.end]
}

// appendIndex appends a table index as a uvarint (one byte below 128,
// as nearly all are).
func appendIndex(b []byte, i uint32) []byte {
	if i < 0x80 {
		return append(b, byte(i))
	}
	return binary.AppendUvarint(b, uint64(i))
}

// col adds column c's value: the same as the previous payment's (a
// payee's VAT number, the council's name) costs a comparison, not a hash.
func (e *blockEncoder) col(c int, s string) {
	if c < len(e.last) {
		if i := e.last[c]; i > 0 && s != "" && string(e.entry(i-1)) == s {
			e.rows = appendIndex(e.rows, i)
			return
		}
		e.last[c] = e.str(s)
		return
	}
	e.str(s)
}

// str adds a string and returns its index in the table (0 for "").
func (e *blockEncoder) str(s string) uint32 {
	if s == "" {
		e.rows = append(e.rows, 0)
		return 0
	}
	mask := uint64(len(e.slots) - 1)
	h := maphash.String(e.seed, s) & mask
	for e.slots[h] != 0 {
		if i := e.slots[h] - 1; string(e.entry(i)) == s {
			e.rows = appendIndex(e.rows, i+1)
			return i + 1
		}
		h = (h + 1) & mask
	}
	i := uint32(len(e.spans))
	e.strs = binary.AppendUvarint(e.strs, uint64(len(s)))
	start := uint32(len(e.strs))
	e.strs = append(e.strs, s...)
	e.spans = append(e.spans, span{start, uint32(len(e.strs))})
	e.slots[h] = i + 1
	if 2*len(e.spans) > len(e.slots) { // keep the table at most half full
		e.slots = make([]uint32, 2*len(e.slots))
		mask = uint64(len(e.slots) - 1)
		for j := range e.spans {
			h := maphash.Bytes(e.seed, e.entry(uint32(j))) & mask
			for e.slots[h] != 0 {
				h = (h + 1) & mask
			}
			e.slots[h] = uint32(j) + 1
		}
	}
	e.rows = appendIndex(e.rows, i+1)
	return i + 1
}

func (e *blockEncoder) add(day int, p *spend.Payment) {
	e.rows = append(e.rows, byte(day))
	e.rows = append(e.rows, p.Key[:]...)
	e.rows = binary.AppendVarint(e.rows, p.NetPence)
	if p.GrossPence == nil {
		e.rows = append(e.rows, 0)
	} else {
		e.rows = binary.AppendUvarint(e.rows, zigzag(*p.GrossPence)+1)
	}
	for c, s := range [...]string{p.Transaction, p.SupplierID, p.VATNumber, p.CompanyNumber, p.Postcode, p.Service, p.ExpenseType, p.Merchant} {
		e.col(c, s)
	}
	e.rows = binary.AppendUvarint(e.rows, uint64(len(p.Extra)))
	for c, v := range p.Extra {
		e.col(8+c, v)
	}
	e.n++
	e.net += p.NetPence
}

// bytes returns the encoded block.
func (e *blockEncoder) bytes() []byte {
	out := make([]byte, 0, 1+binary.MaxVarintLen64+len(e.strs)+len(e.rows))
	out = append(out, blockFormat)
	out = binary.AppendUvarint(out, uint64(len(e.spans)))
	out = append(out, e.strs...)
	return append(out, e.rows...)
}

func zigzag(v int64) uint64 { return uint64(v<<1) ^ uint64(v>>63) }

// decodedPayment is one payment read back from a block.
type decodedPayment struct {
	Day           int
	Key           [16]byte
	NetPence      int64
	GrossPence    *int64
	Transaction   string
	SupplierID    string
	VATNumber     string
	CompanyNumber string
	Postcode      string
	Service       string
	ExpenseType   string
	Merchant      string
	Extra         []string
}

var errBadBlock = errors.New("damaged payment block")

// decodeBlock calls each with every payment in a block, in the order they
// were added. The payment passed is reused between calls.
func decodeBlock(data []byte, each func(*decodedPayment)) error {
	if len(data) == 0 || data[0] != blockFormat {
		return errBadBlock
	}
	d := blockDecoder{data: data, at: 1}
	n := d.uvarint()
	if n > uint64(len(data)) {
		return errBadBlock
	}
	table := make([]string, n+1)
	for i := uint64(1); i <= n; i++ {
		l := d.uvarint()
		if d.err || uint64(len(d.data)-d.at) < l {
			return errBadBlock
		}
		table[i] = string(d.data[d.at : d.at+int(l)])
		d.at += int(l)
	}
	str := func() string {
		i := d.uvarint()
		if i >= uint64(len(table)) {
			d.err = true
			return ""
		}
		return table[i]
	}
	var p decodedPayment
	for d.at < len(d.data) && !d.err {
		if len(d.data)-d.at < 17 {
			return errBadBlock
		}
		p.Day = int(d.data[d.at])
		copy(p.Key[:], d.data[d.at+1:d.at+17])
		d.at += 17
		p.NetPence = d.varint()
		p.GrossPence = nil
		if g := d.uvarint(); g > 0 {
			v := unzigzag(g - 1)
			p.GrossPence = &v
		}
		p.Transaction, p.SupplierID, p.VATNumber, p.CompanyNumber = str(), str(), str(), str()
		p.Postcode, p.Service, p.ExpenseType, p.Merchant = str(), str(), str(), str()
		p.Extra = p.Extra[:0]
		for k := d.uvarint(); k > 0 && !d.err; k-- {
			p.Extra = append(p.Extra, str())
		}
		if d.err {
			break
		}
		each(&p)
	}
	if d.err {
		return errBadBlock
	}
	return nil
}

func unzigzag(u uint64) int64 { return int64(u>>1) ^ -int64(u&1) }

type blockDecoder struct {
	data []byte
	at   int
	err  bool
}

func (d *blockDecoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.data[d.at:])
	if n <= 0 {
		d.err = true
		return 0
	}
	d.at += n
	return v
}

func (d *blockDecoder) varint() int64 {
	v, n := binary.Varint(d.data[d.at:])
	if n <= 0 {
		d.err = true
		return 0
	}
	d.at += n
	return v
}

// spendBlock is a finished block on its way to the table.
type spendBlock struct {
	ym       int
	supplier string
	redacted bool
	n        int
	net      int64
	data     []byte
}

var blockCols = []string{"buyer_org_id", "run_id", "month", "supplier_name", "redacted", "payments", "net_pence", "data"}

// storedBlock is a block read back with what identifies its payments.
type storedBlock struct {
	id       int64
	month    string
	supplier string
	redacted bool
	data     []byte
}

// eachBlock calls each with the blocks a query selects (its columns: id,
// month, supplier_name, redacted, data).
func (s *Store) eachBlock(ctx context.Context, what, query string, args []any, each func(storedBlock) error) error {
	rows, err := s.r.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("%s: %w", what, wrapConn(err))
	}
	defer rows.Close()
	for rows.Next() {
		var b storedBlock
		if err := rows.Scan(&b.id, &b.month, &b.supplier, &b.redacted, &b.data); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		if err := each(b); err != nil {
			return fmt.Errorf("%s: block %d: %w", what, b.id, err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// spendMonthKeys counts the keys of a buyer's stored payments in a month,
// for de-duplicating an import against them. It reads committed data
// through the read pool: the importing transaction's own payments are not
// among them, and no other import for the buyer can commit meanwhile (the
// single SQLite writer; the buyer's advisory lock on PostgreSQL).
func (s *Store) spendMonthKeys(ctx context.Context, buyerID int64, ym int) (map[[16]byte]int32, error) {
	keys := map[[16]byte]int32{}
	err := s.eachBlock(ctx, "stored payment keys for "+monthString(ym),
		`SELECT id, month, supplier_name, redacted, data FROM spend_blocks WHERE month = $1 AND buyer_org_id = $2`, []any{monthString(ym), buyerID},
		func(b storedBlock) error {
			return decodeBlock(b.data, func(p *decodedPayment) { keys[p.Key]++ })
		})
	return keys, err
}
