package app

import (
	"log/slog"
	"os"
	"strings"
	"time"
)

// demoClock lets browser tests move a demonstration hub's clock forward,
// past a tender deadline or a standstill period: when the hub runs with
// --demo and SVHUB_DEMO_CLOCK_FILE names a file, the web server's "now" is
// the real time plus the duration written in that file (Go syntax, like
// "240h"; empty or missing is no offset). It is nil otherwise, so a real
// hub always uses the real clock.
func demoClock(demo bool, log *slog.Logger) func() time.Time {
	path := os.Getenv("SVHUB_DEMO_CLOCK_FILE")
	if !demo || path == "" {
		return nil
	}
	log.Warn("demonstration clock: the time is offset by the duration in a file", "file", path)
	return func() time.Time {
		b, err := os.ReadFile(path)
		if err != nil {
			return time.Now()
		}
		d, err := time.ParseDuration(strings.TrimSpace(string(b)))
		if err != nil {
			return time.Now()
		}
		return time.Now().Add(d)
	}
}
