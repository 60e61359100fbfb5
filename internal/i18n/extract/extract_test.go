package extract

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/BurntSushi/toml"

	"prizeportal/internal/i18n"
)

var (
	keysOnce sync.Once
	keys     []Key
	keysErr  error
)

// codeKeys are the keys the portal's code uses, read once for all the tests.
func codeKeys(t *testing.T) []Key {
	t.Helper()
	keysOnce.Do(func() { keys, keysErr = Keys(filepath.Join("..", "..", ".."), "./...") })
	if keysErr != nil {
		t.Fatal(keysErr)
	}
	return keys
}

// TestEnglishCatalogMatchesTheCode fails when a text was added to or removed from the code
// without the English catalog being written again.
func TestEnglishCatalogMatchesTheCode(t *testing.T) {
	ks := codeKeys(t)
	if len(ks) < 100 {
		t.Fatalf("only %d keys found: the extractor lost its way", len(ks))
	}
	want := English(ks)
	got, err := os.ReadFile(filepath.Join("..", "locales", "en.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("internal/i18n/locales/en.toml is not the code's keys: run `go run ./internal/tools/catalog` from the repository's root")
	}
}

// TestEveryLanguageTranslatesOnlyWhatTheCodeUses fails on a translated key the code no longer
// uses (a text reworded in English leaves its old translation behind).
func TestEveryLanguageTranslatesOnlyWhatTheCodeUses(t *testing.T) {
	ks := codeKeys(t)
	for _, lang := range i18n.Languages() {
		if unused := Unused(ks, i18n.Keys(lang.Code)); len(unused) > 0 {
			t.Errorf("%s translates %d keys the code no longer uses (go run ./internal/tools/catalog -unused %s):\n%s",
				lang.Code, len(unused), lang.Code, strings.Join(unused, "\n"))
		}
	}
}

// TestEveryLanguageIsComplete fails when a language lacks a key the code uses: every text of
// the portal is translated in every language it offers (a third language is complete before it
// is offered).
func TestEveryLanguageIsComplete(t *testing.T) {
	ks := codeKeys(t)
	for _, lang := range i18n.Languages() {
		if lang.Code == "en" {
			continue
		}
		if missing := Missing(ks, i18n.Keys(lang.Code)); len(missing) > 0 {
			var lines []string
			for _, k := range missing {
				lines = append(lines, k.At+": "+k.ID)
			}
			t.Errorf("%s lacks %d keys (go run ./internal/tools/catalog -missing %s):\n%s",
				lang.Code, len(missing), lang.Code, strings.Join(lines, "\n"))
		}
	}
}

func TestExtractorFindsKeysOfEveryKind(t *testing.T) {
	found := map[string]Key{}
	for _, k := range codeKeys(t) {
		found[k.ID] = k
	}
	// one key of each kind the portal uses: a page's text, a domain's refusal, a plural
	for _, id := range []string{"Skip to main content", "Language"} {
		if _, ok := found[id]; !ok {
			t.Errorf("%q not found", id)
		}
	}
	if !strings.Contains(string(Stub([]Key{{ID: `Say "hi"`, At: "x.go:1"}})), `"Say \"hi\"" = "Say \"hi\""`) {
		t.Error("stub quotes wrongly")
	}
}

// TestWrittenCatalogsParse reads back what English and Stub write, plurals among plain keys: a
// key after a TOML [table] would belong to that table.
func TestWrittenCatalogsParse(t *testing.T) {
	ks := []Key{{ID: "Zebra"}, {ID: "{{.Count}} entries", One: "{{.Count}} entry"}, {ID: "Apple"}}
	for name, b := range map[string][]byte{"English": English(ks), "Stub": Stub(ks)} {
		var got map[string]any
		if err := toml.Unmarshal(b, &got); err != nil {
			t.Fatalf("%s: %v\n%s", name, err, b)
		}
		if got["Zebra"] != "Zebra" || got["Apple"] != "Apple" {
			t.Errorf("%s: a plain key went astray:\n%s", name, b)
		}
		if _, ok := got["{{.Count}} entries"].(map[string]any); !ok {
			t.Errorf("%s: the plural is not a table:\n%s", name, b)
		}
	}
}
