// Package dashboard loads what a signed-in user's dashboard shows: their account and, per role
// they hold, the edition it is in and what waits for them there (DOMAIN.md "Registration"; the
// entrant's news from rounds 1 and 3). It only reads; each part comes from its domain.
package dashboard

import (
	"cmp"
	"context"
	"errors"
	"log/slog"
	"slices"
	"time"

	"prizeportal/internal/account"
	"prizeportal/internal/application"
	"prizeportal/internal/authz"
	"prizeportal/internal/award"
	"prizeportal/internal/ballot"
	"prizeportal/internal/clarify"
	"prizeportal/internal/db"
	"prizeportal/internal/deputy"
	"prizeportal/internal/edition"
	"prizeportal/internal/ranking"
	"prizeportal/internal/results"
	"prizeportal/internal/screening"
)

// Page is the dashboard of one user.
type Page struct {
	User  account.User
	Cards []Card
	// Entries are the applicant's project entries, the latest edition first, each with its
	// edition: the earlier editions' entries are read-only (application.Application.Past).
	Entries []Entry
	// Offered is the edition in which the entrant may start a new entry now (a returning
	// participant; account.EntryEdition), nil when none.
	Offered *edition.Edition
}

// Entry is one of the applicant's project entries with its edition.
type Entry struct {
	App     application.Application
	Edition *edition.Edition
}

// Card is one role the user holds, in its edition.
type Card struct {
	Role    authz.Role
	Edition *edition.Edition // nil for admins
	// Application is the applicant's application in Edition (nil when they have none there).
	Application *application.Application
	// CategoryID is the category the entrant registered for in Edition (0 for staff).
	CategoryID int64
	// The entrant's news (applicants and nominators only): first-place awards waiting for the
	// attendance answer (DOMAIN.md "Round 3": first-place winners must attend the ceremony),
	// clarifications waiting for an answer (DOMAIN.md "Round 1"), and, once the winners are
	// announced, the user's current awards.
	Attendance         []award.Award
	OpenClarifications int
	Announced          bool
	Awards             []results.Award
	// ClosedVotes are the categories whose vote the chair has closed (a council member's card:
	// their result protocols; DOMAIN.md "Round 3").
	ClosedVotes []int64
	// Deputised are the categories where an evaluator, the deputy head, decides for the
	// semi-finalists in the head's place (the head is conflicted with one of their entries:
	// internal/deputy).
	Deputised []int64
}

// Load is the dashboard of actor at now, each edition loaded once. The entrant's news is a
// courtesy: a failure to read it is logged to log and the card shown without it.
func Load(ctx context.Context, q db.DBTX, actor authz.Actor, now time.Time, log *slog.Logger) (Page, error) {
	u, err := account.ByID(ctx, q, actor.UserID)
	if err != nil {
		return Page{}, err
	}
	p := Page{User: u}
	apps := map[int64]*application.Application{}
	if actor.HasAny(authz.RoleApplicant) {
		if a, err := application.Load(ctx, q, u.ID); err == nil {
			apps[a.EditionID] = &a
		} else if !errors.Is(err, db.ErrNotFound) {
			log.Error("dashboard: load application", "err", err)
		}
		if err := p.entries(ctx, q, u.ID, apps); err != nil {
			log.Error("dashboard: entries", "err", err)
		}
	}
	categories := map[int64]int64{}
	if actor.HasAny(authz.RoleApplicant) || actor.HasAny(authz.RoleNominator) {
		regs, err := account.Registrations(ctx, q, u.ID)
		if err != nil {
			return Page{}, err
		}
		for _, r := range regs {
			categories[r.EditionID] = r.CategoryID
		}
		if p.Offered, err = account.EntryEdition(ctx, q, u.ID, now); err != nil && !errors.Is(err, db.ErrNotFound) {
			return Page{}, err
		}
	}
	editions := map[int64]*edition.Edition{}
	for _, g := range actor.Grants {
		if g.Role == authz.RoleAdmin {
			p.Cards = append(p.Cards, Card{Role: g.Role})
			continue
		}
		e, ok := editions[g.EditionID]
		if !ok {
			if e, err = edition.ByID(ctx, q, g.EditionID); err != nil {
				return Page{}, err
			}
			editions[g.EditionID] = e
		}
		c := Card{Role: g.Role, Edition: e, CategoryID: categories[e.ID]}
		if g.Role == authz.RoleApplicant {
			c.Application = apps[e.ID]
		}
		if g.Role == authz.RoleApplicant || g.Role == authz.RoleNominator {
			c.news(ctx, q, u.ID, now, log)
		}
		if g.Role == authz.RoleCouncil {
			if c.ClosedVotes, err = ballot.ClosedCategories(ctx, q, e.ID, u.ID); err != nil {
				return Page{}, err
			}
		}
		if g.Role == authz.RoleEvaluator && !actor.Has(authz.RoleCommitteeHead, e.ID) {
			if c.Deputised, err = deputy.Decided(ctx, q, e.ID, authz.PostHead, u.ID); err != nil {
				return Page{}, err
			}
		}
		p.Cards = append(p.Cards, c)
	}
	return p, nil
}

