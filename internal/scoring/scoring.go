// Package scoring holds the score sheets of round 2 (DOMAIN.md "Round 2"): each
// evaluator scores the entries assigned to them on a sheet generated from the category's
// criteria, declares on opening that they have no conflict of interest (or recuses), saves drafts
// and submits, and may revise until the round closes. It also reports the committee's progress.
//
// The tables (migrations/00021_scoring.sql), as this package uses them:
//   - assignments: an evaluator may open an entry only while an assignment of theirs to it is
//     active (ended_at IS NULL) and the entry does not match a conflict of theirs
//     (conflict_matches); every query repeats this filter in SQL (activeFilter), so anything else
//     is db.ErrNotFound. Recusing ends the assignment (end_kind 'recused').
//   - score_sheets: at most one per evaluator and entry, created by the conflict declaration
//     (no_conflict_at is set then, and never cleared). status is 'draft' until submitted, then
//     'submitted'; a submitted sheet is only changed by a resubmission, which is validated like
//     the first, so a submitted sheet always has every indicator scored on the category's scale.
//     criterion_comments maps criterion keys to comments; overall_comment is the overall comment.
//     version counts saves (optimistic locking: a save names the version it edits).
//   - sheet_scores: one row per scored indicator of a sheet, score within the category's scale
//     (a draft may lack some). The ranking reads the submitted sheets only.
//   - scoring_rounds.closed_at: once set, sheets are read-only and the committee head may read
//     every sheet of an entry (confidentiality: until then nobody sees another's scores).
//
// The reminders an evaluator received are recorded in the audit log (action ReminderAction,
// object the evaluator), which Service.SendReminders reads back so each is sent once.
package scoring

import (
	"cmp"
	"strconv"
	"strings"
	"unicode/utf8"

	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
)

// Status is where an evaluator's sheet of an entry stands.
type Status string

// The statuses of a sheet; NotOpened means no sheet exists yet (the conflict declaration was
// not made).
const (
	NotOpened Status = ""
	Draft     Status = "draft"
	Submitted Status = "submitted"
)

// Label describes the status for the evaluator's list.
func (s Status) Label() string { return cmp.Or(statusLabels[s], i18n.M("Not opened")) }

var statusLabels = map[Status]string{
	Draft:     i18n.M("Draft"),
	Submitted: i18n.M("Submitted"),
}

// Errors of the store, each with the message the evaluator sees (DOMAIN.md "Round 2"); the use
// cases word them for what was refused (sheetRefusal, Recuse).
var (
	// ErrRoundClosed: the scoring round of the edition is closed; sheets are read-only.
	ErrRoundClosed = fault.New(fault.Conflict, "The scoring round is closed.")
	// ErrOutsideWindow: the scoring window has not opened yet or has ended (edition.Round): no
	// sheet changes, though the round is not closed.
	ErrOutsideWindow = fault.New(fault.Forbidden, "Scoring is only possible inside the scoring window.")
	// ErrNotDeclared: the evaluator has not declared that they have no conflict yet.
	ErrNotDeclared = fault.New(fault.Conflict, "Declare first that you have no conflict of interest: reload the page.")
	// ErrSubmitted: a submitted sheet changes only by resubmission.
	ErrSubmitted = fault.New(fault.Conflict, "This sheet is submitted: your changes are saved only when you resubmit it.")
	// ErrConflicted: the committee head is in conflict with the entry and does not read its
	// sheets (a declared conflict, or one the portal found and they did not explain).
	ErrConflicted = fault.New(fault.Forbidden, "You have a conflict of interest with this entry: you do not read its score sheets.")
)

// Limits of the comments, in characters.
const (
	MaxComment = 5000
	MaxReason  = 2000
)

// Input is what the evaluator entered on a sheet: scores by indicator id, comments by
// criterion key, and the overall comment.
type Input struct {
	Scores   map[int64]int
	Comments map[string]string
	Overall  string
}

