package wording

import (
	"io/fs"
	"path"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"

	"prizeportal/internal/i18n"
)

// An email's default wording is a catalog key (i18n.M in the registry): the Korean catalog
// translates it with the same {{name}} placeholders. Those placeholders are the wording's, not
// the catalogs' ({{.Name}}), so the translation is read as written, without filling values.
var (
	defaultsOnce sync.Once
	defaults     map[string]map[string]string // language → English key → its translation
)

func translations(lang string) map[string]string {
	defaultsOnce.Do(func() {
		defaults = map[string]map[string]string{}
		_ = fs.WalkDir(i18n.Catalogs, "locales", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || path.Ext(p) != ".toml" || path.Dir(p) == "locales" {
				return err
			}
			var texts map[string]any
			if _, err := toml.DecodeFS(i18n.Catalogs, p, &texts); err != nil {
				return nil // the catalogs' own tests report a catalog that does not parse
			}
			code := path.Base(path.Dir(p))
			if defaults[code] == nil {
				defaults[code] = map[string]string{}
			}
			for k, v := range texts {
				if s, ok := v.(string); ok {
					defaults[code][k] = s
				}
			}
			return nil
		})
	})
	return defaults[lang]
}

// Default is email e's default subject and body in lang; ok is false when lang's catalog does
// not translate them (English is always ok: the registry's own words).
func (e Email) Default(lang string) (subject, body string, ok bool) {
	if lang == "" || lang == "en" {
		return e.Subject, e.Body, true
	}
	t := translations(lang)
	subject, ok1 := t[e.Subject]
	body, ok2 := t[e.Body]
	if v := e.swap; !ok2 && v != nil {
		// a variant: the language's default of its email, with the same paragraph replaced
		base, okb := t[v.base]
		from, okf := t[v.from]
		to, okt := t[v.to]
		if okb && okf && okt && strings.Contains(base, from) {
			body, ok2 = strings.Replace(base, from, to, 1), true
		}
	}
	if !ok1 || !ok2 {
		return e.Subject, e.Body, false
	}
	return subject, body, true
}

// Translated reports whether lang has its own default wording of e.
func (e Email) Translated(lang string) bool {
	_, _, ok := e.Default(lang)
	return ok
}
