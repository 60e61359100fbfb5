package application

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/blocks/form"
	"prizeportal/internal/db"
	"prizeportal/internal/files"
	"prizeportal/internal/i18n"
)

// Open reports whether e may still be changed, submitted or withdrawn at now: before its
// deadline (Deadline: the edition's, with its grace period, or the owner's extension), to the
// second (DOMAIN.md "The project application": editable until the deadline, locked after it);
// never for a past edition's entry.
func (e Entry) Open(now time.Time) bool {
	return !e.App.Past && e.App.Status != Merged && Open(now, Deadline(e.Edition.Schedule, e.App))
}

// ClosedNotice tells the owner of e that its deadline passed (DOMAIN.md "The project
// application": after the deadline applications are locked), or that it is a past edition's.
func (e Entry) ClosedNotice() string {
	if e.App.Status == Merged {
		return e.MergedNote()
	}
	if e.App.Past {
		return i18n.Msg("This entry belongs to the {{.Prize}}, an earlier edition: it is kept for you to read and can no longer be changed.", "Prize", e.Edition.Name)
	}
	return i18n.Msg("The deadline passed on {{.Deadline}}: your application can no longer be changed or submitted.", "Deadline", DeadlineMsg(e.Edition, e.App))
}

// Closed is ErrClosed with e's ClosedNotice, in English, for its message (a page shows
// ClosedNotice itself, in the reader's language).
func (e Entry) Closed() error {
	if e.App.Past {
		return fault.Wrap(fault.Forbidden, i18n.English(e.ClosedNotice()), ErrPastEdition)
	}
	return fault.Wrap(fault.Forbidden, i18n.English(e.ClosedNotice()), ErrClosed)
}

// Noun names e in sentences: "project application" or "nomination".
func (e Entry) Noun() string {
	if e.App.Kind == KindNomination {
		return "nomination"
	}
	return "project application"
}

// StatusNote says where e stands for its owner: not started, submitted (and changed since), withdrawn
// or saved as a draft, with the times in the edition's zone.
func (e Entry) StatusNote() string {
	a, loc := e.App, e.Edition.TimeZone
	switch {
	case a.ID == 0:
		return i18n.M("Not started yet.")
	case a.Status == Submitted && a.SubmittedAt != nil:
		if a.Changed() {
			return i18n.Msg("Submitted on {{.When}} (submission {{.Number}}). You have saved changes since then: submit again so that the Evaluation Committee sees them.",
				"When", i18n.Instant(*a.SubmittedAt, loc), "Number", strconv.Itoa(a.Submissions))
		}
		return i18n.Msg("Submitted on {{.When}} (submission {{.Number}}).", "When", i18n.Instant(*a.SubmittedAt, loc), "Number", strconv.Itoa(a.Submissions))
	case a.Status == Withdrawn:
		return i18n.M("You withdrew the application. You can submit it again until the deadline.")
	case a.Status == Merged:
		return e.MergedNote()
	}
	return i18n.Msg("Last saved on {{.When}}; not submitted yet.", "When", i18n.Instant(a.UpdatedAt, loc))
}

// MergedNote tells the nominator of a merged nomination where it went (screening.Service.Merge):
// the candidate's other nomination, which is the entry now, with its letters and endorsements.
func (e Entry) MergedNote() string {
	if e.App.MergedInto != nil {
		return i18n.Msg("The secretariat merged this nomination into nomination {{.Number}} of the same candidate: that is the entry now, "+
			"with the letters and endorsements of both, and you are its co-nominator (you receive a copy of its outcome emails). "+
			"This nomination is kept for you to read and can no longer be changed.", "Number", strconv.FormatInt(*e.App.MergedInto, 10))
	}
	return i18n.M("The secretariat merged this nomination into another nomination of the same candidate: that is the entry now, " +
		"with the letters and endorsements of both, and you are its co-nominator (you receive a copy of its outcome emails). " +
		"This nomination is kept for you to read and can no longer be changed.")
}

// FileLimits are the upload limits of the file questions of sec, from the form definition: a
// question that holds files in a already accepts only as many more as its count leaves.
func FileLimits(sec *form.Section, a form.Answers) map[string]files.Limits {
	out := map[string]files.Limits{}
	for i := range sec.Questions {
		q := &sec.Questions[i]
		if q.Type != form.File {
			continue
		}
		var accept []files.Type
		for _, k := range q.Accept {
			if t, ok := files.ParseType(k); ok {
				accept = append(accept, t)
			}
		}
		if len(accept) == 0 {
			accept = files.AllTypes
		}
		out[q.FieldName()] = files.Limits{Accept: accept, MaxBytes: q.SizeLimit(), MaxFiles: max(q.FileLimit()-len(a[q.Key].Files), 0)}
	}
	return out
}

