package app

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/svhub/svhub/internal/audit"
	"github.com/svhub/svhub/internal/store"
)

// AuditKey resolves the key that signs the audit chain's head, like the
// sealing key: the configured value (SVHUB_AUDIT_KEY, base64 of 32 bytes)
// if any; with SQLite and none given, DB.auditkey beside the database
// (mode 0600), created on first use; with PostgreSQL and none given, no
// key (nil): heads are written unsigned and 'audit verify' says it could
// not check their signature.
func AuditKey(value, dsn string) ([]byte, error) {
	if value != "" {
		k, err := audit.ParseKey(value)
		if err != nil {
			return nil, fmt.Errorf("SVHUB_AUDIT_KEY: %w", err)
		}
		return k, nil
	}
	dialect, target, err := store.ParseDSN(dsn)
	if err != nil {
		return nil, err
	}
	if dialect != store.SQLite {
		return nil, nil
	}
	path := target + ".auditkey"
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		raw := make([]byte, audit.KeySize)
		_, _ = rand.Read(raw)
		key := base64.StdEncoding.EncodeToString(raw)
		if err := os.WriteFile(path, []byte(key+"\n"), 0o600); err != nil {
			return nil, fmt.Errorf("create audit key %s: %w", path, err)
		}
		return raw, nil
	} else if err != nil {
		return nil, fmt.Errorf("read audit key: %w", err)
	}
	k, err := audit.ParseKey(strings.TrimSpace(string(b)))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return k, nil
}
