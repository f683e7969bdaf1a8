package store

import "context"

// TamperAuditForTest lets the external tests corrupt an event.
func TamperAuditForTest(s *Store, seq int64, summary string) error {
	return s.tamperAudit(context.Background(), seq, summary)
}
