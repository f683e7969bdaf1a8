package cli

import (
	"fmt"
	"strings"
)

// fileError names the file an error is about, once: errors from reading
// a spend file already start with its name.
func fileError(name string, err error) error {
	if strings.Contains(err.Error(), name) {
		return err
	}
	return fmt.Errorf("%s: %w", name, err)
}
