package server_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"prizeportal/internal/i18n"
)

// withLang sets the language cookie of client c (the language switch's cookie).
func withLang(c *client, lang string) {
	u, _ := url.Parse(c.base)
	c.http.Jar.SetCookies(u, []*http.Cookie{{Name: "lang", Value: lang}})
}

// TestDossierInTheReadersLanguage: a confirmed semi-finalist's dossier page and the list of the
// dossiers show no text
// outside the catalogs in the pseudo-locale (the pseudo-locale test's fixture has no confirmed
// semi-finalist), and its PDF, for a Korean reader, has its own words in Korean and none of the
// English ones.
func TestDossierInTheReadersLanguage(t *testing.T) {
	t.Parallel()
	i18n.EnablePseudo()
	de := newDossierEnv(t, true)
	c := de.signedInClient(t, de.council)
	withLang(c, i18n.Pseudo)
	data := databaseTexts(t, de.env)
	for _, path := range []string{de.href(de.alpha), "/council/dossiers?edition=" + strconv.FormatInt(de.ed.ID, 10)} {
		r := c.get(path)
		wantStatus(t, path, r, 200)
		if left := uncataloged(t, r.body, data); len(left) > 0 {
			t.Errorf("%s shows text that is not from a catalog:\n\t%s", path, strings.Join(left, "\n\t"))
		}
	}
	withLang(c, "ko")
	pdf := c.get(de.href(de.alpha) + ".pdf")
	wantStatus(t, "pdf", pdf, 200)
	text := pdfText(t, []byte(pdf.body))
	for _, want := range []string{"시상위원회 심사 자료집", "심사위원회 순위", "심사위원회 점수", "종합 점수", "최저–최고", "심사위원회 의견", "신청서:", "쪽"} {
		if !strings.Contains(text, want) {
			t.Errorf("the Korean dossier PDF lacks %q:\n%s", want, text)
		}
	}
	for _, english := range []string{"dossier for the Prize Council", "Committee's rank", "The committee's scores", "Overall score", "scored entries",
		"Lowest", "Std dev", "Weighted", "The committee's comments", "Application:", "Submitted", "Organisation", "Category", "Generated", "Page 1"} {
		if strings.Contains(text, english) {
			t.Errorf("the Korean dossier PDF has %q:\n%s", english, text)
		}
	}
}
