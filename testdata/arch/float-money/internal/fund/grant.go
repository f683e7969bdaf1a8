// Package fund holds a cost in a float.
package fund

// Grant is a funded project.
type Grant struct {
	Title     string
	CostPence float64
}
