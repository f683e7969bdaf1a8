package web

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// jsonCases are values whose indented encoding has every shape: empty and
// nested objects and arrays, strings holding brackets, commas, colons,
// quotes, backslashes, HTML-escaped and non-ASCII characters, numbers,
// literals and a Marshaler.
func jsonCases() []any {
	type inner struct {
		A []int          `json:"a"`
		B map[string]any `json:"b,omitempty"`
		C *inner         `json:"c,omitempty"`
	}
	return []any{
		nil, true, 0, -12.5, "", `"`, `\`, `a\"b`, `{"x":[1,2]}`, "<script>&amp;</script>", "é ∑ \u2028 \x01 tab\tnl\n",
		[]int{}, []int{1}, map[string]any{}, map[string]any{"": ""}, []any{[]any{}, map[string]any{}, []any{[]any{}}},
		map[string]any{"k:,{}[]": []any{"v,:", nil, false, 1e21, map[string]any{"deep": []any{[]any{1, []any{}}}}}},
		inner{A: []int{}}, inner{A: []int{1, 2}, B: map[string]any{"x": inner{}}, C: &inner{}},
		json.RawMessage(`{"raw" : [ 1 , 2 ]}`),
	}
}

// randomJSON is a random value up to depth levels deep.
func randomJSON(r *rand.Rand, depth int) any {
	alphabet := []string{"a", "\"", "\\", "{", "}", "[", "]", ",", ":", " ", "<", "&", "é", "\n", "\x00"}
	str := func() string {
		var b strings.Builder
		for range r.IntN(6) {
			b.WriteString(alphabet[r.IntN(len(alphabet))])
		}
		return b.String()
	}
	k := r.IntN(8)
	if depth == 0 {
		k %= 4
	}
	switch k {
	case 0:
		return str()
	case 1:
		return r.IntN(2000) - 1000
	case 2:
		return r.IntN(2) == 0
	case 3:
		return nil
	case 4, 5:
		m := map[string]any{}
		for range r.IntN(4) {
			m[str()] = randomJSON(r, depth-1)
		}
		return m
	default:
		var a []any
		for range r.IntN(4) {
			a = append(a, randomJSON(r, depth-1))
		}
		if a == nil {
			a = []any{}
		}
		return a
	}
}

// TestWriteIndentedJSONEqualsWriteJSON: the open data pages' writer gives
// the same bytes as writeJSON (json.Encoder with a two-space indent) for
// every shape of value and a thousand random ones.
func TestWriteIndentedJSONEqualsWriteJSON(t *testing.T) {
	s := &Server{}
	values := jsonCases()
	r := rand.New(rand.NewPCG(20, 5))
	for range 1000 {
		values = append(values, randomJSON(r, 5))
	}
	for i, v := range values {
		want, got := httptest.NewRecorder(), httptest.NewRecorder()
		writeJSON(want, http.StatusOK, v)
		if err := s.writeIndentedJSON(got, http.StatusOK, v); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Body.Bytes(), want.Body.Bytes()) {
			t.Fatalf("value %d (%#v):\ngot  %q\nwant %q", i, v, got.Body.String(), want.Body.String())
		}
		if got.Header().Get("Content-Type") != "application/json" || got.Header().Get("Content-Length") != strconv.Itoa(got.Body.Len()) {
			t.Fatalf("value %d: headers %v", i, got.Header())
		}
	}
	if err := s.writeIndentedJSON(httptest.NewRecorder(), http.StatusOK, func() {}); err == nil {
		t.Error("a value JSON cannot hold was written")
	}
}

// FuzzAppendIndented: for any valid JSON, indenting its compact form
// equals json.Indent.
func FuzzAppendIndented(f *testing.F) {
	for _, v := range jsonCases() {
		b, _ := json.Marshal(v)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var compact bytes.Buffer
		if json.Compact(&compact, in) != nil {
			return
		}
		var want bytes.Buffer
		if err := json.Indent(&want, compact.Bytes(), "", "  "); err != nil {
			t.Fatal(err)
		}
		if got := appendIndented(nil, compact.Bytes()); !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("%q:\ngot  %q\nwant %q", compact.Bytes(), got, want.Bytes())
		}
	})
}
