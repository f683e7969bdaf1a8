package web

import (
	"io"
	"net/http"
	"time"
)

// drainOverLimit is how much of a request body past its limit the server
// still reads (and throws away) before answering, so a browser that is
// still sending a too-large file receives the page that says so instead of
// a reset connection. Past it the connection is simply closed.
const drainOverLimit = 64 << 20

// drainTime bounds how long that reading may take.
const drainTime = 20 * time.Second

// countingBody counts what the handler's limited reader took from the
// request body.
type countingBody struct {
	io.ReadCloser
	n int64
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n += int64(n)
	return n, err
}

// overLimitWriter drains the rest of a body that went over its limit
// before the response starts (see drainOverLimit).
type overLimitWriter struct {
	http.ResponseWriter
	rc      *http.ResponseController
	body    *countingBody
	limit   int64
	drained bool
}

func (w *overLimitWriter) drain() {
	if w.drained {
		return
	}
	w.drained = true
	if w.body.n <= w.limit {
		return
	}
	_ = w.rc.SetReadDeadline(time.Now().Add(drainTime))
	_, _ = io.CopyN(io.Discard, w.body.ReadCloser, drainOverLimit)
}

func (w *overLimitWriter) WriteHeader(code int) {
	w.drain()
	w.ResponseWriter.WriteHeader(code)
}

func (w *overLimitWriter) Write(p []byte) (int, error) {
	w.drain()
	return w.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *overLimitWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// limitBody caps r's body at limit bytes for the handler (a read past it
// fails with *http.MaxBytesError) and returns the writer to answer with.
func limitBody(w http.ResponseWriter, r *http.Request, limit int64) http.ResponseWriter {
	body := &countingBody{ReadCloser: r.Body}
	r.Body = http.MaxBytesReader(w, body, limit)
	return &overLimitWriter{ResponseWriter: w, rc: http.NewResponseController(w), body: body, limit: limit}
}
