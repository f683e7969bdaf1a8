// Package spend is a domain package that talks to a database driver.
package spend

import "database/sql/driver"

// Amount pretends to be a database value.
type Amount int64

// Value implements driver.Valuer.
func (a Amount) Value() (driver.Value, error) { return int64(a), nil }
