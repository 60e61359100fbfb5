// Package field carries validation problems tied to form fields, from domain rules to the page
// that shows each message next to its field and in an error summary.
package field

import (
	"strings"
	"unicode"
)

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

// Name checks the person's name at field: missing is the message when it is empty, else
// NameProblem's.
func (e *Errors) Name(field, name, missing string) {
	if name == "" {
		e.Add(field, missing)
	} else if msg := NameProblem(name); msg != "" {
		e.Add(field, msg)
	}
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

// Only is the problems of the fields whose names start with prefix, in order.
func (e Errors) Only(prefix string) Errors {
	var out Errors
	for _, x := range e {
		if strings.HasPrefix(x.Field, prefix) {
			out = append(out, x)
		}
	}
	return out
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

// NameProblem returns the message for a person's name that is not one line of text, or "". A
// name heads emails (To: Name <address>), letters and lists: a control character (a line break,
// a tab, an escape) or a Unicode line or paragraph separator would break the header of every
// email to that person, or smuggle a header into it. Every form that takes a name checks it
// with NameProblem; the email sender uses it too, for names stored before the check.
func NameProblem(name string) string {
	if strings.ContainsFunc(name, func(r rune) bool { return unicode.IsControl(r) || r == '\u2028' || r == '\u2029' }) {
		return "Enter the name on one line, without tabs or other control characters."
	}
	return ""
}