// DecodeSection turns the values and files posted for section sec of f into an Edit of the stored
// answers: the section decoded and merged in (form.Merge), the files it dropped, and the files
// received for its questions (other inputs' files are the caller's). The errors are the
// answers' format problems and the refused files. This is the one reading of a posted section,
// for a saved section (SavePosted) and the questions edited in a clarification.
func DecodeSection(f *form.Form, sec *form.Section, stored form.Answers, res *files.Result) (Edit, field.Errors) {
	decoded, errs := form.Decode(f, sec.Key, res.Values)
	var e Edit
	e.Answers, e.Removed = form.Merge(f, sec.Key, stored, decoded)
	for _, up := range res.Files {
		if sectionHas(sec, up.Field) {
			e.Uploads = append(e.Uploads, up)
		}
	}
	return e, append(errs, res.FieldErrors()...)
}

// Conflict is a question whose saved answer differs from the one a stale page posted.
type Conflict struct {
	Label, Field string
	// Theirs is the saved answer, one line per item.
	Theirs []string
}

// ConflictError means a section was posted from a page loaded before another tab saved:
// nothing was saved (it wraps db.ErrConflict). Current is the application as it is now, Shown its
// answers with the posted ones in their place, and Conflicts the questions the other tab changed.
type ConflictError struct {
	Current   Application
	Shown     form.Answers
	Conflicts []Conflict
}

func (e *ConflictError) Error() string { return "application: section saved meanwhile" }
func (e *ConflictError) Unwrap() error { return db.ErrConflict }

// conflicts compares the posted answers mine of sec with current: files are left out (they are
// saved when attached, and the stored list is shown as it is).
func conflicts(sec *form.Section, current Application, mine form.Answers) *ConflictError {
	out := &ConflictError{Current: current, Shown: current.Answers.Clone()}
	for i := range sec.Questions {
		q := &sec.Questions[i]
		if q.Type == form.File {
			continue
		}
		theirs, own := current.Answers[q.Key], mine[q.Key]
		if own.Empty() {
			delete(out.Shown, q.Key)
		} else {
			out.Shown[q.Key] = own
		}
		if !SameAnswer(theirs, own) {
			out.Conflicts = append(out.Conflicts, Conflict{Label: q.Label, Field: q.FieldName(), Theirs: AnswerLines(q, theirs)})
		}
	}
	return out
}

// SavePosted saves section sec of actor's entry e as posted (res: the values, with "version",
// the version the page was loaded at, and the files received) as a draft (SaveSection): nothing
// typed is lost, answers with format problems are saved as typed and returned as field errors.
// DOMAIN.md "The project application": saved as drafts until the deadline (ErrClosed, with e's
// ClosedNotice). A page loaded before another tab saved changes nothing and gets a
// *ConflictError with both versions. The uploads are the caller's to discard on an error.
func (s *Service) SavePosted(ctx context.Context, actor authz.Actor, e Entry, sec *form.Section, res *files.Result) (Application, field.Errors, error) {
	if !e.Open(s.Now()) {
		return Application{}, nil, e.Closed()
	}
	base, _ := strconv.Atoi(res.Values.Get("version"))
	edit, errs := DecodeSection(e.Category.Form, sec, e.App.Answers, res)
	saved, err := s.SaveSection(ctx, actor, e.App, e.Edition.Schedule, base, edit)
	switch {
	case errors.Is(err, ErrClosed):
		return Application{}, nil, e.Closed()
	case errors.Is(err, db.ErrConflict):
		current, lerr := s.current(ctx, actor.UserID, e.App)
		if lerr != nil {
			return Application{}, nil, lerr
		}
		return Application{}, nil, conflicts(sec, current, edit.Answers)
	}
	return saved, errs, err
}

// current loads owner's application a again as it is stored now.
func (s *Service) current(ctx context.Context, owner int64, a Application) (Application, error) {
	if a.ID == 0 {
		return Load(ctx, s.Pool, owner)
	}
	return LoadEntry(ctx, s.Pool, owner, a.ID)
}

// Problem is an answer that stops a submission, with the section it is in.
type Problem struct {
	Section, Field, Message string
}

// SubmitProblems lists what stops the submission of answers a of f (form.Validate at
// submission), each with its section.
func SubmitProblems(f *form.Form, a form.Answers) []Problem {
	var out []Problem
	for _, e := range form.Validate(f, a, form.Submit) {
		for _, sec := range f.Sections {
			if sectionHas(&sec, e.Field) {
				out = append(out, Problem{Section: sec.Key, Field: e.Field, Message: e.Message})
				break
			}
		}
	}
	return out
}

func sectionHas(sec *form.Section, name string) bool {
	for _, q := range sec.Questions {
		if n := q.FieldName(); name == n || strings.HasPrefix(name, n+".") {
			return true
		}
	}
	return false
}

// ProblemsError refuses a submission whose answers are missing or need attention: it carries
// the problems, and unwraps to the message for the owner (fault.Invalid).
type ProblemsError struct {
	Problems []Problem
	err      error
}

func (e *ProblemsError) Error() string { return e.err.Error() }
func (e *ProblemsError) Unwrap() error { return e.err }
