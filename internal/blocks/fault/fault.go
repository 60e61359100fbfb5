// Package fault gives the domains' errors a kind and a message for the user, so that one error
// mapper (internal/server/errors.go) turns every domain error into the right page, and handlers
// step in only to show a form again with its fields' messages.
//
// A domain declares its sentinels with New and returns them (wrapped or not):
//
//	var ErrClosed = fault.New(fault.Conflict, "Scoring is closed: the committee's window has ended.")
//
// errors.Is(err, scoring.ErrClosed) still works, and the mapper answers 409 with that message.
package fault

import "errors"

// Kind is what went wrong, in the terms of the answer the user gets.
type Kind int

// The kinds of domain error.
const (
	// Invalid: the input breaks a rule the user can fix (422).
	Invalid Kind = iota + 1
	// NotFound: the thing asked for does not exist, or is not the user's to see (404).
	NotFound
	// Forbidden: the user may not do this (403).
	Forbidden
	// Conflict: the state of things forbids this now, or it changed meanwhile (409).
	Conflict
)

// Error is a domain error with its kind and a message for the user. The message says what
// happened and what to do, in words for the user; Err, when set, is the cause, logged, never
// shown.
type Error struct {
	Kind    Kind
	Message string
	Err     error
}

// New is an error of kind with message for the user, typically a domain's sentinel.
func New(kind Kind, message string) *Error { return &Error{Kind: kind, Message: message} }

// Wrap is an error of kind with message for the user, caused by err.
func Wrap(kind Kind, message string, err error) *Error {
	return &Error{Kind: kind, Message: message, Err: err}
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// As returns the first *Error in err's chain.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// Reword is err with the user message text when err is one of sentinels, err unchanged
// otherwise: a use case words a shared refusal its own way, and errors.Is still finds the
// sentinel. The kind is err's (Conflict when err carries none).
func Reword(err error, text string, sentinels ...error) error {
	for _, s := range sentinels {
		if errors.Is(err, s) {
			kind := Conflict
			if f, ok := As(err); ok {
				kind = f.Kind
			}
			return Wrap(kind, text, err)
		}
	}
	return err
}
