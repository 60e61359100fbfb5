package i18n

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"prizeportal/internal/blocks/numfmt"
)

// Catalogs are the message files: locales/<code>.toml or locales/<code>/*.toml, one language
// each. English (locales/en.toml) lists every key; adding a language is adding its files.
//
//go:embed locales
var Catalogs embed.FS

type catalogSet struct {
	localizers map[string]*Localizer
	pseudo     *Localizer
	languages  []Language
	matcher    language.Matcher
	// messages are each language's messages by key (the completeness test reads them).
	messages map[string]map[string]*goi18n.Message
}

func load() *catalogSet {
	loadOnce.Do(func() {
		c, err := parseCatalogs(Catalogs)
		if err != nil {
			panic("i18n: " + err.Error())
		}
		catalogs = c
	})
	return catalogs
}

// parseCatalogs reads every catalog of fsys into a bundle whose fallback is English.
func parseCatalogs(fsys fs.FS) (*catalogSet, error) {
	bundle := goi18n.NewBundle(language.English)
	c := &catalogSet{localizers: map[string]*Localizer{}, messages: map[string]map[string]*goi18n.Message{}}
	err := fs.WalkDir(fsys, "locales", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(p) != ".toml" {
			return err
		}
		rel := strings.TrimPrefix(p, "locales/")
		code := strings.TrimSuffix(rel, ".toml")
		if dir, _, ok := strings.Cut(rel, "/"); ok {
			code = dir
		}
		tag, err := language.Parse(code)
		if err != nil {
			return fmt.Errorf("%s: %q is not a language code", p, code)
		}
		buf, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		msgs, err := parseMessages(buf)
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		if err := bundle.AddMessages(tag, msgs...); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		if c.messages[code] == nil {
			c.messages[code] = map[string]*goi18n.Message{}
		}
		for _, m := range msgs {
			if _, dup := c.messages[code][m.ID]; dup {
				return fmt.Errorf("%s: %q is translated twice", p, m.ID)
			}
			c.messages[code][m.ID] = m
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	codes := []string{"en"}
	for code := range c.messages {
		if code != "en" {
			codes = append(codes, code)
		}
	}
	sort.Strings(codes[1:])
	var tags []language.Tag
	for _, code := range codes {
		tags = append(tags, language.MustParse(code))
		// each language named in itself (CLDR), for the switch: English, 한국어, Français
		name := display.Self.Name(tags[len(tags)-1])
		if name == "" {
			name = code
		}
		c.languages = append(c.languages, Language{Code: code, Name: name})
		plain := map[string]string{}
		for _, lang := range []string{"en", code} {
			for id, m := range c.messages[lang] {
				if isPlain(m) {
					plain[id] = m.Other
				} else {
					delete(plain, id)
				}
			}
		}
		c.localizers[code] = &Localizer{lang: code, plain: plain, loc: goi18n.NewLocalizer(bundle, code)}
	}
	c.matcher = language.NewMatcher(tags)
	pseudo := *c.localizers["en"]
	pseudo.lang, pseudo.pseudo, pseudo.known = Pseudo, true, map[string]bool{}
	for id := range c.messages["en"] {
		pseudo.known[id] = true
	}
	c.pseudo = &pseudo
	return c, nil
}

// parseMessages reads one catalog file: each key is a text's English, its value the translation,
// or a table of plural forms (one, other, ...). The file is read here rather than by go-i18n's own
// reader, which takes keys such as "Description" or "Other" for fields of a message.
func parseMessages(buf []byte) ([]*goi18n.Message, error) {
	var raw map[string]any
	if err := toml.Unmarshal(buf, &raw); err != nil {
		return nil, err
	}
	msgs := make([]*goi18n.Message, 0, len(raw))
	for id, v := range raw {
		m := &goi18n.Message{ID: id}
		switch v := v.(type) {
		case string:
			m.Other = v
		case map[string]any:
			forms := map[string]*string{"zero": &m.Zero, "one": &m.One, "two": &m.Two, "few": &m.Few, "many": &m.Many, "other": &m.Other}
			for form, text := range v {
				dst, ok := forms[form]
				s, isText := text.(string)
				if !ok || !isText {
					return nil, fmt.Errorf("%q: %q is not a plural form with a text (zero, one, two, few, many, other)", id, form)
				}
				*dst = s
			}
			if m.Other == "" {
				return nil, fmt.Errorf("%q: a plural needs its other form", id)
			}
		default:
			return nil, fmt.Errorf("%q: the translation must be a text or a table of plural forms", id)
		}
		msgs = append(msgs, m)
	}
	return msgs, nil
}

// isPlain reports whether m is one text without values or plural forms.
func isPlain(m *goi18n.Message) bool {
	return m.Zero == "" && m.One == "" && m.Two == "" && m.Few == "" && m.Many == "" &&
		!strings.Contains(m.Other, "{{")
}

// Keys are the keys of lang's catalog (the completeness test compares them with English).
func Keys(lang string) []string {
	var out []string
	for id := range load().messages[lang] {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// Number writes n with thousands grouped, as both languages do: 2,048.
func Number(n int) string { return numfmt.Thousands(n) }
