package views

import (
	"strconv"
	"strings"

	"prizeportal/internal/blocks/field"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/internal/studio"
	"prizeportal/web/components"
	"prizeportal/web/pages"
)

// languageNames are the portal's languages as the studio names them, in the reader's language.
var languageNames = map[string]string{
	"en": i18n.M("English"),
	"ko": i18n.M("Korean"),
}

// LanguageName is the name of language code, to translate where it is shown; the code itself
// for a language without one.
func LanguageName(code string) string {
	if n, ok := languageNames[code]; ok {
		return n
	}
	return code
}

// StudioTranslationsHref is the studio page of the translations of edition slug into lang.
func StudioTranslationsHref(slug, lang string) string {
	return StudioHref(slug) + "/translations/" + lang
}

// StudioTranslationLinks are the links of an edition's studio page to its translations, one per
// language the portal offers besides the edition's own, each with what it still lacks.
func StudioTranslationLinks(e *edition.Edition) []pages.StudioLink {
	var out []pages.StudioLink
	total := len(e.Texts())
	for _, l := range i18n.Languages() {
		if l.Code == e.Language {
			continue
		}
		missing := len(e.Missing(l.Code))
		out = append(out, pages.StudioLink{
			Label: i18n.Msg("Texts in {{.Language}}", "Language", LanguageName(l.Code)),
			Href:  StudioTranslationsHref(e.Slug, l.Code),
			Hint:  lackHint(missing, total, l.Code),
		})
	}
	return out
}

// lackHint says how many of the edition's texts lack a translation into lang.
func lackHint(missing, total int, lang string) string {
	if missing == 0 {
		return i18n.Msg("every text is translated into {{.Language}}", "Language", LanguageName(lang))
	}
	if missing == 1 {
		return i18n.Msg("1 of {{.Total}} texts lacks {{.Language}}", "Total", total, "Language", LanguageName(lang))
	}
	return i18n.Msg("{{.Missing}} of {{.Total}} texts lack {{.Language}}", "Missing", missing, "Total", total,
		"Language", LanguageName(lang))
}

// TranslationField is the name of the field of the i-th text's translation; the text itself is
// posted with it under SourceField(i).
func TranslationField(i int) string { return "tr-" + strconv.Itoa(i) }

// SourceField is the name of the hidden field carrying the i-th text as written.
func SourceField(i int) string { return "src-" + strconv.Itoa(i) }

// StudioTranslations is the page of the translations of e into lang: every text as written with
// its translation beside it, the missing ones first, and how many translations of def no longer
// match a text. posted, when set, are the translations as posted (shown again with errs).
func StudioTranslations(page components.Page, e *edition.Edition, def *edition.Definition, lang string, posted map[string]string, errs field.Errors) pages.StudioTranslationsView {
	list, missing := studio.TranslationsOf(e, lang)
	name := LanguageName(lang)
	v := pages.StudioTranslationsView{Page: page, Back: StudioHref(e.Slug), Edition: e.Name, Language: name,
		Lang: lang, SourceLang: e.Language, Action: StudioTranslationsHref(e.Slug, lang),
		Version: strconv.Itoa(e.Version), Summary: lackHint(missing, len(list), lang), Errors: errs,
		Missing: missing}
	if n := len(def.StaleTranslations(lang)); n > 0 {
		v.Stale = i18n.Msg("Translations of texts the edition no longer has (changed or removed since): {{.Count}}. They are not shown, and saving this page removes them.", "Count", n)
	}
	for i, t := range list {
		tr := t.Translation
		if p, ok := posted[t.Text]; ok {
			tr = p
		}
		v.Items = append(v.Items, pages.StudioTranslationItem{
			Field: TranslationField(i), Source: SourceField(i), Text: t.Text,
			Paragraphs: strings.Split(t.Text, "\n\n"), Translation: tr, Rows: rowsFor(t.Text),
			Error: errs.Get(TranslationField(i)), Number: strconv.Itoa(i + 1),
		})
	}
	return v
}

// rowsFor is the height of a translation's box: about the lines of its text, 2 to 12.
func rowsFor(text string) string {
	lines := strings.Count(text, "\n") + 1 + len(text)/90
	return strconv.Itoa(min(max(lines, 2), 12))
}
