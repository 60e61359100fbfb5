package studio

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/account"
	"prizeportal/internal/authz"
	"prizeportal/internal/db"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
)

// blank is the definition a new edition starts from: one entity type, one project category with
// one criterion and a two-question form, its dates in the year 2000 (moved to the chosen year).
//
//go:embed blank.yaml
var blank []byte

// reservedSlugs are the addresses of the studio's own pages under /studio/, which an edition's
// address would shadow.
var reservedSlugs = []string{"new", "forms", "emails"}

// reservedSlug refuses an address taken by a page of the studio, suggesting one with the year.
func reservedSlug(slug string, year int) error {
	if slices.Contains(reservedSlugs, slug) {
		return &edition.ValidationError{Problems: []edition.Problem{{Path: "slug",
			Message: i18n.Msg("This address is taken by a page of the studio: choose another, such as {{.Slug}}.", "Slug", slug+"-"+strconv.Itoa(year))}}}
	}
	return nil
}

// slugFree refuses (ErrSlugTaken) an address another edition has.
func slugFree(ctx context.Context, tx pgx.Tx, slug string) error {
	var taken bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM editions WHERE slug = $1)`, slug).Scan(&taken); err != nil {
		return err
	}
	if taken {
		return ErrSlugTaken
	}
	return nil
}

// NewEdition is a new edition as a manager asks for it: a copy of an existing edition (From) or a
// blank one (From empty), with its own address, name and year.
type NewEdition struct {
	From string // the slug of the edition to copy; empty for a blank edition
	Slug string
	Name string
	// Years and Days move every date of the copy (DOMAIN.md "Schedule"); a copy defaults to one
	// year later. A blank edition's dates are set by Year.
	Years, Days int
	Year        int // the year of a blank edition; a copy's year is its source's plus Years
}

// Create makes a new draft edition: a copy of n.From (everything it defines, its dates moved by
// n.Years and n.Days, nothing of its entries) or a blank one, audited as "edition.copy" or
// "edition.create". Only a manager of n.From (or an admin) may copy it; any staff member the
// policy admits may start a blank one. A creator who is not an admin becomes the manager of the
// new edition. Problems with the address, name or year are a *edition.ValidationError at "slug",
// "name", "year"; an address in use is ErrSlugTaken.
func (s *Service) Create(ctx context.Context, by By, n NewEdition) (*edition.Edition, error) {
	n.Slug, n.Name = strings.TrimSpace(n.Slug), strings.TrimSpace(n.Name)
	src, action := blank, "edition.create"
	years := n.Year - 2000
	if n.From != "" {
		from, err := s.Managed(ctx, by.Actor, n.From)
		if err != nil {
			return nil, err
		}
		if src, err = edition.Source(ctx, s.Pool, from.Slug); err != nil {
			return nil, err
		}
		action, years, n.Year = "edition.copy", n.Years, from.Year+n.Years
	} else if !by.Actor.Has(authz.RoleAdmin, 0) && !by.Actor.HasAny(authz.RoleManager) {
		return nil, ErrNotManager
	}
	if err := reservedSlug(n.Slug, n.Year+years); err != nil {
		return nil, err
	}
	def, err := newDefinition(src, n, years)
	if err != nil {
		return nil, err
	}
	var created *edition.Edition
	err = db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		if err := slugFree(ctx, tx, def.Slug); err != nil {
			return err
		}
		details := map[string]any{"years": years, "days": n.Days}
		if n.From != "" {
			details["from"] = n.From
		}
		res, err := edition.Save(ctx, tx, def, edition.SaveAs{Actor: by.editionActor(), Action: action,
			Status: edition.StatusDraft, Details: details})
		if err != nil {
			return err
		}
		if !by.Actor.Has(authz.RoleAdmin, 0) {
			err := account.GrantRole(ctx, tx, by.Actor.UserID, authz.RoleManager, res.EditionID,
				account.By{UserID: by.Actor.UserID, Label: by.Label}, s.Now())
			if err != nil && !errors.Is(err, account.ErrRoleHeld) {
				return err
			}
		}
		created, err = edition.ByID(ctx, tx, res.EditionID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("studio: create %s: %w", n.Slug, err)
	}
	return created, nil
}

// newDefinition is src with n's address, name and year, its dates moved by years and n.Days,
// validated by the importer's validator.
func newDefinition(src []byte, n NewEdition, years int) (*edition.Definition, error) {
	was, err := edition.Parse(src)
	if was == nil {
		return nil, err
	}
	def, err := was.Clone()
	if err != nil {
		return nil, err
	}
	def.Slug, def.Name, def.Year = n.Slug, n.Name, n.Year
	def.Rewrite(was)
	moved, err := edition.Parse(def.Source())
	if moved == nil {
		return nil, err
	}
	if err := moved.Shift(years, n.Days); err != nil {
		return nil, err
	}
	if _, err := edition.Parse(moved.Source()); err != nil {
		return nil, err
	}
	return moved, nil
}

// Publish makes the draft edition slug visible to the public, applicants and its staff, audited as
// "edition.publish". version is the version the manager saw (ErrVersion when it changed since).
func (s *Service) Publish(ctx context.Context, by By, slug string, version int) error {
	err := db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		_, stored, err := edition.StoredTx(ctx, tx, slug)
		if err != nil {
			return err
		}
		e, err := edition.BySlug(ctx, tx, slug)
		switch {
		case err != nil:
			return err
		case !authz.CanManageEdition(by.Actor, e.ID):
			return ErrNotManager
		case stored != version:
			return ErrVersion
		case !e.Draft():
			return ErrPublished
		}
		if _, err := tx.Exec(ctx, `
			UPDATE editions SET status = 'published', published_at = $2, version = version + 1, updated_at = $2
			WHERE id = $1`, e.ID, s.Now()); err != nil {
			return err
		}
		return auditEdition(ctx, tx, by, "edition.publish", e.ID, map[string]any{"slug": slug, "version": version + 1})
	})
	if err != nil {
		return fmt.Errorf("studio: publish %s: %w", slug, err)
	}
	return nil
}
