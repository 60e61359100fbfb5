// Package studio is the edition studio: the organisers run their prize from the browser. Its
// managers (authz.CanManageEdition) list the editions with their stage, copy one into next year's
// draft, change what an edition holds with the importer's own validator (edition.Parse), see every
// change as a diff before and after it is made, and publish a draft. Every change is refused when
// it would harm the data already collected (safety.go), checked against the version the manager
// saw, and audited with its differences (DOMAIN.md "Editions are data").
package studio

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
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

// Service holds the edition studio's use cases.
type Service struct {
	usecase.Deps
}

// New is the edition studio on d.
func New(d usecase.Deps) *Service { return &Service{Deps: d} }

// Errors of the studio, with their messages for the manager.
var (
	// ErrVersion: the edition changed since the page was opened (two managers at once).
	ErrVersion = fault.New(fault.Conflict, "Someone else changed this edition after you opened this page. "+
		"Nothing was saved: open the page again to see their change, then make yours.")
	// ErrNotManager: the actor does not manage the edition.
	ErrNotManager = fault.New(fault.Forbidden, "Only the managers of this edition and administrators may change it.")
	// ErrPublished: publishing an edition that is already published.
	ErrPublished = fault.New(fault.Conflict, "This edition is already published.")
	// ErrSlugTaken: a copy or a new edition would take the address of an existing one.
	ErrSlugTaken = fault.New(fault.Conflict, "An edition with this address already exists: choose another.")
)

// By is who acts in the studio: the signed-in manager, and how the audit log names them.
type By struct {
	Actor authz.Actor
	Label string
}

func (b By) editionActor() edition.Actor {
	return edition.Actor{UserID: b.Actor.UserID, Label: b.Label}
}

// Stage is where an edition is in its year, for the list of editions.
type Stage string

// The stages of an edition (DOMAIN.md "Schedule").
const (
	StageDrafting  Stage = "Drafting"
	StageUpcoming  Stage = "Applications not open yet"
	StageOpen      Stage = "Open for applications"
	StageRound1    Stage = "Round 1: screening"
	StageRound2    Stage = "Round 2: evaluation"
	StageRound3    Stage = "Round 3: council vote"
	StageAnnounced Stage = "Winners announced"
	StageArchived  Stage = "Archived"
)

// stageTexts mark the stages as texts the pages translate where they show them.
var _ = []string{i18n.M(string(StageDrafting)), i18n.M(string(StageUpcoming)), i18n.M(string(StageOpen)),
	i18n.M(string(StageRound1)), i18n.M(string(StageRound2)), i18n.M(string(StageRound3)),
	i18n.M(string(StageAnnounced)), i18n.M(string(StageArchived))}

// StageAt is the stage of e at now; newer says a later edition has been published since (an
// announced edition is then archived).
func StageAt(e *edition.Edition, now time.Time, newer bool) Stage {
	s := e.Schedule
	switch {
	case e.Draft():
		return StageDrafting
	case now.Before(s.ApplicationsOpen):
		return StageUpcoming
	case now.Before(s.ApplicationDeadline):
		return StageOpen
	case now.Before(s.Scoring.Start):
		return StageRound1
	case now.Before(s.Voting.Start):
		return StageRound2
	case now.Before(s.WinnersAnnounced):
		return StageRound3
	case newer:
		return StageArchived
	}
	return StageAnnounced
}

// Row is one edition in the studio's list.
type Row struct {
	Edition *edition.Edition
	Stage   Stage
}

