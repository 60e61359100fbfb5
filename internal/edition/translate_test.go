package edition_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
)

// translated is minimal with Korean translations of some of its texts.
var translated = minimal + `translations:
  ko:
    "Test Prize 2030": "2030 테스트상"
    Projects: 프로젝트 부문
    Idea: 아이디어
    Impact: 영향
    Reach: 도달 범위
    Gold: 금상
    "Head of an organisation": 기관장
`

// TestTranslationsParseAndResolve: the translations block is read per language, keyed by the
// texts, and the edition's language defaults to English.
func TestTranslationsParseAndResolve(t *testing.T) {
	t.Parallel()
	_, e := mustResolve(t, []byte(translated))
	if e.Language != "en" {
		t.Errorf("Language = %q, want en", e.Language)
	}
	if got, ok := e.Translation("ko", "Projects"); !ok || got != "프로젝트 부문" {
		t.Errorf("Translation(ko, Projects) = %q, %v", got, ok)
	}
	missing := e.Missing("ko")
	if len(missing) != len(e.Texts())-7 || missing[0] != "City" {
		t.Errorf("Missing(ko) = %d texts starting %q, want %d starting City", len(missing), missing[0], len(e.Texts())-7)
	}
}

// TestTranslationsRefused: a language the portal does not offer, the edition's own language and
// an empty translation are each refused at their path, with a message saying what to do.
func TestTranslationsRefused(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, block, path, message string
	}{
		{"unknown language", "translations:\n  xx:\n    Projects: P\n", "translations.xx", `unknown language "xx"`},
		{"own language", "translations:\n  en:\n    Projects: P\n", "translations.en", "the edition's own language"},
		{"empty", "translations:\n  ko:\n    Projects: \"\"\n", "translations.ko.Projects", "the translation is empty"},
		{"unknown edition language", "language: xx\n", "language", `unknown language "xx"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := edition.Parse([]byte(minimal + tt.block))
			var verr *edition.ValidationError
			if !errors.As(err, &verr) || !verr.Has(tt.path) || !strings.Contains(err.Error(), tt.message) {
				t.Fatalf("Parse: %v, want a problem at %s saying %q", err, tt.path, tt.message)
			}
		})
	}
}

// TestStaleTranslations: a translation of a text the edition no longer has (changed since) is
// not an error, so that changing a text never fails on its old translation: it is not shown, and
// StaleTranslations lists it.
func TestStaleTranslations(t *testing.T) {
	t.Parallel()
	d, e := mustResolve(t, []byte(translated+"    Old projects: 옛 부문\n"))
	if _, ok := e.Translation("ko", "Old projects"); ok {
		t.Error("a stale translation is kept in the edition")
	}
	if got := d.StaleTranslations("ko"); len(got) != 1 || got[0] != "Old projects" {
		t.Errorf("StaleTranslations(ko) = %q, want [Old projects]", got)
	}
	if got := d.StaleTranslations("en"); len(got) != 0 {
		t.Errorf("StaleTranslations(en) = %q, want none", got)
	}
}

// TestTranslatedCopy: the edition in Korean has every translated text replaced and the others as
// written (the fallback), while keys, option keys, values and the edition itself stay untouched.
func TestTranslatedCopy(t *testing.T) {
	t.Parallel()
	_, e := mustResolve(t, []byte(translated))
	ko := e.In("ko")
	if ko == e {
		t.Fatal("In(ko) returned the edition itself")
	}
	cat := ko.Categories[0]
	q := cat.Form.Sections[0].Questions[1]
	switch {
	case ko.Name != "2030 테스트상" || cat.Name != "프로젝트 부문" || cat.Prizes[0].Name != "금상":
		t.Errorf("names not translated: %q, %q, %q", ko.Name, cat.Name, cat.Prizes[0].Name)
	case cat.Criteria[0].Name != "영향" || cat.Criteria[0].Indicators[0].Name != "도달 범위":
		t.Errorf("criterion not translated: %+v", cat.Criteria[0])
	case q.Options[0].Label != "아이디어" || q.Options[0].Key != "idea" || q.Options[1].Label != "Done":
		t.Errorf("options: %+v, want the label translated, the key and the untranslated label kept", q.Options)
	case cat.Key != "projects" || cat.Criteria[0].Key != "impact" || cat.Criteria[0].Indicators[0].Key != "reach":
		t.Errorf("keys changed: %q %q %q", cat.Key, cat.Criteria[0].Key, cat.Criteria[0].Indicators[0].Key)
	case ko.Categories[1].Nominations.NominatorCategories[1].Name != "기관장" || ko.Categories[1].Nominations.NominatorCategories[1].Key != "head":
		t.Errorf("nominator category: %+v", ko.Categories[1].Nominations.NominatorCategories[1])
	case ko.EntityTypes[0].Name != "City" || cat.Form.Sections[0].Title != "About the project":
		t.Errorf("untranslated texts must stay as written: %q, %q", ko.EntityTypes[0].Name, cat.Form.Sections[0].Title)
	}
	if e.Name != "Test Prize 2030" || e.Categories[0].Name != "Projects" ||
		e.Categories[0].Form.Sections[0].Questions[1].Options[0].Label != "Idea" ||
		e.Categories[1].Nominations.NominatorCategories[1].Name != "Head of an organisation" {
		t.Error("translating changed the edition itself")
	}
	if e.In("en") != e || e.In("fr") != e {
		t.Error("In of the edition's own language or of one without translations must be the edition itself")
	}
}

// TestLoadInTheReadersLanguage: an edition is loaded in the language of the request, made once
// per version and language; as written for the studio (AsWritten) and in transactions.
func TestLoadInTheReadersLanguage(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	d, err := edition.Parse([]byte(translated))
	if err != nil {
		t.Fatal(err)
	}
	res, err := edition.Import(context.Background(), pool, d)
	if err != nil {
		t.Fatal(err)
	}
	korean := i18n.With(context.Background(), i18n.For("ko"))
	ko, err := edition.ByID(korean, pool, res.EditionID)
	if err != nil {
		t.Fatal(err)
	}
	if ko.Categories[0].Name != "프로젝트 부문" || ko.Language != "en" {
		t.Errorf("in Korean: category %q, language %q", ko.Categories[0].Name, ko.Language)
	}
	if again, _ := edition.ByID(korean, pool, res.EditionID); again != ko {
		t.Error("the Korean edition was made again")
	}
	if en, _ := edition.ByID(context.Background(), pool, res.EditionID); en.Categories[0].Name != "Projects" {
		t.Errorf("in English: %q", en.Categories[0].Name)
	}
	if w, _ := edition.ByID(edition.AsWritten(korean), pool, res.EditionID); w.Categories[0].Name != "Projects" {
		t.Errorf("as written: %q", w.Categories[0].Name)
	}
}
