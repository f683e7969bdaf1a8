// Package jobs keeps a counter in package state.
package jobs

var counter int

// Next counts up.
func Next() int {
	counter++
	return counter
}
