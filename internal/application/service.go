package application

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"prizeportal/internal/blocks/usecase"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/account"
	"prizeportal/internal/audit"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/blocks/form"
	"prizeportal/internal/conflict"
	"prizeportal/internal/db"
	"prizeportal/internal/edition"
	"prizeportal/internal/files"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
	"prizeportal/internal/repository"
)

// Service holds the use cases of an application (a project application or a nomination's
// Leadership Application Form) as its owner works on it: saving a section, submitting and
// withdrawing. Each method opens its transaction, checks the rule it documents, writes the audit
// entry and queues the email; uploaded files are kept in files.
type Service struct {
	usecase.Deps
	files files.Storage
}

// NewService is the application service on pool, queueing emails in outbox with links under
// site, storing uploads in storage.
func NewService(pool *pgxpool.Pool, outbox *notify.Outbox, site emails.Site, now func() time.Time, storage files.Storage) *Service {
	return &Service{Deps: usecase.New(pool, outbox, site, now), files: storage}
}

// Edit is a change of an application's answers from a form: Answers are the answers to store
// with the form's section merged in (form.Merge), Removed the files the section no longer holds,
// Uploads the files received for its file questions (each Field the question's form.FieldName).
type Edit struct {
	Answers form.Answers
	Removed []form.FileRef
	Uploads []files.Stored
}

// change runs edit e of application app of owner in tx: the uploads are recorded and added to
// their questions' answers, the removed files detached (DetachFile keeps a file that a submitted
// version refers to), write stores the answers and returns the application's id, to which the
// uploads are then attached. It returns the storage keys of the files deleted, to remove from
// storage once tx commits. This is the one sequence behind a saved section (SaveSection) and the
// answers edited in a clarification (AmendSection).
func change(ctx context.Context, tx pgx.Tx, owner, app int64, e Edit, now time.Time, write func(answers form.Answers) (int64, error)) ([]string, error) {
	answers := e.Answers.Clone()
	recorded := make([]int64, 0, len(e.Uploads))
	for _, st := range e.Uploads {
		f, err := files.Record(ctx, tx, st, owner, now)
		if err != nil {
			return nil, err
		}
		recorded = append(recorded, f.ID)
		key := questionKey(st.Field)
		a := answers[key]
		a.Files = append(a.Files, form.FileRef{ID: strconv.FormatInt(f.ID, 10), Name: f.Name})
		answers[key] = a
	}
	var deleted []string
	for _, ref := range e.Removed {
		id, err := strconv.ParseInt(ref.ID, 10, 64)
		if err != nil {
			continue
		}
		f, gone, err := DetachFile(ctx, tx, owner, app, id)
		if errors.Is(err, db.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if gone {
			deleted = append(deleted, f.Key)
		}
	}
	id, err := write(answers)
	if err != nil {
		return nil, err
	}
	for i, fid := range recorded {
		if err := AttachFile(ctx, tx, owner, id, fid, questionKey(e.Uploads[i].Field)); err != nil {
			return nil, err
		}
	}
	return deleted, nil
}

// questionKey is the key of the question whose field name is name.
func questionKey(name string) string { return strings.TrimPrefix(name, form.FieldName("")) }

// RemoveStored deletes from storage the objects of files deleted by a committed transaction; a
// failure leaves an orphan object, logged, and changes nothing for the user.
func RemoveStored(ctx context.Context, storage files.Storage, keys []string) {
	for _, key := range keys {
		if err := storage.Delete(ctx, key); err != nil {
			slog.ErrorContext(ctx, "application: delete removed file", "err", err)
		}
	}
}

// SaveSection saves edit e of application a (loaded for actor, its owner) as a draft, provided
// the stored version is still base, the version the page was loaded at (db.ErrConflict
// otherwise: another tab saved in between, and nothing is changed). DOMAIN.md "The project
// application": applications are saved as drafts and edited until the deadline; after it they
// are locked (ErrClosed). An entry of a past edition (a later one registered for) is read-only
// (ErrPastEdition). Answers with format problems are saved as typed. It returns the application
// as saved.
func (s *Service) SaveSection(ctx context.Context, actor authz.Actor, a Application, sched edition.Schedule, base int, e Edit) (Application, error) {
	now := s.Now()
	if !Open(now, Deadline(sched, a)) {
		return Application{}, ErrClosed
	}
	if err := s.notPast(ctx, a); err != nil {
		return Application{}, err
	}
	if base != a.Version {
		return Application{}, db.ErrConflict
	}
	var (
		deleted []string
		id      int64
	)
	err := db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		var err error
		deleted, err = change(ctx, tx, actor.UserID, a.ID, e, now, func(answers form.Answers) (int64, error) {
			var err error
			id, _, err = Save(ctx, tx, a, base, answers, now)
			return id, err
		})
		return err
	})
	if err != nil {
		return Application{}, err
	}
	RemoveStored(ctx, s.files, deleted)
	return LoadEntry(ctx, s.Pool, actor.UserID, id)
}

