package nomination

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/account"
	"prizeportal/internal/application"
	"prizeportal/internal/audit"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/blocks/link"
	"prizeportal/internal/blocks/timefmt"
	"prizeportal/internal/db"
	"prizeportal/internal/edition"
)

// ErrNominationsClosed means the deadline for nominations (the edition's application deadline)
// has passed: no new nomination can be made.
var ErrNominationsClosed = fault.New(fault.Forbidden, "The deadline for nominations has passed: no new nomination can be made.")

// Create makes a nomination by actor, a nominator registered for the Leadership category cat of
// ed, with the declared facts d (DOMAIN.md "Leadership nominations"): before the application
// deadline (ErrNominationsClosed), d valid against the category's rules (field.Errors; a third
// party's nominator names their category of eligible nominators), and at most one
// self-nomination per person (ErrSelfNominated). The audit log records it. It returns the new
// nomination's id; its Leadership Application Form starts empty.
func (s *Service) Create(ctx context.Context, actor authz.Actor, ed *edition.Edition, cat *edition.Category, d Details) (int64, error) {
	now := s.Now()
	if !now.Before(ed.Schedule.ApplicationDeadline) {
		return 0, fault.Wrap(fault.Forbidden, "The deadline for nominations passed on "+
			timefmt.Deadline(ed.Schedule.ApplicationDeadline, ed.TimeZone)+": no new nomination can be made.", ErrNominationsClosed)
	}
	if errs := d.Validate(cat.Nominations); errs.Any() {
		return 0, errs
	}
	var id int64
	err := db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		var err error
		if id, err = Create(ctx, tx, actor.UserID, ed.ID, cat.ID, d, now); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: "nomination.create", ObjectType: "application",
			ObjectID: strconv.FormatInt(id, 10), Details: map[string]any{"self": d.Self}})
	})
	return id, err
}

// UpdateDetails changes the declared facts of actor's nomination a (loaded with the owner
// filter) to d, under the rules of its category cat of ed: before the nomination's deadline
// (application.ErrClosed, with the entry's ClosedNotice), d valid (field.Errors), one self-nomination per person
// (ErrSelfNominated). Changing the candidate's email address withdraws their consent, which must
// then be asked again (DOMAIN.md "Leadership nominations": a nomination needs the candidate's
// permission). The audit log records it. It reports whether the consent was reset.
func (s *Service) UpdateDetails(ctx context.Context, actor authz.Actor, a application.Application, ed *edition.Edition, cat *edition.Category, d Details) (bool, error) {
	now := s.Now()
	if e := (application.Entry{App: a, Edition: ed}); !e.Open(now) {
		return false, e.Closed()
	}
	if errs := d.Validate(cat.Nominations); errs.Any() {
		return false, errs
	}
	var reset bool
	err := db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		var err error
		if reset, err = Update(ctx, tx, actor.UserID, a.ID, d, now); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: "nomination.update", ObjectType: "application",
			ObjectID: strconv.FormatInt(a.ID, 10), Details: map[string]any{"consent_reset": reset}})
	})
	return reset, err
}

// AskConsent emails the candidate of actor's nomination n (application a, in category cat of ed)
// a private link to consent to the nomination or decline it, valid until the letter deadline;
// asking again sends a new link and earlier ones stop working (DOMAIN.md "Leadership
// nominations": a nomination needs the candidate's permission). Until the nomination's deadline
// (application.ErrClosed, with the entry's ClosedNotice). After the candidate declined only the
// secretariat may ask again (ErrConsentDeclined); a self-nomination or a given consent needs no
// asking (fault.Conflict wrapping db.ErrConflict, saying which).
// The email counts against the nominator's email limits (*EmailLimitError, nothing sent). The
// request, the link, the audit entry and the email are one transaction.
func (s *Service) AskConsent(ctx context.Context, actor authz.Actor, a application.Application, ed *edition.Edition, cat *edition.Category, n *Nomination) error {
	now := s.Now()
	switch e := (application.Entry{App: a, Edition: ed}); {
	case n.Self:
		return fault.Wrap(fault.Conflict, "A self-nomination needs no consent.", db.ErrConflict)
	case n.Consent == ConsentGiven:
		return fault.Wrap(fault.Conflict, "The candidate has already consented.", db.ErrConflict)
	case !e.Open(now):
		return e.Closed()
	}
	return db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		if err := RequestConsent(ctx, tx, actor.UserID, a.ID, now); err != nil {
			return err
		}
		if err := TakeEmail(ctx, tx, actor.UserID, a.ID, n.CandidateEmail, now); err != nil {
			return err
		}
		if err := link.Withdraw(ctx, tx, LinkConsent, a.ID, now); err != nil {
			return err
		}
		token, err := link.New(ctx, tx, LinkConsent, a.ID, cat.Nominations.LetterDeadline, now)
		if err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: "nomination.consent_request",
			ObjectType: "application", ObjectID: strconv.FormatInt(a.ID, 10)}); err != nil {
			return err
		}
		_, err = s.Outbox.Queue(ctx, tx, s.ConsentEmail(ed, cat, n, token))
		return err
	})
}

// Nominator is a nominator's account with the edition and Leadership category they registered
// for (DOMAIN.md "Leadership nominations": nominators register for the Leadership category).
type Nominator struct {
	User     account.User
	Edition  *edition.Edition
	Category *edition.Category
}

// Open reports whether new nominations may be made at now: before the edition's application
// deadline (DOMAIN.md "Leadership nominations").
func (n *Nominator) Open(now time.Time) bool {
	return now.Before(n.Edition.Schedule.ApplicationDeadline)
}

// Nominator loads account owner as a nominator in the latest edition it registered for;
// db.ErrNotFound for an account registered there for no Leadership category with a form.
func (s *Service) Nominator(ctx context.Context, owner int64) (*Nominator, error) {
	u, err := account.ByID(ctx, s.Pool, owner)
	if err != nil {
		return nil, err
	}
	regs, err := account.Registrations(ctx, s.Pool, owner)
	if err != nil {
		return nil, err
	}
	if len(regs) == 0 {
		return nil, db.ErrNotFound
	}
	ed, err := edition.ByID(ctx, s.Pool, regs[0].EditionID)
	if err != nil {
		return nil, err
	}
	if c := Leadership(ed, regs[0].CategoryID); c != nil && c.Form != nil {
		return &Nominator{User: u, Edition: ed, Category: c}, nil
	}
	return nil, db.ErrNotFound
}

// Nominations loads nominator owner with their nominations in the latest edition they registered for.
func (s *Service) Nominations(ctx context.Context, owner int64) (*Nominator, []Nomination, error) {
	who, err := s.Nominator(ctx, owner)
	if err != nil {
		return nil, nil, err
	}
	list, err := List(ctx, s.Pool, owner)
	if err != nil {
		return nil, nil, err
	}
	return who, slices.DeleteFunc(list, func(n Nomination) bool { return n.EditionID != who.Edition.ID }), nil
}
