package store

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/spend"
)

// A block gives back every payment as added: amounts of either sign,
// with and without gross, blank and repeated strings, unmapped values,
// and more distinct strings than the first hash table holds.
func TestBlockRoundTrip(t *testing.T) {
	e := newBlockEncoder()
	var want []decodedPayment
	for i := range 200 {
		p := spend.Payment{NetPence: int64(i*7919 - 500_000), Transaction: fmt.Sprintf("T%d", i), SupplierID: "S1",
			VATNumber: "GB123", Service: []string{"Adults", "Children", ""}[i%3], ExpenseType: "Care", Merchant: ""}
		p.Key[0], p.Key[15] = byte(i), byte(i>>8)
		if i%4 == 0 {
			g := -int64(i) * 120
			p.GrossPence = &g
		}
		if i%5 != 0 {
			p.Extra = []string{"Trafford Council", "", fmt.Sprintf("note %d", i%9)}
		}
		e.add(1+i%28, &p)
		d := decodedPayment{Day: 1 + i%28, Key: p.Key, NetPence: p.NetPence, GrossPence: p.GrossPence, Transaction: p.Transaction, SupplierID: p.SupplierID,
			VATNumber: p.VATNumber, Service: p.Service, ExpenseType: p.ExpenseType, Extra: slices.Clone(p.Extra)}
		want = append(want, d)
	}
	var got []decodedPayment
	if err := decodeBlock(e.bytes(), func(p *decodedPayment) {
		c := *p
		c.Extra = slices.Clone(p.Extra)
		got = append(got, c)
	}); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) || e.n != 200 {
		t.Fatalf("decoded %d payments, want %d", len(got), len(want))
	}
	for i := range want {
		w, g := want[i], got[i]
		if (w.GrossPence == nil) != (g.GrossPence == nil) || (w.GrossPence != nil && *w.GrossPence != *g.GrossPence) {
			t.Fatalf("payment %d gross %v, want %v", i, g.GrossPence, w.GrossPence)
		}
		w.GrossPence, g.GrossPence = nil, nil
		if len(w.Extra) == 0 {
			w.Extra = nil
		}
		if len(g.Extra) == 0 {
			g.Extra = nil
		}
		if fmt.Sprint(w) != fmt.Sprint(g) {
			t.Fatalf("payment %d\n got %+v\nwant %+v", i, g, w)
		}
	}
}

// Damaged or truncated block data is reported, never a panic or a
// silently short read.
func FuzzDecodeBlock(f *testing.F) {
	e := newBlockEncoder()
	g := int64(1200)
	e.add(3, &spend.Payment{NetPence: 1000, GrossPence: &g, Transaction: "T1", Service: "Adults", Extra: []string{"a", ""}})
	e.add(4, &spend.Payment{NetPence: -5, Transaction: "T2", Service: "Adults"})
	good := e.bytes()
	f.Add(good)
	f.Add(good[:len(good)-1])
	f.Add([]byte{blockFormat})
	f.Add([]byte{blockFormat, 5, 1})
	f.Add([]byte{2})
	f.Fuzz(func(t *testing.T, data []byte) {
		n := 0
		err := decodeBlock(data, func(p *decodedPayment) {
			if p.Day < 0 || p.Day > 255 {
				t.Fatalf("day %d", p.Day)
			}
			n++
		})
		if err == nil && len(data) > 0 && data[0] != blockFormat {
			t.Fatal("accepted a block of another format")
		}
	})
}

// The reader's count of memory held by open blocks goes back to exactly
// zero once every block is finished: a drift would let open blocks grow
// without bound (it once did, by each new block's initial buffers).
func TestSpendReaderOpenBytesBalance(t *testing.T) {
	r := newSpendReader(map[int]bool{}, 64<<10, 1000, nil)
	stream := func(each func(*spend.Payment, *spend.Reject) error) (spend.Meta, error) {
		for i := range 20000 {
			p := spend.Payment{Supplier: fmt.Sprintf("Payee %d", i%700), NetPence: int64(i), Transaction: fmt.Sprint(i), Service: "S"}
			p.Date = time.Date(2026, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC)
			if err := each(&p, nil); err != nil {
				return spend.Meta{}, err
			}
			if r.openBytes < 0 || r.openBytes > 64<<10+blockMaxBytes*2 {
				t.Fatalf("after %d payments open blocks count %d bytes", i+1, r.openBytes)
			}
		}
		return spend.Meta{}, nil
	}
	out := make(chan spendBatch, 1000)
	go func() {
		for range out {
		}
	}()
	if _, err := r.read(stream, out, make(chan struct{})); err != nil {
		t.Fatal(err)
	}
	close(out)
	if r.openBytes != 0 || len(r.open) != 0 || r.imported != 20000 {
		t.Fatalf("after the file: %d bytes in %d open blocks, %d imported", r.openBytes, len(r.open), r.imported)
	}
}

// A period splits into the whole months the rollups answer and the
// part-months read from blocks, with every day covered exactly once.
func TestSpendFilterSplit(t *testing.T) {
	for _, c := range []struct {
		from, to   string
		whole      string // "" when none
		parts      string
		wantErrMsg bool
	}{
		{"2026-04-01", "2026-06-30", "2026-04-01..2026-06-30", "", false},
		{"2026-04-15", "2026-06-30", "2026-05-01..2026-06-30", "[{2026-04 15 30}]", false},
		{"2026-04-01", "2026-06-10", "2026-04-01..2026-05-31", "[{2026-06 1 10}]", false},
		{"2026-03-31", "2026-08-01", "2026-04-01..2026-07-31", "[{2026-03 31 31} {2026-08 1 1}]", false},
		{"2026-05-02", "2026-05-20", "", "[{2026-05 2 20}]", false},
		{"2026-05-01", "2026-05-20", "", "[{2026-05 1 20}]", false},
		{"2026-05-02", "2026-05-31", "", "[{2026-05 2 31}]", false},
		{"2026-05-31", "2026-06-01", "", "[{2026-05 31 31} {2026-06 1 1}]", false},
		{"2024-02-01", "2024-02-29", "2024-02-01..2024-02-29", "", false},
		{"2026-06-01", "2026-05-31", "", "", false},
		{"2026-6-1", "2026-06-30", "", "", true},
	} {
		whole, parts, err := SpendFilter{From: c.from, To: c.to}.split()
		if (err != nil) != c.wantErrMsg {
			t.Errorf("%s..%s: error %v", c.from, c.to, err)
			continue
		}
		got := ""
		if whole != nil {
			got = whole.From + ".." + whole.To
		}
		gotParts := ""
		if len(parts) > 0 {
			gotParts = fmt.Sprint(parts)
		}
		if got != c.whole || gotParts != c.parts {
			t.Errorf("%s..%s: whole %q parts %s; want %q %s", c.from, c.to, got, gotParts, c.whole, c.parts)
		}
	}
}