// List returns the editions actor manages (every edition for an administrator), the latest year
// first, each with its stage at now. The rule of authz.CanManageEdition is repeated in SQL: the
// query reads only the editions the actor holds the manager role in, unless they are an admin.
func (s *Service) List(ctx context.Context, actor authz.Actor) ([]Row, error) {
	admin := actor.Has(authz.RoleAdmin, 0)
	ids, err := db.List(ctx, s.Pool, "studio: editions", pgx.RowTo[int64], `
		SELECT e.id FROM editions e
		WHERE $1 OR EXISTS (SELECT 1 FROM role_grants g
			WHERE g.user_id = $2 AND g.role = 'manager' AND g.edition_id = e.id)
		ORDER BY e.year DESC, e.updated_at DESC, e.id DESC`, admin, actor.UserID)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	rows := make([]Row, 0, len(ids))
	newestPublished := 0
	for _, id := range ids {
		e, err := edition.ByID(ctx, s.Pool, id)
		if err != nil {
			return nil, err
		}
		rows = append(rows, Row{Edition: e})
		if !e.Draft() && e.Year > newestPublished {
			newestPublished = e.Year
		}
	}
	for i := range rows {
		rows[i].Stage = StageAt(rows[i].Edition, now, rows[i].Edition.Year < newestPublished)
	}
	return rows, nil
}

// Managed loads the edition with slug for actor: db.ErrNotFound when there is none, or when the
// actor does not manage it (a draft must not be revealed to others either).
func (s *Service) Managed(ctx context.Context, actor authz.Actor, slug string) (*edition.Edition, error) {
	// The studio edits the texts as written, whatever language its pages are shown in.
	e, err := edition.BySlug(edition.AsWritten(ctx), s.Pool, slug)
	if err != nil {
		return nil, err
	}
	if !authz.CanManageEdition(actor, e.ID) {
		return nil, fmt.Errorf("studio: %s is not managed by %d: %w", slug, actor.UserID, db.ErrNotFound)
	}
	return e, nil
}

// Definition is edition slug, managed by actor (see Managed), with the definition it was last
// stored from, as the studio's pages edit it.
func (s *Service) Definition(ctx context.Context, actor authz.Actor, slug string) (*edition.Edition, *edition.Definition, error) {
	e, err := s.Managed(ctx, actor, slug)
	if err != nil {
		return nil, nil, err
	}
	src, err := edition.Source(ctx, s.Pool, slug)
	if err != nil {
		return nil, nil, err
	}
	def, err := edition.Parse(src)
	if def == nil {
		return nil, nil, err
	}
	return e, def, nil
}

// Export is the YAML text of edition slug: the format of record, which `portal edition import`
// reads back to the same edition.
func (s *Service) Export(ctx context.Context, actor authz.Actor, slug string) ([]byte, error) {
	if _, err := s.Managed(ctx, actor, slug); err != nil {
		return nil, err
	}
	return edition.Source(ctx, s.Pool, slug)
}

// Change is one change to an edition, as a manager asks for it on a studio page.
type Change struct {
	Slug string
	// Version is the edition's version the page was rendered with: a change on an older version
	// is refused with ErrVersion.
	Version int
	// Reason is why the change is made; some changes require one (safety.go).
	Reason string
	// Edit makes the change on the stored definition; an error from it is returned as is.
	Edit func(*edition.Definition) error
	// File, when set instead of Edit, replaces the definition with this YAML text (an uploaded
	// file), kept as it is written.
	File []byte
	// DryRun checks the change and lists its differences without storing anything (the preview
	// of a change).
	DryRun bool
}

// Result is what a change did.
type Result struct {
	// Slug is the edition's address after the change (a draft's may change).
	Slug    string
	Version int
	Changes []edition.Difference
	// Notified is how many people were emailed about the change (applicants with drafts when
	// the deadline moves).
	Notified int
	// NeedsReason says the change is saved only with its reason (a dry run tells the review).
	NeedsReason bool
}

// MaxReason is the longest reason for a change, in bytes.
const MaxReason = 1000