// AmendSection runs in tx the edits a clarification allowed (DOMAIN.md "Round 1": the
// secretariat may ask an applicant for clarification or more information, naming questions of the
// locked application the applicant may change): e.Answers are the last submitted answers with
// the named questions (keys) as answered. When they differ from submitted, the application's
// answers and a new submitted version take the edits (Amend, at a's version; db.ErrConflict when
// it changed meanwhile), f prunes both, and the best-practice repository is refreshed. It returns
// the new version's number (nil when nothing changed) and the storage keys of the files deleted,
// to remove once tx commits (RemoveStored). An entry of a past edition is read-only
// (ErrPastEdition).
func AmendSection(ctx context.Context, tx pgx.Tx, a Application, f *form.Form, submitted form.Answers, keys []string, e Edit, now time.Time) (*int, []string, error) {
	if past, err := Past(ctx, tx, a.UserID, a.EditionID); err != nil {
		return nil, nil, err
	} else if past {
		return nil, nil, ErrPastEdition
	}
	changed := len(e.Uploads) > 0
	for _, k := range keys {
		if !SameAnswer(e.Answers[k], submitted[k]) {
			changed = true
		}
	}
	if !changed {
		return nil, nil, nil
	}
	var number int
	deleted, err := change(ctx, tx, a.UserID, a.ID, e, now, func(answers form.Answers) (int64, error) {
		current, sub := a.Answers.Clone(), submitted.Clone()
		for _, k := range keys {
			ans, has := answers[k]
			for _, m := range []form.Answers{current, sub} {
				if has {
					m[k] = ans
				} else {
					delete(m, k)
				}
			}
		}
		var err error
		if number, err = Amend(ctx, tx, a, a.Version, form.Prune(f, current), form.Prune(f, sub), now); err != nil {
			return 0, err
		}
		return a.ID, repository.Refresh(ctx, tx, a.ID)
	})
	if err != nil {
		return nil, nil, err
	}
	return &number, deleted, nil
}

// notPast refuses a change to a, an entry of a past edition of its account (ErrPastEdition):
// past entries stay readable, read-only, whatever the page that posted the change showed.
func (s *Service) notPast(ctx context.Context, a Application) error {
	past, err := Past(ctx, s.Pool, a.UserID, a.EditionID)
	if err != nil {
		return err
	}
	if past {
		return ErrPastEdition
	}
	return nil
}

// SameAnswer reports whether two answers hold the same thing.
func SameAnswer(a, b form.Answer) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb)
}

// Entry is an application with what its pages and use cases need to know of its place: its
// edition, its category (with the form) and its owner; and the path of its overview, for the
// links in emails.
type Entry struct {
	App      Application
	Edition  *edition.Edition
	Category *edition.Category
	// Owner is the applicant (or nominator) who owns App.
	Owner account.User
	// Home is the path of the application's overview ("/application", "/nominations/12"); set by
	// the caller.
	Home string
	// Unconsented marks a nomination whose candidate has not consented (yet), which cannot be
	// submitted (DOMAIN.md "Leadership nominations"); set by the caller.
	Unconsented bool
}

// Project loads owner's project application as an Entry: a draft not saved yet (ID 0) for an
// account that registered for a category and never saved (see Load). db.ErrNotFound for an
// account without one, or whose category has no form.
func (s *Service) Project(ctx context.Context, owner int64) (Entry, error) {
	a, err := Load(ctx, s.Pool, owner)
	if err != nil {
		return Entry{}, err
	}
	return s.entry(ctx, a)
}

// Owned loads owner's application id (of either kind) as an Entry; db.ErrNotFound for anyone
// else's, or when its category has no form.
func (s *Service) Owned(ctx context.Context, owner, id int64) (Entry, error) {
	a, err := LoadEntry(ctx, s.Pool, owner, id)
	if err != nil {
		return Entry{}, err
	}
	return s.entry(ctx, a)
}

func (s *Service) entry(ctx context.Context, a Application) (Entry, error) {
	u, err := account.ByID(ctx, s.Pool, a.UserID)
	if err != nil {
		return Entry{}, err
	}
	ed, err := edition.ByID(ctx, s.Pool, a.EditionID)
	if err != nil {
		return Entry{}, err
	}
	for i := range ed.Categories {
		if c := &ed.Categories[i]; c.ID == a.CategoryID && c.Form != nil && len(c.Form.Sections) > 0 {
			return Entry{App: a, Edition: ed, Category: c, Owner: u}, nil
		}
	}
	return Entry{}, db.ErrNotFound
}

