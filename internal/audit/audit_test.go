package audit

import (
	"errors"
	"testing"
	"time"
)

func chain(n int) []Event {
	var out []Event
	var seq int64
	prev := ""
	for i := 0; i < n; i++ {
		e := Seal(Event{At: time.Date(2026, 1, 1, 0, 0, i, 1234567, time.UTC), Actor: "a", Action: "x.create", ObjectType: "x", ObjectID: "1", Summary: Summary(nil, map[string]int{"i": i})}, seq, prev)
		seq, prev = e.Seq, e.Hash
		out = append(out, e)
	}
	return out
}

func verify(events []Event) error {
	var v Verifier
	for _, e := range events {
		if err := v.Next(e); err != nil {
			return err
		}
	}
	return nil
}

func TestChainVerifies(t *testing.T) {
	if err := verify(chain(5)); err != nil {
		t.Fatal(err)
	}
}

func TestTamperDetected(t *testing.T) {
	cases := map[string]struct {
		tamper func([]Event) []Event
		at     int64
	}{
		"altered summary": {func(c []Event) []Event { c[2].Summary = `{"before":null,"after":{"i":99}}`; return c }, 3},
		"deleted event":   {func(c []Event) []Event { return append(c[:2], c[3:]...) }, 4},
		// Recomputing the altered event's own hash moves the break to the next link.
		"rehashed event": {func(c []Event) []Event { c[2].Action = "x.delete"; c[2].Hash = ComputeHash(c[2]); return c }, 4},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			err := verify(tc.tamper(chain(5)))
			var b *Break
			if !errors.As(err, &b) {
				t.Fatalf("want a Break, got %v", err)
			}
			if b.Seq != tc.at {
				t.Fatalf("break reported at %d: %v", b.Seq, err)
			}
		})
	}
}
