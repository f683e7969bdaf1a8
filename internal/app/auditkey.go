package app

import (
	"fmt"

	"github.com/svhub/svhub/internal/audit"
)

// AuditKey decodes the key that signs the audit chain's head
// (SVHUB_AUDIT_KEY, base64 of 32 random bytes). With none configured it
// returns nil: heads are still written with every event, so a chain cut
// short is still found, but unsigned, so someone who can write to the
// database could rewrite the head too, and 'audit verify' says it could
// not check a signature. Unlike the sealing key there is no default file
// beside an SQLite database: a copy restored elsewhere would otherwise
// get a new key and fail verification. The database (dsn) does not change
// this: both engines behave alike.
func AuditKey(value, dsn string) ([]byte, error) {
	if value == "" {
		return nil, nil
	}
	k, err := audit.ParseKey(value)
	if err != nil {
		return nil, fmt.Errorf("SVHUB_AUDIT_KEY: %w", err)
	}
	return k, nil
}
