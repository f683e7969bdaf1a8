// Package jobs keeps a counter in package state.
package jobs

var counter int

// Next counts up.
func Next() int {
	counter++
	return counter
}

// bump is a function literal in a package-level initialiser: it runs
// whenever it is called.
var bump = func() { counter += 2 }
