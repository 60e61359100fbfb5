package wording_test

import (
	"strings"
	"testing"
	"unicode"

	"prizeportal/internal/i18n"
	"prizeportal/internal/notify/wording"
)

// TestPlaceholderDescriptionsInKorean: the studio's page of an email says in Korean what each
// of its placeholders holds, and the pseudo-locale marks every description.
func TestPlaceholderDescriptionsInKorean(t *testing.T) {
	i18n.EnablePseudo()
	ko, pseudo := i18n.For("ko"), i18n.For(i18n.Pseudo)
	for _, e := range wording.All() {
		for _, p := range e.Params {
			if p.Description == "" {
				continue
			}
			k := ko.T(p.Description)
			if k == p.Description || !strings.ContainsFunc(k, func(r rune) bool { return unicode.Is(unicode.Hangul, r) }) {
				t.Errorf("%s %s: not in Korean: %q", e.Key, p.Tag(), k)
			}
			if s := pseudo.T(p.Description); !strings.HasPrefix(s, i18n.PseudoOpen) {
				t.Errorf("%s %s: not from a catalog: %q", e.Key, p.Tag(), s)
			}
		}
	}
}
