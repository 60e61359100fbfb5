package edition

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"prizeportal/internal/i18n"
)

// Edition content in several languages: every text of an edition people read (its name,
// categories, descriptions, questions, help, options, criteria, indicators, prizes and terms) may
// have a translation per language, written in the definition's translations block keyed by the
// text itself. A page is given the edition in its reader's language (load, in store.go): a copy
// with every text replaced by its translation, falling back to the edition's own text. Keys,
// option keys, ids and every value compared or stored stay as they are, and answers are stored
// as the applicant typed them, in the edition's language (DOMAIN.md: the prize runs in Korean
// and English).

// DefaultLanguage is the language of an edition whose definition names none.
const DefaultLanguage = "en"

// eachText calls f with every text of e people read, in the order of the file. Special mention
// names are left out: they are the values the secretariat's choices post and store.
func (e *Edition) eachText(f func(*string)) {
	f(&e.Name)
	f(&e.Theme)
	f(&e.Intro)
	for i := range e.EntityTypes {
		t := &e.EntityTypes[i]
		f(&t.Name)
		f(&t.Description)
	}
	for i := range e.Categories {
		c := &e.Categories[i]
		f(&c.Name)
		f(&c.Description)
		f(&c.CoreValue)
		for j := range c.Prizes {
			f(&c.Prizes[j].Name)
		}
		for j := range c.Criteria {
			cr := &c.Criteria[j]
			f(&cr.Name)
			f(&cr.Description)
			for k := range cr.Indicators {
				f(&cr.Indicators[k].Name)
			}
		}
		if c.Nominations != nil {
			for j := range c.Nominations.NominatorCategories {
				f(&c.Nominations.NominatorCategories[j].Name)
			}
		}
		if c.Form != nil {
			f(&c.Form.Intro)
			for j := range c.Form.Sections {
				s := &c.Form.Sections[j]
				f(&s.Title)
				f(&s.Intro)
				for k := range s.Questions {
					q := &s.Questions[k]
					f(&q.Label)
					f(&q.Help)
					f(&q.RowLabel)
					for o := range q.Options {
						f(&q.Options[o].Label)
					}
					for col := range q.Columns {
						f(&q.Columns[col].Label)
						for o := range q.Columns[col].Options {
							f(&q.Columns[col].Options[o].Label)
						}
					}
				}
			}
		}
	}
	f(&e.SpecialMentions.Description)
	for i := range e.SpecialMentions.Awards {
		f(&e.SpecialMentions.Awards[i].Description)
	}
	f(&e.Terms)
}

// Texts lists every text of e a translation may replace, each once, in the order of the file.
func (e *Edition) Texts() []string {
	var out []string
	seen := map[string]bool{}
	e.eachText(func(s *string) {
		t := strings.TrimSpace(*s)
		if t != "" && !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	})
	return out
}

// Missing lists the texts of e that have no translation into lang, in the order of the file.
func (e *Edition) Missing(lang string) []string {
	var out []string
	for _, t := range e.Texts() {
		if _, ok := e.Translations[lang][t]; !ok {
			out = append(out, t)
		}
	}
	return out
}

// Translation is the translation of text into lang, and whether the edition has one.
func (e *Edition) Translation(lang, text string) (string, bool) {
	s, ok := e.Translations[lang][strings.TrimSpace(text)]
	return s, ok
}

