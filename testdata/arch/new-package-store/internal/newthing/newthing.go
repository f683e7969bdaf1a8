// Package newthing is a new package, on no list, that reaches into the store.
package newthing

import "github.com/svhub/svhub/internal/store"

// Thing keeps a store.
type Thing struct{ S *store.Store }
