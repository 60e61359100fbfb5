package export

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/audit"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/db"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
)

// JobName is the notify.Job that produces exports (NewJob).
const JobName = "export"

// ErrUnavailable means an export the user may ask for cannot be produced yet; the fault's
// message says why (the scores sealed, no closed vote, round 2 not started).
var ErrUnavailable = errors.New("export: not available yet")

// Service holds the export use cases: asking for an export and downloading it.
type Service struct {
	usecase.Deps
}

// Allowed reports whether actor may ask for (and download) an export of kind in ed
// (authz.MayExport); every query of this package repeats it in SQL.
func Allowed(actor authz.Actor, ed *edition.Edition, kind Kind) bool {
	return authz.MayExport(actor, ed.ID, string(kind))
}

// ScopeFor is the entries an applications export of actor reads in ed: every submitted entry for
// the secretariat, the confirmed semi-finalists (as the dossiers) for the council.
func ScopeFor(actor authz.Actor, ed *edition.Edition) Scope {
	if actor.Has(authz.RoleSecretariat, ed.ID) {
		return AllEntries
	}
	return SemiFinalists
}

// Unavailable says why an export of kind that actor may ask for in ed cannot be produced yet
// ("" when it can): the scores are sealed until the committee head closes round 2 (DOMAIN.md
// "Round 2"), ballots stay secret until a vote closes ("Round 3"), and an evaluator's own export
// opens with round 2.
func Unavailable(ctx context.Context, q db.DBTX, actor authz.Actor, ed *edition.Edition, kind Kind, now time.Time) (string, error) {
	switch kind {
	case Scores:
		closed, _, err := ScoringClosed(ctx, q, ed.ID)
		if err != nil {
			return "", err
		}
		if !closed {
			return i18n.M("The scores are sealed until the committee head closes the scoring round."), nil
		}
	case Votes:
		cats, err := ClosedVotes(ctx, q, actor.UserID, ed.ID)
		if err != nil {
			return "", err
		}
		if len(cats) == 0 {
			return i18n.M("Ballots stay secret until the council's vote closes: no vote of this edition is closed yet."), nil
		}
	case Assigned:
		if now.Before(ed.Schedule.Scoring.Start) {
			return i18n.Msg("Available from the start of round 2, {{.When}}.", "When", i18n.Instant(ed.Schedule.Scoring.Start, ed.TimeZone)), nil
		}
	}
	return "", nil
}

// Offer is an export the exports page offers: its kind and why it is not available yet ("" when
// it is).
type Offer struct {
	Kind        Kind
	Unavailable string
}

// Page is what the exports page of an edition shows actor: the exports they may ask for, in the
// order of Kinds, and their latest exports of the edition (the newest first, at most limit).
type Page struct {
	Scope  Scope
	Offers []Offer
	Jobs   []Job
}

// Page loads the exports page of ed for actor (Allowed decides the offers).
func (s *Service) Page(ctx context.Context, actor authz.Actor, ed *edition.Edition, limit int) (Page, error) {
	p := Page{Scope: ScopeFor(actor, ed)}
	now := s.Now()
	for _, kind := range Kinds {
		if !Allowed(actor, ed, kind) {
			continue
		}
		why, err := Unavailable(ctx, s.Pool, actor, ed, kind, now)
		if err != nil {
			return Page{}, err
		}
		p.Offers = append(p.Offers, Offer{Kind: kind, Unavailable: why})
	}
	var err error
	if p.Jobs, err = List(ctx, s.Pool, actor.UserID, ed.ID, limit); err != nil {
		return Page{}, err
	}
	return p, nil
}

// Request asks for an export of kind in ed as actor: the kind must be one actor may ask for
// (Allowed: authz.ErrForbidden otherwise) and available now (a Conflict fault wrapping
// ErrUnavailable, with the reason, otherwise). The export_jobs row, its background job and the
// "export.request" audit entry are written in one transaction (ARCHITECTURE.md "Every write that
// matters is one transaction").
func (s *Service) Request(ctx context.Context, actor authz.Actor, ed *edition.Edition, kind Kind, opts Options) (Job, error) {
	if !Allowed(actor, ed, kind) {
		return Job{}, authz.ErrForbidden
	}
	now := s.Now()
	why, err := Unavailable(ctx, s.Pool, actor, ed, kind, now)
	if err != nil {
		return Job{}, err
	}
	if why != "" {
		return Job{}, fault.Wrap(fault.Conflict, why, ErrUnavailable)
	}
	if lang := i18n.Lang(ctx); lang != "en" {
		opts.Lang = lang // the workbook speaks the requester's language
	}
	var job Job
	err = db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		var err error
		if job, err = Create(ctx, tx, actor.UserID, ed.ID, kind, opts, now); err != nil {
			return err
		}
		if err := s.Outbox.QueueJob(ctx, tx, JobName, job.ID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: "export.request", ObjectType: "export",
			ObjectID: strconv.FormatInt(job.ID, 10),
			Details:  map[string]any{"edition": ed.ID, "kind": string(kind), "format": string(opts.Format), "anonymise": opts.Anonymise}})
	})
	if err != nil {
		return Job{}, fmt.Errorf("export: request: %w", err)
	}
	return job, nil
}

// Own loads export id of actor with its edition: db.ErrNotFound for anyone but its requester
// (filtered in SQL).
func (s *Service) Own(ctx context.Context, actor authz.Actor, id int64) (Job, *edition.Edition, error) {
	j, err := Get(ctx, s.Pool, actor.UserID, id)
	if err != nil {
		return Job{}, nil, err
	}
	ed, err := edition.ByID(ctx, s.Pool, j.EditionID)
	if err != nil {
		return Job{}, nil, err
	}
	return j, ed, nil
}

// Download hands actor their ready export id and records the "export.download" audit entry: its
// requester only (db.ErrNotFound for anyone else), while they still hold a role that allows it
// (Allowed: authz.ErrForbidden), once it is done (db.ErrNotFound before).
func (s *Service) Download(ctx context.Context, actor authz.Actor, id int64) (Job, error) {
	j, ed, err := s.Own(ctx, actor, id)
	if err != nil {
		return Job{}, err
	}
	if !Allowed(actor, ed, j.Kind) {
		return Job{}, authz.ErrForbidden
	}
	if j.Status != Done {
		return Job{}, fmt.Errorf("export: download %d: not ready: %w", id, db.ErrNotFound)
	}
	if err := audit.Record(ctx, s.Pool, audit.Entry{ActorID: actor.UserID, Action: "export.download", ObjectType: "export",
		ObjectID: strconv.FormatInt(j.ID, 10), Details: map[string]any{"edition": ed.ID, "kind": string(j.Kind)}}); err != nil {
		return Job{}, fmt.Errorf("export: download: %w", err)
	}
	return j, nil
}
