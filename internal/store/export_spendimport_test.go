package store

// MaxWrittenChoicesForTest sets how many filter choices an import
// remembers having written, and returns a function restoring it.
func MaxWrittenChoicesForTest(n int) func() {
	old := maxWrittenChoices
	maxWrittenChoices = n
	return func() { maxWrittenChoices = old }
}
