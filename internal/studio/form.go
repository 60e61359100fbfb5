package studio

import (
	"context"
	"errors"
	"fmt"

	"prizeportal/internal/blocks/form"
	"prizeportal/internal/db"
	"prizeportal/internal/edition"
)

// ChangeForm is one action of the form builder: edit changes the application form of category
// of edition slug (with the operations of internal/blocks/form), and the edition is changed as
// Change changes it: checked against version (the version the page was rendered with), validated
// by the importer's validator (form.Check among it), refused when it would harm the answers
// already collected (a question with answers cannot go), stored, versioned and audited with its
// differences. An unknown category, or a section or question edit does not find, is
// db.ErrNotFound; the other errors of edit (such as form.ErrDuplicateKey) are returned wrapped.
func (s *Service) ChangeForm(ctx context.Context, by By, slug string, version int, category string, edit func(*form.Form) error) (Result, error) {
	return s.Change(ctx, by, Change{Slug: slug, Version: version, Edit: func(d *edition.Definition) error {
		for i := range d.Categories {
			if c := &d.Categories[i]; c.Key == category && c.Form != nil {
				err := edit(c.Form)
				if errors.Is(err, form.ErrNoSuchItem) {
					return fmt.Errorf("%w: %w", db.ErrNotFound, err)
				}
				return err
			}
		}
		return fmt.Errorf("no form of category %q: %w", category, db.ErrNotFound)
	}})
}
