// Package field carries validation problems tied to form fields, from domain rules to the page
// that shows each message next to its field and in an error summary.
package field

import "strings"

// Error is one problem with one field.
type Error struct {
	Field   string
	Message string
}

// Errors are the problems of one form, in the order of the form's fields. A non-empty Errors is an
// error: domain functions return it so handlers can re-render the form with every message.
type Errors []Error

// Add records a problem with field (only the first problem per field is kept).
func (e *Errors) Add(field, message string) {
	if e.Get(field) != "" {
		return
	}
	*e = append(*e, Error{field, message})
}

// Get returns the message for field, or "".
func (e Errors) Get(field string) string {
	for _, x := range e {
		if x.Field == field {
			return x.Message
		}
	}
	return ""
}

// Any reports whether there is a problem.
func (e Errors) Any() bool { return len(e) > 0 }

// Err returns e as an error, or nil when there is no problem.
func (e Errors) Err() error {
	if len(e) == 0 {
		return nil
	}
	return e
}

func (e Errors) Error() string {
	parts := make([]string, len(e))
	for i, x := range e {
		parts[i] = x.Field + ": " + x.Message
	}
	return "invalid input: " + strings.Join(parts, "; ")
}