// Change applies c to its edition in one transaction: the edition is locked, its version
// checked, c.Edit run on the stored definition, the result validated by the importer's validator
// (a *edition.ValidationError lists every problem with its path), checked against the data
// already collected (a *edition.ValidationError too, at the path of each refused value; see
// safety.go), stored, audited as "edition.change" with its differences and reason, and those it
// concerns emailed. A change that changes nothing stores nothing.
func (s *Service) Change(ctx context.Context, by By, c Change) (Result, error) {
	c.Reason = strings.TrimSpace(c.Reason)
	if len(c.Reason) > MaxReason {
		return Result{}, &edition.ValidationError{Problems: []edition.Problem{{Path: "reason",
			Message: i18n.Msg("Use at most {{.Max}} characters.", "Max", strconv.Itoa(MaxReason))}}}
	}
	var res Result
	err := db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		was, version, err := edition.StoredTx(ctx, tx, c.Slug)
		if err != nil {
			return err
		}
		old, err := edition.BySlug(ctx, tx, c.Slug)
		if err != nil {
			return err
		}
		if !authz.CanManageEdition(by.Actor, old.ID) {
			return ErrNotManager
		}
		if c.Version != version {
			return ErrVersion
		}
		checked, err := c.apply(was)
		if err != nil {
			return err
		}
		res.Changes = edition.Diff(was, checked)
		res.Version, res.Slug = version, c.Slug
		if len(res.Changes) == 0 {
			return nil
		}
		if checked.Slug != c.Slug {
			// A draft's address is free to change; a published edition's is public (its pages,
			// links in emails sent), so it stays: a copy gets a new one.
			if !old.Draft() {
				return &edition.ValidationError{Problems: []edition.Problem{{Path: "slug",
					Message: i18n.M("A published edition keeps its address: its pages and the links already sent use it. Copy the edition to give it a new one.")}}}
			}
			if err := reservedSlug(checked.Slug, checked.Year); err != nil {
				return err
			}
			if err := slugFree(ctx, tx, checked.Slug); err != nil {
				return &edition.ValidationError{Problems: []edition.Problem{{Path: "slug", Message: ErrSlugTaken.Error()}}}
			}
			if !c.DryRun {
				if _, err := tx.Exec(ctx, `UPDATE editions SET slug = $2 WHERE id = $1`, old.ID, checked.Slug); err != nil {
					return fmt.Errorf("rename: %w", err)
				}
			}
		}
		res.Slug = checked.Slug
		next, err := checked.Resolve()
		if err != nil {
			return err
		}
		next.ID = old.ID
		plan, err := s.check(ctx, tx, old, next, res.Changes)
		if err != nil {
			return err
		}
		res.NeedsReason = plan.needsReason
		if c.DryRun {
			return errDryRun
		}
		if plan.needsReason && c.Reason == "" {
			return plan.reasonProblem()
		}
		details := map[string]any{}
		if c.Reason != "" {
			details["reason"] = c.Reason
		}
		saved, err := edition.Save(ctx, tx, checked, edition.SaveAs{Actor: by.editionActor(),
			Action: "edition.change", Was: was, Details: details})
		if err != nil {
			return err
		}
		res.Version = saved.Version
		res.Notified, err = s.notify(ctx, tx, next, plan)
		return err
	})
	if errors.Is(err, errDryRun) {
		return res, nil
	}
	if err != nil {
		return Result{}, fmt.Errorf("studio: change %s: %w", c.Slug, err)
	}
	return res, nil
}

// apply is the definition c makes of was, read back as the importer reads a file: one validator
// for both.
func (c Change) apply(was *edition.Definition) (*edition.Definition, error) {
	if c.File != nil {
		return edition.Parse(c.File)
	}
	def, err := was.Clone()
	if err != nil {
		return nil, err
	}
	if err := c.Edit(def); err != nil {
		return nil, err
	}
	def.Rewrite(was)
	return edition.Parse(def.Source())
}

// errDryRun rolls back the transaction of a dry run.
var errDryRun = errors.New("studio: dry run")

func auditEdition(ctx context.Context, tx pgx.Tx, by By, action string, id int64, details map[string]any) error {
	return audit.Record(ctx, tx, audit.Entry{ActorID: by.Actor.UserID, ActorLabel: by.Label, Action: action,
		ObjectType: "edition", ObjectID: fmt.Sprint(id), Details: details})
}
