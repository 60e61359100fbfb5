// Package clarify holds the clarifications of round 1 (DOMAIN.md "Round 1:
// screening by the secretariat": the secretariat may ask an applicant for clarification or more
// information). The secretariat asks a question with a response deadline and may name questions
// of the locked application that the applicant may edit while answering; the applicant answers
// once, in text and documents, before the deadline; the clarifications of an entry, oldest first,
// are its thread. The secretariat of the entry's edition sees the thread at any time, evaluators
// and the council from round 2 on (authz.CanSeeClarifications), the applicant only their own
// questions and answers. Every query repeats those rules as SQL filters.
package clarify

import (
	"cmp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/blocks/form"
	"prizeportal/internal/i18n"
)

// Limits of a clarification.
const (
	// MaxQuestionRunes is the longest question the secretariat may ask.
	MaxQuestionRunes = 5000
	// MaxAnswerRunes is the longest written answer.
	MaxAnswerRunes = 20000
	// MaxDocuments is how many documents one answer may carry.
	MaxDocuments = 5
	// MaxDocumentMB is the largest document, in megabytes (10^6 bytes): that of a file question
	// of the application form that gives none.
	MaxDocumentMB = form.DefaultFileMB
	// DeadlineLayout is how the form writes a local date-time (an HTML datetime-local value).
	DeadlineLayout = "2006-01-02T15:04"
)

var (
	// ErrLate means the response deadline has passed: the answer is refused (the secretariat may
	// ask again).
	ErrLate = fault.New(fault.Forbidden, "The deadline for this answer has passed: answers are no longer accepted. If you still want to answer, write to the secretariat; they may ask you again.")
	// ErrAnswered means the clarification was answered already.
	ErrAnswered = fault.New(fault.Conflict, "You have already answered this question.")
)

// Document is a document attached to an answer.
type Document struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Size int64  `json:"size"`
}

// Clarification is one question of the secretariat to an entry, with its answer.
type Clarification struct {
	ID            int64
	ApplicationID int64
	Question      string
	// Deadline is the end of the time to answer (exclusive).
	Deadline time.Time
	// QuestionKeys are the keys of the application's questions the applicant may edit.
	QuestionKeys []string
	AskedBy      int64
	AskedByName  string
	AskedAt      time.Time
	Answer       string
	Documents    []Document
	AnsweredAt   *time.Time
	// AmendedVersion is the application version that records the answer's edits; nil for none.
	AmendedVersion *int
}

// State is where a clarification stands.
type State string

// The states of a clarification.
const (
	Open     State = "open"
	Answered State = "answered"
	Expired  State = "expired"
)

// Label is the state as people read it.
func (s State) Label() string { return cmp.Or(stateLabels[s], i18n.M("Waiting for the answer")) }

var stateLabels = map[State]string{
	Answered: i18n.M("Answered"),
	Expired:  i18n.M("Not answered in time"),
}

// ApplicantLabel is the state as the applicant reads it.
func (s State) ApplicantLabel() string {
	switch s {
	case Answered:
		return i18n.M("Answered")
	case Expired:
		return i18n.M("Deadline passed")
	}
	return i18n.M("Waiting for your answer")
}

// State is the clarification's state at now.
func (c Clarification) State(now time.Time) State {
	switch {
	case c.AnsweredAt != nil:
		return Answered
	case !now.Before(c.Deadline):
		return Expired
	}
	return Open
}

// Answerable reports whether an answer is accepted at now: not answered yet, and strictly before
// the response deadline.
func (c Clarification) Answerable(now time.Time) bool { return c.State(now) == Open }

// Draft is the secretariat's question as typed in the form.
type Draft struct {
	Question string
	// Deadline is a local date-time in the edition's time zone (DeadlineLayout).
	Deadline string
	Keys     []string
}

// Request is a valid question, ready to store.
type Request struct {
	Question string
	Deadline time.Time
	Keys     []string
}

// Parse checks the draft against the application form f (the named questions must be its own),
// reading the deadline in loc; it must be after now. Problems are keyed by the form's field
// names: "question", "deadline" and "keys".
func (d Draft) Parse(f *form.Form, loc *time.Location, now time.Time) (Request, field.Errors) {
	var errs field.Errors
	r := Request{Question: strings.TrimSpace(strings.ReplaceAll(d.Question, "\r\n", "\n"))}
	switch n := utf8.RuneCountInString(r.Question); {
	case n == 0:
		errs.Add("question", "Write the question to the applicant.")
	case n > MaxQuestionRunes:
		errs.Add("question", "Shorten the question to at most 5,000 characters.")
	}
	text := strings.TrimSpace(d.Deadline)
	deadline, err := time.ParseInLocation(DeadlineLayout, text, loc)
	switch {
	case text == "":
		errs.Add("deadline", "Enter the date and time by which the applicant must answer.")
	case err != nil:
		errs.Add("deadline", "Enter a date and time such as 2023-06-15T18:00.")
	case !deadline.After(now):
		errs.Add("deadline", "Choose a response deadline in the future.")
	default:
		r.Deadline = deadline
	}
	for _, k := range d.Keys {
		if k == "" || slices.Contains(r.Keys, k) {
			continue
		}
		if f == nil {
			errs.Add("keys", "This entry has no application form whose questions could be edited.")
			break
		}
		if _, ok := f.Question(k); !ok {
			errs.Add("keys", "Choose questions of this entry's application form only.")
			break
		}
		r.Keys = append(r.Keys, k)
	}
	return r, errs
}