// entries loads the applicant's saved project entries of every edition into p and apps (by
// edition), keeping an unsaved draft of the latest edition already in apps.
func (p *Page) entries(ctx context.Context, q db.DBTX, user int64, apps map[int64]*application.Application) error {
	list, err := application.Projects(ctx, q, user)
	if err != nil {
		return err
	}
	for i := range list {
		a := &list[i]
		apps[a.EditionID] = a
	}
	for _, a := range apps {
		e, err := edition.ByID(ctx, q, a.EditionID)
		if err != nil {
			return err
		}
		p.Entries = append(p.Entries, Entry{App: *a, Edition: e})
	}
	slices.SortFunc(p.Entries, func(x, y Entry) int {
		return cmp.Or(cmp.Compare(y.Edition.Year, x.Edition.Year), cmp.Compare(y.Edition.ID, x.Edition.ID))
	})
	return nil
}

// news loads the entrant's news of user into c, logging what fails.
func (c *Card) news(ctx context.Context, q db.DBTX, user int64, now time.Time, log *slog.Logger) {
	var err error
	if c.Attendance, err = award.Due(ctx, q, user, c.Edition, now); err != nil {
		log.Error("dashboard: awaiting attendance", "err", err)
	}
	if c.OpenClarifications, err = clarify.OpenCount(ctx, q, user, c.Edition.ID, now); err != nil {
		log.Error("dashboard: open clarifications", "err", err)
	}
	if c.Announced = results.Announced(c.Edition, now); c.Announced {
		if c.Awards, err = results.OwnAwards(ctx, q, user, c.Edition.ID); err != nil {
			log.Error("dashboard: awards", "err", err)
		}
	}
}

// Outcomes is what the rounds recorded about application id of edition editionID, for its
// status timeline (application.Timeline; none for an application not saved yet): round 1's
// outcome, its closing and first clarification (DOMAIN.md "Round 1"), round 2's semi-finalists
// ("Round 2"), round 3's winners ("Round 3"), and the edition's announcements passed as they
// came (edition.MilestonesReached). Each part comes from its domain.
func Outcomes(ctx context.Context, q db.DBTX, editionID, id int64) (application.Outcomes, error) {
	var (
		o   application.Outcomes
		err error
	)
	if id == 0 {
		return o, nil
	}
	if o.Reached, err = edition.MilestonesReached(ctx, q, editionID); err != nil {
		return o, err
	}
	if o.ScreeningClosed, err = screening.ClosedAt(ctx, q, editionID); err != nil {
		return o, err
	}
	if o.Eligible, err = screening.Outcome(ctx, q, id); err != nil {
		return o, err
	}
	if o.ClarificationRequested, err = clarify.FirstAsked(ctx, q, id); err != nil {
		return o, err
	}
	if o.SemiFinalist, err = ranking.Outcome(ctx, q, id); err != nil {
		return o, err
	}
	o.Winner, o.Prize, err = results.Outcome(ctx, q, id)
	return o, err
}
