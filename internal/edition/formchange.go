package edition

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/form"
	"prizeportal/internal/db"
)

// ChangeForm is the form builder's save: it changes the application form of category of
// edition slug with change and stores the edition again the way an import does (ImportAs, with
// its audit entry), so that a form changed in the browser is checked by the very validator of
// the edition file (Parse and Resolve, form.Check among them; "Editions are data" in the
// architecture). Only the edition's managers and the administrators may change it
// (authz.CanManageEdition). The edition is read back from the YAML it was last stored from;
// the stored YAML becomes the changed definition written out in full.
//
// An invalid result gives a *ValidationError whose paths name the whole file
// ("categories[1].form.sections[0].questions[2].max_words"), nothing stored; an unknown
// edition, category or form item gives db.ErrNotFound, and the other errors of change (such as
// form.ErrDuplicateKey) are returned wrapped. change works on a copy: the form is
// changed only when everything is valid.
func ChangeForm(ctx context.Context, pool *pgxpool.Pool, actor authz.Actor, slug, category string, change func(*form.Form) error) (*Edition, error) {
	ed, err := BySlug(ctx, pool, slug)
	if err != nil {
		return nil, fmt.Errorf("edition: change form: %w", err)
	}
	if !authz.CanManageEdition(actor, ed.ID) {
		return nil, authz.ErrForbidden
	}
	src, err := Source(ctx, pool, slug)
	if err != nil {
		return nil, err
	}
	def, err := Parse(src)
	if err != nil {
		return nil, fmt.Errorf("edition: change form: the stored definition of %s: %w", slug, err)
	}
	var cat *CategoryDef
	for i := range def.Categories {
		if def.Categories[i].Key == category {
			cat = &def.Categories[i]
		}
	}
	if cat == nil || cat.Form == nil {
		return nil, fmt.Errorf("edition: change form: category %q of %s: %w", category, slug, db.ErrNotFound)
	}
	f := cat.Form.Clone()
	if err := change(f); errors.Is(err, form.ErrNoSuchItem) {
		return nil, fmt.Errorf("edition: change form: %w: %w", db.ErrNotFound, err)
	} else if err != nil {
		return nil, fmt.Errorf("edition: change form: %w", err)
	}
	cat.Form = f
	// The file as read no longer says what the definition holds: Source writes it out anew.
	def.source, def.nodes, def.decoded = nil, nil, nil
	if _, err := ImportAs(ctx, pool, def, Actor{UserID: actor.UserID, Label: actor.Name}); err != nil {
		return nil, err
	}
	return BySlug(ctx, pool, slug)
}
