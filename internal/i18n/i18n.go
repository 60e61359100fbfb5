// Package i18n puts every text a person reads in the language they chose: pages, emails and
// documents (DOMAIN.md: the prize runs in Korean and English).
//
// The English text is the message's key, as in gettext: a page writes
//
//	{ i18n.T(ctx, "Sign in") }
//	{ i18n.T(ctx, "Scoring opens on {{.When}}.", "When", i18n.Start(t, loc)) }
//	{ i18n.N(ctx, n, "{{.Count}} entry", "{{.Count}} entries") }
//
// and the catalogs in locales/ map each key to its translation: locales/en.toml lists every key
// the code uses (written by `go run ./internal/tools/catalog`, checked by the tests),
// locales/ko/*.toml holds the Korean. A text that is worded where no language is known yet (a
// domain rule's refusal, a field's problem, a label in a view, a flash message kept in the
// session) is marked with M, or carried with its values by Msg, and translated where it is
// shown: T accepts such a marked or carried text as its key.
//
// Translations are read with nicksnyder/go-i18n (TOML catalogs, CLDR plural rules, named values
// in text/template syntax). A missing translation falls back to English.
package i18n

import (
	"context"
	"encoding/json"
	"strings"
	"sync"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Pseudo is the pseudo-locale's code: English with every translated text between PseudoOpen and
// PseudoClose, so a test sees which visible text did not come from a catalog. It is offered only
// when EnablePseudo was called (tests).
const (
	Pseudo      = "x-pseudo"
	PseudoOpen  = "⟦"
	PseudoClose = "⟧"
)

// carried marks a text carried with its values (Msg); moment marks a time (moment.go).
const (
	carried   = "\x1e"
	separator = "\x1f"
)

// Localizer translates into one language.
type Localizer struct {
	lang   string
	pseudo bool
	plain  map[string]string
	known  map[string]bool
	loc    *goi18n.Localizer
}

// Lang is the localizer's language code: "en", "ko", or Pseudo.
func (l *Localizer) Lang() string { return l.lang }

// HTMLLang is the value of the lang attribute for pages in this language (the pseudo-locale is
// English).
func (l *Localizer) HTMLLang() string {
	if l.pseudo {
		return "en"
	}
	return l.lang
}

// Korean reports whether the language is Korean (word order and date forms).
func (l *Localizer) Korean() bool { return l.lang == "ko" }

// T is the text key in the localizer's language, with the named values of pairs ("Name", value,
// ...). key may be a text marked with M or carried with its values by Msg; a value that is itself
// such a text or a time (Instant, Start, ...) is translated too. A key no catalog knows is
// returned as it is.
func (l *Localizer) T(key string, pairs ...any) string {
	if strings.HasPrefix(key, countryMark) {
		if l.pseudo {
			return PseudoOpen + l.country(key) + PseudoClose
		}
		return l.country(key)
	}
	if strings.HasPrefix(key, momentMark) {
		if l.pseudo {
			return PseudoOpen + l.moment(key) + PseudoClose
		}
		return l.moment(key)
	}
	if strings.HasPrefix(key, carried) {
		var inner []any
		key, inner = decode(key)
		pairs = append(inner, pairs...)
	}
	if len(pairs) == 0 {
		if s, ok := l.plain[key]; ok {
			return l.wrap(key, s)
		}
	}
	return l.wrap(key, l.localize(key, nil, pairs))
}

// N is the text for count n in the plural form the language needs: one and other are the English
// forms, other is the key; {{.Count}} is n, thousands grouped, unless pairs name a Count of their
// own (a script fills in "{n}" itself).
func (l *Localizer) N(n int, one, other string, pairs ...any) string {
	_ = one // the English singular is the catalog's "one" form (locales/en.toml)
	return l.wrap(other, l.localize(other, n, append([]any{"Count", Number(n)}, pairs...)))
}

// Pieces is s without the pseudo-locale's marks around it, and a function that marks again a
// piece cut from it: a translated sentence drawn in pieces (a link or bold words inside it) keeps
// each piece marked as the catalog's. Outside the pseudo-locale s is returned as it is and the
// function returns its piece unchanged.
func Pieces(s string) (string, func(string) string) {
	inner, ok := strings.CutPrefix(s, PseudoOpen)
	if inner, ok2 := strings.CutSuffix(inner, PseudoClose); ok && ok2 {
		return inner, func(p string) string {
			if p == "" {
				return ""
			}
			return PseudoOpen + p + PseudoClose
		}
	}
	return s, func(p string) string { return p }
}

// Unmarked is s without the texts between the pseudo-locale's marks (nested or not): what did not
// come from a catalog, for the tests that find it.
func Unmarked(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case string(r) == PseudoOpen:
			depth++
		case string(r) == PseudoClose && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// wrap is s, the text of key, between the pseudo-locale's marks when key is in the catalogs: a
// text shown without a catalog's key stays unmarked, and the pseudo-locale test finds it.
func (l *Localizer) wrap(key, s string) string {
	if l.pseudo && l.known[key] {
		return PseudoOpen + s + PseudoClose
	}
	return s
}

// localize runs the catalog's template for key; count, when set, picks the plural form.
func (l *Localizer) localize(key string, count any, pairs []any) string {
	data := make(map[string]any, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		name, _ := pairs[i].(string)
		data[name] = l.value(pairs[i+1])
	}
	out, err := l.loc.Localize(&goi18n.LocalizeConfig{MessageID: key, TemplateData: data, PluralCount: count})
	if err != nil && out == "" {
		// a key no catalog holds yet (a test's own text, or data passed by mistake): shown as
		// it is, with its values filled in.
		return fill(key, data)
	}
	return out
}

// value is v as a template shows it: marked texts and times translated, without pseudo marks
// (the whole message is marked once).
func (l *Localizer) value(v any) any {
	s, ok := v.(string)
	if !ok {
		return v
	}
	switch {
	case strings.HasPrefix(s, momentMark):
		return l.moment(s)
	case strings.HasPrefix(s, countryMark):
		return l.country(s)
	case strings.HasPrefix(s, carried):
		inner := *l
		inner.pseudo = false
		return inner.T(s)
	}
	// a value that is itself a catalog's text (a label marked with M) is translated too
	if t, ok := l.plain[s]; ok {
		return t
	}
	return s
}

// fill replaces {{.Name}} in s with data's values: the fallback for a text no catalog knows.
func fill(s string, data map[string]any) string {
	if !strings.Contains(s, "{{") {
		return s
	}
	for name, v := range data {
		s = strings.ReplaceAll(s, "{{."+name+"}}", toString(v))
	}
	return s
}

func toString(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	var s string
	if json.Unmarshal(b, &s) == nil {
		return s
	}
	return string(b)
}

// M marks s as a text to translate where it is shown (T translates it then); it returns s as it
// is. The catalog tool finds every M.
func M(s string) string { return s }

// Msg is the text key with the values of pairs, carried as one string (through a view, an error
// or the session) until T translates it where it is shown. Values are strings, numbers, times
// (Instant, Start, ...) or other carried texts.
func Msg(key string, pairs ...any) string {
	if len(pairs) == 0 {
		return key
	}
	b, err := json.Marshal(pairs)
	if err != nil {
		return key
	}
	return carried + key + separator + string(b)
}

func decode(s string) (string, []any) {
	key, args, _ := strings.Cut(strings.TrimPrefix(s, carried), separator)
	var pairs []any
	d := json.NewDecoder(strings.NewReader(args))
	d.UseNumber()
	if d.Decode(&pairs) != nil {
		return key, nil
	}
	return key, pairs
}

// English is s (a key, marked or carried text) in English, without pseudo marks: for logs and
// error strings.
func English(s string, pairs ...any) string { return For("en").T(s, pairs...) }

type ctxKey struct{}

// With returns ctx carrying l: the language of everything rendered for this request.
func With(ctx context.Context, l *Localizer) context.Context {
	return context.WithValue(ctx, ctxKey{}, l)
}

// From is the localizer of ctx, English when it carries none.
func From(ctx context.Context) *Localizer {
	if l, ok := ctx.Value(ctxKey{}).(*Localizer); ok {
		return l
	}
	return For("en")
}

// T translates key in ctx's language (Localizer.T).
func T(ctx context.Context, key string, pairs ...any) string { return From(ctx).T(key, pairs...) }

// N is the plural text for n in ctx's language (Localizer.N).
func N(ctx context.Context, n int, one, other string, pairs ...any) string {
	return From(ctx).N(n, one, other, pairs...)
}

// Lang is ctx's language code.
func Lang(ctx context.Context) string { return From(ctx).Lang() }

var (
	loadOnce   sync.Once
	catalogs   *catalogSet
	pseudoOn   bool
	pseudoOnce sync.Mutex
)

// EnablePseudo offers the pseudo-locale (tests).
func EnablePseudo() {
	pseudoOnce.Lock()
	pseudoOn = true
	pseudoOnce.Unlock()
}

func pseudoEnabled() bool {
	pseudoOnce.Lock()
	defer pseudoOnce.Unlock()
	return pseudoOn
}

// For is the localizer for lang (a supported code; English for any other).
func For(lang string) *Localizer {
	c := load()
	if lang == Pseudo && pseudoEnabled() {
		return c.pseudo
	}
	if l, ok := c.localizers[lang]; ok {
		return l
	}
	return c.localizers["en"]
}

// Supported reports whether lang is a language the portal offers.
func Supported(lang string) bool {
	if lang == Pseudo {
		return pseudoEnabled()
	}
	_, ok := load().localizers[lang]
	return ok
}

// Language is a language the portal offers, with its name in itself (for the switch).
type Language struct {
	Code, Name string
}

// Languages are the languages the portal offers, English first.
func Languages() []Language { return load().languages }

// Match is the offered language closest to an Accept-Language header, "" when none fits.
func Match(acceptLanguage string) string {
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return ""
	}
	c := load()
	_, i, conf := c.matcher.Match(tags...)
	if conf == language.No {
		return ""
	}
	return c.languages[i].Code
}

// Pick is the language of a request: the account's preference, else the cookie's, else the best
// match of Accept-Language, else English (DOMAIN.md: the portal speaks the prize's languages).
func Pick(preference, cookie, acceptLanguage string) string {
	for _, l := range []string{preference, cookie} {
		if l != "" && Supported(l) {
			return l
		}
	}
	if l := Match(acceptLanguage); l != "" {
		return l
	}
	return "en"
}
