package studio

import (
	"context"
	"fmt"
	"strings"

	"prizeportal/internal/db"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
)

// Translations: the managers of an edition translate its texts into the portal's other
// languages, side by side with the texts as written (DOMAIN.md: the prize runs in Korean and
// English). A translation is a change of the edition like any other (Change): checked against
// the version the manager saw, validated by the importer's validator, stored in the edition's
// file and audited with its differences.

// Translation is one text of an edition with its translation into a language ("" when missing).
type Translation struct {
	Text, Translation string
}

// TranslationsOf lists every text of e (Edition.Texts) with its translation into lang, the texts
// still missing a translation first, each part in the order of the file; missing counts them.
func TranslationsOf(e *edition.Edition, lang string) (list []Translation, missing int) {
	var done []Translation
	for _, t := range e.Texts() {
		if tr, ok := e.Translation(lang, t); ok {
			done = append(done, Translation{Text: t, Translation: tr})
			continue
		}
		list = append(list, Translation{Text: t})
	}
	missing = len(list)
	return append(list, done...), missing
}

// Translate sets the translations of edition slug into lang as texts gives them (text as
// written -> translation; an empty translation removes it, a text not listed keeps its own),
// as a Change on the version the manager saw, and drops the language's stale translations
// (edition.Definition.StaleTranslations: of texts changed or removed since). The edition's own language and languages the
// portal does not offer are refused.
func (s *Service) Translate(ctx context.Context, by By, slug string, version int, lang string, texts map[string]string) (Result, error) {
	if !i18n.Supported(lang) || lang == i18n.Pseudo {
		return Result{}, fmt.Errorf("studio: translate %s into %q: no such language: %w", slug, lang, db.ErrNotFound)
	}
	return s.Change(ctx, by, Change{Slug: slug, Version: version, Edit: func(d *edition.Definition) error {
		if d.Language == lang || (d.Language == "" && lang == edition.DefaultLanguage) {
			return fmt.Errorf("studio: %s is written in %q, not translated into it: %w", slug, lang, db.ErrNotFound)
		}
		m := d.Translations[lang]
		if m == nil {
			m = map[string]string{}
		}
		for _, old := range d.StaleTranslations(lang) {
			delete(m, old)
		}
		for text, tr := range texts {
			if tr = strings.TrimSpace(tr); tr == "" {
				delete(m, text)
			} else {
				m[text] = tr
			}
		}
		if d.Translations == nil {
			d.Translations = map[string]map[string]string{}
		}
		if len(m) == 0 {
			delete(d.Translations, lang)
		} else {
			d.Translations[lang] = m
		}
		return nil
	}})
}
