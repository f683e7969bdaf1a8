package spend

import (
	"os"
	"testing"
)

// BenchmarkStreamFile parses a spend file with nothing done per row, to
// measure parsing alone (SVHUB_BENCH_FILE names the CSV).
func BenchmarkStreamFile(b *testing.B) {
	path := os.Getenv("SVHUB_BENCH_FILE")
	if path == "" {
		b.Skip("SVHUB_BENCH_FILE not set")
	}
	for b.Loop() {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		_, err = Stream(f, path, nil, func(*Payment, *Reject) error { n++; return nil })
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(n), "rows")
	}
}
