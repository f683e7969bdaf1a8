// Package problem holds the error kinds every layer shares, so that one web
// adapter can map any error to the right status page or JSON envelope.
package problem

import (
	"errors"
	"fmt"
	"strings"
)

var (
	ErrNotFound     = errors.New("not found")
	ErrForbidden    = errors.New("forbidden")
	ErrUnauthorised = errors.New("sign in required")
	ErrConflict     = errors.New("conflict")
	ErrUnavailable  = errors.New("service unavailable")
	ErrTooMany      = errors.New("too many attempts")
)

// FieldError is one problem with one named input.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Invalid is a validation failure listing every bad field, in form order.
type Invalid struct {
	Fields []FieldError
}

func (v *Invalid) Error() string {
	parts := make([]string, len(v.Fields))
	for i, f := range v.Fields {
		parts[i] = f.Field + ": " + f.Message
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// Add records a problem with field.
func (v *Invalid) Add(field, format string, args ...any) {
	v.Fields = append(v.Fields, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// Has reports whether field already has a problem.
func (v *Invalid) Has(field string) bool {
	for _, f := range v.Fields {
		if f.Field == field {
			return true
		}
	}
	return false
}

// Message returns the first problem recorded for field, or "".
func (v *Invalid) Message(field string) string {
	for _, f := range v.Fields {
		if f.Field == field {
			return f.Message
		}
	}
	return ""
}

// Err returns v as an error when it holds problems, else nil.
func (v *Invalid) Err() error {
	if v == nil || len(v.Fields) == 0 {
		return nil
	}
	return v
}

// Field returns an Invalid error for a single field.
func Field(field, format string, args ...any) error {
	v := &Invalid{}
	v.Add(field, format, args...)
	return v
}

// LineError is a problem on one line of an uploaded file.
type LineError struct {
	Line    int    `json:"line"`
	Message string `json:"message"`
}

// FileErrors lists every bad line of a file that was rejected whole.
type FileErrors struct {
	File  string
	Lines []LineError
}

func (e *FileErrors) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d problem(s), nothing imported", e.File, len(e.Lines))
	for _, l := range e.Lines {
		fmt.Fprintf(&b, "\n  line %d: %s", l.Line, l.Message)
	}
	return b.String()
}

// Add records a problem on a line.
func (e *FileErrors) Add(line int, format string, args ...any) {
	e.Lines = append(e.Lines, LineError{Line: line, Message: fmt.Sprintf(format, args...)})
}

// Err returns e when it holds problems, else nil.
func (e *FileErrors) Err() error {
	if e == nil || len(e.Lines) == 0 {
		return nil
	}
	return e
}
