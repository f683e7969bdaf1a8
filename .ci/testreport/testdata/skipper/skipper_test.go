// Package skipper is a fixture for .ci/testreport: one test passes and one
// skips, as a test whose optional data is missing would.
package skipper

import "testing"

func TestRuns(t *testing.T) {}

func TestNeedsMissingData(t *testing.T) {
	t.Skip("fixture data not here")
}
