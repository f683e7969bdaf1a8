package store

import "context"

// AuditSQLForTest runs a statement on the writer, bypassing the store, to
// tamper with the audit tables as someone with database access could.
func AuditSQLForTest(s *Store, query string, args ...any) error {
	_, err := s.w.ExecContext(context.Background(), query, args...)
	return err
}
