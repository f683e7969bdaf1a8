// Package hub hides a WITH query.
package hub

// Query returns it.
func Query() string {
	return "WITH open_needs AS (SELECT id FROM needs WHERE closed_at IS NULL) " +
		"SELECT count(*) FROM open_needs"
}
