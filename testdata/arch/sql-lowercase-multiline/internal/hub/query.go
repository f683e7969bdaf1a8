// Package hub hides a lower-case query over several lines.
package hub

const openNeeds = `select n.id, n.title
	from needs n
	where n.closed_at is null`

// Query returns it.
func Query() string { return openNeeds }
