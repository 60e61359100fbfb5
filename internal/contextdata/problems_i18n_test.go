package contextdata_test

import (
	"regexp"
	"strings"
	"testing"
	"unicode"

	"prizeportal/internal/contextdata"
	"prizeportal/internal/i18n"
)

// TestParseProblemsInKorean: the problems of a file, with their lines and values, read in
// Korean on the page, and the pseudo-locale marks each as a whole.
func TestParseProblemsInKorean(t *testing.T) {
	i18n.EnablePseudo()
	ko, pseudo := i18n.For("ko"), i18n.For(i18n.Pseudo)
	in := header +
		"XX,,population,1,,2022,WB\n" +
		",,population,1,,2022,WB\n" +
		"KR,,GDP per capita,1,,2022,WB\n" +
		`KR,,gdp,"12,3",,2022,WB` + "\n" +
		"KR,,gdp,1e400,,2022,WB\n" +
		"KR,,gdp,1,,22,\n" +
		"KR,,gdp,1,2022,WB\n" +
		"KR,,gdp,1,,2022,W\"B\n" +
		"KR,,gdp,1,,2022,\xff\xfe\n"
	_, ps := parse(t, in, contextdata.DefaultLimits)
	more := []string{"", "country;city\n", "country,city,indicator,value,unit,year,source,colour,country\n"}
	for _, s := range more {
		_, p := parse(t, s, contextdata.DefaultLimits)
		ps = append(ps, p...)
	}
	if len(ps) < 14 {
		t.Fatalf("only %d problems: %v", len(ps), ps)
	}
	// values as given ("XX"), column and indicator names, and the examples are not translated
	value := regexp.MustCompile(`"(?:[^"\\]|\\.)*"|[a-z_]+(?:, ?[a-z_]+)+|[a-z]+_[a-z_]+|World Bank WDI|ISO 3166-1 alpha-2|CSV|UTF|NUL|KR`)
	for _, p := range ps {
		k := ko.T(p.Shown())
		rest := value.ReplaceAllString(k, " ")
		if !strings.ContainsFunc(k, func(r rune) bool { return unicode.Is(unicode.Hangul, r) }) ||
			strings.ContainsFunc(rest, func(r rune) bool { return r < unicode.MaxASCII && unicode.IsLetter(r) }) {
			t.Errorf("not all in Korean: %q (%s)", k, p)
		}
		if s := pseudo.T(p.Shown()); !strings.HasPrefix(s, i18n.PseudoOpen) || !strings.HasSuffix(s, i18n.PseudoClose) {
			t.Errorf("not marked as a whole: %q", s)
		}
		if got := i18n.English(p.Shown()); got != p.String() {
			t.Errorf("in English %q, want %q", got, p.String())
		}
	}
}