// ScoreField is the form field name of an indicator's score.
func ScoreField(indicatorID int64) string { return "score." + strconv.FormatInt(indicatorID, 10) }

// CommentField is the form field name of a criterion's comment.
func CommentField(criterionKey string) string { return "comment." + criterionKey }

// OverallField is the form field name of the overall comment.
const OverallField = "overall"

// Parse reads a sheet's form values (get returns the value of a field) for category cat: only
// its indicators and criteria are read. A score that is not a whole number on the scale is left
// out and reported; comments are kept as typed, with an error when too long.
func Parse(cat *edition.Category, get func(string) string) (Input, field.Errors) {
	in := Input{Scores: map[int64]int{}, Comments: map[string]string{}}
	var errs field.Errors
	for _, c := range cat.Criteria {
		for _, ind := range c.Indicators {
			v := strings.TrimSpace(get(ScoreField(ind.ID)))
			if v == "" {
				continue
			}
			n, err := strconv.Atoi(v)
			if err != nil || n < cat.Scale.Min || n > cat.Scale.Max {
				errs.Add(ScoreField(ind.ID), "Score "+ind.Name+" from "+strconv.Itoa(cat.Scale.Min)+" to "+strconv.Itoa(cat.Scale.Max)+".")
				continue
			}
			in.Scores[ind.ID] = n
		}
		if v := get(CommentField(c.Key)); v != "" {
			in.Comments[c.Key] = v
			if utf8.RuneCountInString(v) > MaxComment {
				errs.Add(CommentField(c.Key), "Shorten the comment on "+c.Name+" to at most 5,000 characters.")
			}
		}
	}
	in.Overall = get(OverallField)
	if utf8.RuneCountInString(in.Overall) > MaxComment {
		errs.Add(OverallField, "Shorten the overall comment to at most 5,000 characters.")
	}
	return in, errs
}

// Validate checks that in may be submitted for category cat: every indicator scored on the
// scale and, when commentsRequired (an edition setting), a comment on every criterion. The
// errors are in the order of the sheet.
func Validate(cat *edition.Category, in Input, commentsRequired bool) field.Errors {
	var errs field.Errors
	for _, c := range cat.Criteria {
		for _, ind := range c.Indicators {
			n, ok := in.Scores[ind.ID]
			if !ok || n < cat.Scale.Min || n > cat.Scale.Max {
				errs.Add(ScoreField(ind.ID), "Score "+ind.Name+" ("+c.Name+") from "+strconv.Itoa(cat.Scale.Min)+" to "+strconv.Itoa(cat.Scale.Max)+".")
			}
		}
		comment := in.Comments[c.Key]
		if commentsRequired && strings.TrimSpace(comment) == "" {
			errs.Add(CommentField(c.Key), "Write a comment on "+c.Name+".")
		} else if utf8.RuneCountInString(comment) > MaxComment {
			errs.Add(CommentField(c.Key), "Shorten the comment on "+c.Name+" to at most 5,000 characters.")
		}
	}
	if utf8.RuneCountInString(in.Overall) > MaxComment {
		errs.Add(OverallField, "Shorten the overall comment to at most 5,000 characters.")
	}
	return errs
}

// clean keeps the scores of cat's indicators within its scale and the comments of its
// criteria, trimmed of surrounding space; empty comments are dropped.
func clean(cat *edition.Category, in Input) Input {
	out := Input{Scores: map[int64]int{}, Comments: map[string]string{}, Overall: strings.TrimSpace(in.Overall)}
	for _, c := range cat.Criteria {
		for _, ind := range c.Indicators {
			if n, ok := in.Scores[ind.ID]; ok && n >= cat.Scale.Min && n <= cat.Scale.Max {
				out.Scores[ind.ID] = n
			}
		}
		if v := strings.TrimSpace(in.Comments[c.Key]); v != "" {
			out.Comments[c.Key] = v
		}
	}
	return out
}