// In is e as readers of lang see it: a copy with every text replaced by its translation (a text
// without one stays the edition's own). e itself is returned when lang is the edition's language
// or has no translations. Keys, ids and option keys are untouched.
func (e *Edition) In(lang string) *Edition {
	tr := e.Translations[lang]
	if lang == e.Language || len(tr) == 0 {
		return e
	}
	c := *e
	c.EntityTypes = slices.Clone(e.EntityTypes)
	c.Categories = slices.Clone(e.Categories)
	for i := range c.Categories {
		cat := &c.Categories[i]
		cat.Prizes = slices.Clone(cat.Prizes)
		cat.Criteria = slices.Clone(cat.Criteria)
		for j := range cat.Criteria {
			cat.Criteria[j].Indicators = slices.Clone(cat.Criteria[j].Indicators)
		}
		if cat.Nominations != nil {
			n := *cat.Nominations
			n.NominatorCategories = slices.Clone(n.NominatorCategories)
			cat.Nominations = &n
		}
		cat.Form = cat.Form.Clone()
	}
	c.SpecialMentions.Awards = slices.Clone(e.SpecialMentions.Awards)
	c.eachText(func(s *string) {
		if t, ok := tr[strings.TrimSpace(*s)]; ok && t != "" {
			*s = t
		}
	})
	return &c
}

// checkTranslations reports what is wrong with the translations block of d for the edition e it
// describes: a language the portal does not offer, the edition's own language, an empty
// translation. It returns the translations with their keys trimmed, without the stale ones:
// translations of texts the edition no longer has (changed or removed since), which are kept in
// the file but not shown (StaleTranslations lists them, the studio drops them at its next save of
// the language), so that changing a text never fails on its old translation.
func checkTranslations(d *Definition, e *Edition, add func(path, msg string)) map[string]map[string]string {
	if len(d.Translations) == 0 {
		return nil
	}
	texts := map[string]bool{}
	for _, t := range e.Texts() {
		texts[t] = true
	}
	out := map[string]map[string]string{}
	for _, lang := range slices.Sorted(maps.Keys(d.Translations)) {
		p := "translations." + lang
		switch {
		case !i18n.Supported(lang) || lang == i18n.Pseudo:
			add(p, i18n.Msg("unknown language {{.Value}}: the portal offers {{.Languages}}", "Value", strconv.Quote(lang), "Languages", offered()))
			continue
		case lang == e.Language:
			add(p, i18n.Msg("is the edition's own language ({{.Value}}): its texts need no translation", "Value", strconv.Quote(lang)))
			continue
		}
		m := map[string]string{}
		for _, src := range slices.Sorted(maps.Keys(d.Translations[lang])) {
			tr := strings.TrimSpace(d.Translations[lang][src])
			key := strings.TrimSpace(src)
			switch {
			case tr == "":
				add(p+"."+src, i18n.M("the translation is empty: remove it to show the edition's own text"))

			case texts[key]:
				m[key] = tr
			}
		}
		if len(m) > 0 {
			out[lang] = m
		}
	}
	return out
}

// StaleTranslations lists, for lang, the texts d translates that are no longer texts of the
// edition (changed or removed since they were translated): their translations are not shown.
// A definition that does not validate has none.
func (d *Definition) StaleTranslations(lang string) []string {
	e, err := d.Resolve()
	if err != nil {
		return nil
	}
	var out []string
	for _, src := range slices.Sorted(maps.Keys(d.Translations[lang])) {
		if _, ok := e.Translations[lang][strings.TrimSpace(src)]; !ok {
			out = append(out, src)
		}
	}
	return out
}

// offered lists the languages the portal offers, quoted.
func offered() string {
	var codes []string
	for _, l := range i18n.Languages() {
		codes = append(codes, fmt.Sprintf("%q", l.Code))
	}
	return strings.Join(codes, ", ")
}

type asWrittenKey struct{}

// AsWritten is ctx telling the loaders to return editions as written, untranslated, whatever the
// reader's language (the edition studio edits the texts themselves).
func AsWritten(ctx context.Context) context.Context {
	return context.WithValue(ctx, asWrittenKey{}, true)
}

// readerLanguage is the language ctx's pages are shown in, "" for editions as written.
func readerLanguage(ctx context.Context) string {
	if w, _ := ctx.Value(asWrittenKey{}).(bool); w {
		return ""
	}
	return i18n.Lang(ctx)
}