// Submit submits entry e as it stands at version base (the version the review page showed), for
// actor, its owner: before the deadline, to the second (ErrClosed, with e's ClosedNotice), from a
// confirmed email address (ErrUnverified; DOMAIN.md "Registration"), a nomination only with its
// candidate's consent (DOMAIN.md "Leadership nominations"), every answer valid (*ProblemsError).
// A page loaded at another version, or a version submitted already, is refused (fault.Conflict
// wrapping db.ErrConflict). The answers are pruned and kept as a new numbered version. Of
// simultaneous submits of one version exactly one wins (Submit's condition); the others get
// db.ErrConflict and change nothing. In the same transaction the conflict-of-interest flags, the
// likely-duplicate flags and the best-practice repository are brought up to date, the audit log records it and a receipt
// with a PDF copy is queued. An entry of a past edition is refused (ErrPastEdition). It returns
// the submission's number.
func (s *Service) Submit(ctx context.Context, actor authz.Actor, e Entry, base int) (int, error) {
	now := s.Now()
	if err := s.notPast(ctx, e.App); err != nil {
		return 0, err
	}
	if err := e.canSubmit(actor, base, now); err != nil {
		return 0, err
	}
	answers := form.Prune(e.Category.Form, e.App.Answers)
	var number int
	err := db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		var err error
		if number, err = Submit(ctx, tx, e.App, base, answers, now); err != nil {
			return err
		}
		if err := conflict.FlagEntry(ctx, tx, e.App.ID, now); err != nil {
			return err
		}
		if err := FlagDuplicates(ctx, tx, e.App.ID, now); err != nil {
			return err
		}
		if err := repository.Refresh(ctx, tx, e.App.ID); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: "application.submit",
			ObjectType: "application", ObjectID: strconv.FormatInt(e.App.ID, 10),
			Details: map[string]any{"version": number}}); err != nil {
			return err
		}
		m, err := s.receiptEmail(ctx, e, answers, number, now)
		if err != nil {
			return err
		}
		_, err = s.Outbox.Queue(ctx, tx, m)
		return err
	})
	if errors.Is(err, db.ErrConflict) {
		return 0, s.submitConflict(ctx, actor.UserID, e, base)
	}
	if err != nil {
		return 0, err
	}
	return number, nil
}

// canSubmit checks the rules of Submit that need no database.
func (e Entry) canSubmit(actor authz.Actor, base int, now time.Time) error {
	a := e.App
	switch {
	case !e.Open(now):
		return e.Closed()
	case !actor.EmailVerified:
		return ErrUnverified
	case a.ID == 0:
		return &ProblemsError{Problems: SubmitProblems(e.Category.Form, a.Answers),
			err: fault.New(fault.Invalid, "Your application was not submitted: it is empty.")}
	case base != a.Version:
		return fault.Wrap(fault.Conflict, changedMeanwhile, db.ErrConflict)
	case a.Status == Submitted && !a.Changed():
		if e.App.Kind == KindNomination {
			return fault.Wrap(fault.Conflict, "This version of your nomination is already submitted: there is nothing new to submit.", db.ErrConflict)
		}
		return fault.Wrap(fault.Conflict, "This version of your project application is already submitted: there is nothing new to submit.", db.ErrConflict)
	case e.Unconsented:
		return fault.New(fault.Invalid, "Your nomination was not submitted: the candidate has not consented yet. Ask them for their consent from the nomination's page; you can submit once they have agreed.")
	}
	if problems := SubmitProblems(e.Category.Form, a.Answers); len(problems) > 0 {
		return &ProblemsError{Problems: problems,
			err: fault.New(fault.Invalid, "Your application was not submitted: some answers are missing or need attention.")}
	}
	return nil
}

const changedMeanwhile = "Your application was changed in another tab or window since you opened this page. Check it below and submit again."

// submitConflict says why a submit of e at base lost: a simultaneous submit of the same version
// (a double click, another tab) won, or the application changed meanwhile.
func (s *Service) submitConflict(ctx context.Context, owner int64, e Entry, base int) error {
	fresh, err := s.current(ctx, owner, e.App)
	if err != nil {
		return err
	}
	if fresh.Version == base && fresh.Status == Submitted && !fresh.Changed() {
		if e.App.Kind == KindNomination {
			return fault.Wrap(fault.Conflict, "This version of your nomination is already submitted (from another tab or window, or by a second click): there is nothing new to submit, and we have emailed you one receipt.", db.ErrConflict)
		}
		return fault.Wrap(fault.Conflict, "This version of your project application is already submitted (from another tab or window, or by a second click): there is nothing new to submit, and we have emailed you one receipt.", db.ErrConflict)
	}
	return fault.Wrap(fault.Conflict, changedMeanwhile, db.ErrConflict)
}

// Withdraw withdraws the submitted application a for actor, its owner, before the deadline
// (ErrClosed): the committee will not consider it, its answers are kept and it may be submitted
// again until the deadline; never a past edition's (ErrPastEdition). Its case leaves the best-practice repository
// and its likely-duplicate flags go. ErrNotWithdrawable (a
// db.ErrNotFound) when a is not submitted.
func (s *Service) Withdraw(ctx context.Context, actor authz.Actor, a Application, sched edition.Schedule) error {
	now := s.Now()
	if !Open(now, Deadline(sched, a)) {
		return ErrClosed
	}
	if err := s.notPast(ctx, a); err != nil {
		return err
	}
	return db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		if err := Withdraw(ctx, tx, a, now); errors.Is(err, db.ErrNotFound) {
			return ErrNotWithdrawable
		} else if err != nil {
			return err
		}
		if err := repository.Refresh(ctx, tx, a.ID); err != nil {
			return err
		}
		if err := FlagDuplicates(ctx, tx, a.ID, now); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: "application.withdraw",
			ObjectType: "application", ObjectID: strconv.FormatInt(a.ID, 10)})
	})
}
