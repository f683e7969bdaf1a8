package spend

import (
	"os"
	"testing"
)

func BenchmarkStreamFile(b *testing.B) {
	path := os.Getenv("SVHUB_BENCH_FILE")
	if path == "" {
		b.Skip("no file")
	}
	for b.Loop() {
		f, _ := os.Open(path)
		n := 0
		Stream(f, "x", nil, func(p *Payment, r *Reject) error { n++; return nil })
		f.Close()
		b.ReportMetric(float64(n), "rows")
	}
}
