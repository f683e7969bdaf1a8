package mail

import (
	"context"
	"errors"
	"testing"
	"time"
)

type memQueue struct{ kind, payload string }

func (q *memQueue) EnqueueJob(_ context.Context, kind, payload string, _ time.Time) (int64, error) {
	q.kind, q.payload = kind, payload
	return 1, nil
}

type recorder struct{ got []Message }

func (r *recorder) Send(_ context.Context, m Message) error { r.got = append(r.got, m); return nil }

func TestQueuedThenDelivered(t *testing.T) {
	q := &memQueue{}
	m := Message{To: "a@example.org", Subject: "Hello", Body: "Line one\nLine two £"}
	if err := (Queued{Queue: q}).Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	if q.kind != JobKind {
		t.Fatalf("kind %q", q.kind)
	}
	r := &recorder{}
	if err := Deliver(r)(context.Background(), q.payload); err != nil {
		t.Fatal(err)
	}
	if len(r.got) != 1 || r.got[0] != m {
		t.Fatalf("delivered %+v", r.got)
	}
	if err := Deliver(r)(context.Background(), "{not json"); err == nil {
		t.Fatal("bad payload accepted")
	}
}

func TestSMTPReportsUnreachableRelay(t *testing.T) {
	err := SMTP{Addr: "127.0.0.1:1", From: "hub@example.org"}.Send(context.Background(), Message{To: "a@example.org", Subject: "x", Body: "y"})
	if err == nil || !errors.Is(err, err) {
		t.Fatal("no error from an unreachable relay")
	}
}
