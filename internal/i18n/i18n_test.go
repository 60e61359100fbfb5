package i18n

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// testCatalogs are catalogs of their own, so these tests do not follow the portal's wording.
func testCatalogs(t *testing.T) *catalogSet {
	t.Helper()
	c, err := parseCatalogs(fstest.MapFS{
		"locales/en.toml": {Data: []byte(`
"Sign in" = "Sign in"
"Hello {{.Name}}" = "Hello {{.Name}}"
"Opens {{.When}}" = "Opens {{.When}}"
"Only in English" = "Only in English"
"{{.Count}} entries" = { one = "{{.Count}} entry", other = "{{.Count}} entries" }
`)},
		"locales/ko/a.toml": {Data: []byte(`
"Sign in" = "로그인"
"Hello {{.Name}}" = "{{.Name}}님, 안녕하십니까"
"Opens {{.When}}" = "{{.When}}에 열립니다"
"{{.Count}} entries" = { other = "신청 {{.Count}}건" }
`)},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestTranslatesPluralsValuesAndFallsBackToEnglish(t *testing.T) {
	c := testCatalogs(t)
	en, ko := c.localizers["en"], c.localizers["ko"]
	for _, tc := range []struct{ got, want string }{
		{ko.T("Sign in"), "로그인"},
		{en.T("Sign in"), "Sign in"},
		{ko.T("Hello {{.Name}}", "Name", "김서울"), "김서울님, 안녕하십니까"},
		{ko.T("Only in English"), "Only in English"},
		{ko.T("Not in any catalog {{.X}}", "X", "7"), "Not in any catalog 7"},
		{en.N(1, "{{.Count}} entry", "{{.Count}} entries"), "1 entry"},
		{en.N(2048, "{{.Count}} entry", "{{.Count}} entries"), "2,048 entries"},
		{ko.N(1, "{{.Count}} entry", "{{.Count}} entries"), "신청 1건"},
		// a carried text keeps its values until it is shown, in the reader's language
		{ko.T(Msg("Hello {{.Name}}", "Name", "Jane")), "Jane님, 안녕하십니까"},
		{en.T(Msg("Hello {{.Name}}", "Name", Msg("Sign in"))), "Hello Sign in"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
	if ko.Lang() != "ko" || !ko.Korean() || en.Korean() {
		t.Error("languages mixed up")
	}
}

func TestTimesInEachLanguageNameTheirZone(t *testing.T) {
	c := testCatalogs(t)
	en, ko := c.localizers["en"], c.localizers["ko"]
	seoul, err := time.LoadLocation("Asia/Seoul")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2023, 5, 31, 23, 59, 0, 0, seoul)
	midnight := time.Date(2023, 6, 1, 0, 0, 0, 0, seoul)
	for _, tc := range []struct{ got, want string }{
		{ko.T(Deadline(at, seoul)), "2023년 5월 31일 23:59 KST"},
		{ko.T(End(midnight, seoul)), "2023년 5월 31일 23:59 KST (Asia/Seoul 기준)"},
		{ko.T(Date(at, seoul)), "2023년 5월 31일"},
		{ko.T(Window(time.Date(2023, 5, 1, 0, 0, 0, 0, seoul), midnight, seoul)), "2023년 5월 1일 ~ 31일"},
		{ko.T("Opens {{.When}}", "When", Deadline(at, seoul)), "2023년 5월 31일 23:59 KST에 열립니다"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
	if got := en.T(Deadline(at, seoul)); !strings.Contains(got, "2023") || !strings.Contains(got, "KST") {
		t.Errorf("English deadline %q lacks its year or zone", got)
	}
}

func TestPseudoLocaleMarksOnlyCatalogTexts(t *testing.T) {
	p := testCatalogs(t).pseudo
	if got := p.T("Sign in"); got != PseudoOpen+"Sign in"+PseudoClose {
		t.Errorf("catalog text: %q", got)
	}
	if got := p.T("Jane Doe"); got != "Jane Doe" {
		t.Errorf("data was marked as if translated: %q", got)
	}
	if p.HTMLLang() != "en" {
		t.Errorf("pseudo pages should say lang=en, got %q", p.HTMLLang())
	}
}

func TestCatalogsRefuseDuplicatesAndBadCodes(t *testing.T) {
	_, err := parseCatalogs(fstest.MapFS{
		"locales/en.toml":   {Data: []byte(`"A" = "A"`)},
		"locales/ko/a.toml": {Data: []byte(`"A" = "가"`)},
		"locales/ko/b.toml": {Data: []byte(`"A" = "나"`)},
	})
	if err == nil || !strings.Contains(err.Error(), "twice") {
		t.Errorf("a key translated twice: %v", err)
	}
	if _, err := parseCatalogs(fstest.MapFS{"locales/not a code.toml": {Data: []byte(`"A" = "A"`)}}); err == nil {
		t.Error("a file that names no language was read")
	}
}

func TestPickPrefersAccountThenCookieThenHeader(t *testing.T) {
	for _, tc := range []struct{ pref, cookie, accept, want string }{
		{"ko", "en", "en", "ko"},
		{"", "ko", "en-GB", "ko"},
		{"", "", "ko-KR,ko;q=0.9,en;q=0.8", "ko"},
		{"", "", "fr-FR,en;q=0.5", "en"},
		{"", "", "de-DE", "en"},
		{"xx", "", "", "en"},
		{"", "", "", "en"},
	} {
		if got := Pick(tc.pref, tc.cookie, tc.accept); got != tc.want {
			t.Errorf("Pick(%q, %q, %q) = %q, want %q", tc.pref, tc.cookie, tc.accept, got, tc.want)
		}
	}
	if From(context.Background()).Lang() != "en" {
		t.Error("a context without a language should be English")
	}
	if Lang(With(context.Background(), For("ko"))) != "ko" {
		t.Error("With/From lost the language")
	}
}

func TestLanguagesAreNamedInThemselves(t *testing.T) {
	c, err := parseCatalogs(fstest.MapFS{
		"locales/en.toml": {Data: []byte(`"A" = "A"`)},
		"locales/ko.toml": {Data: []byte(`"A" = "가"`)},
		"locales/fr.toml": {Data: []byte(`"A" = "À"`)},
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range c.languages {
		got = append(got, l.Code+"="+l.Name)
	}
	if strings.Join(got, " ") != "en=English fr=français ko=한국어" {
		t.Errorf("languages: %v", got)
	}
}

func TestReservedWordsAreKeysAndValuesAreTranslated(t *testing.T) {
	c, err := parseCatalogs(fstest.MapFS{
		"locales/en.toml": {Data: []byte(`
"Description" = "Description"
"Other" = "Other"
"Status: {{.Status}}" = "Status: {{.Status}}"
"Draft" = "Draft"
`)},
		"locales/ko.toml": {Data: []byte(`
"Description" = "설명"
"Other" = "기타"
"Status: {{.Status}}" = "상태: {{.Status}}"
"Draft" = "작성 중"
`)},
	})
	if err != nil {
		t.Fatal(err)
	}
	ko := c.localizers["ko"]
	if ko.T("Description") != "설명" || ko.T("Other") != "기타" {
		t.Errorf("reserved words: %q %q", ko.T("Description"), ko.T("Other"))
	}
	if got := ko.T(Msg("Status: {{.Status}}", "Status", M("Draft"))); got != "상태: 작성 중" {
		t.Errorf("a marked value inside a carried text: %q", got)
	}
	if _, err := parseCatalogs(fstest.MapFS{"locales/en.toml": {Data: []byte("[\"A\"]\nseveral = \"x\"\n")}}); err == nil {
		t.Error("an unknown plural form was accepted")
	}
}

func TestCountriesAreNamedAndOrderedInTheReadersLanguage(t *testing.T) {
	c := testCatalogs(t)
	en, ko := c.localizers["en"], c.localizers["ko"]
	kr := Country(" kr ")
	for _, tc := range []struct{ got, want string }{
		{en.T(kr), "Korea (South)"},
		{ko.T(kr), "대한민국"},
		{ko.T(Country("BR")), "브라질"},
		{ko.T("Hello {{.Name}}", "Name", Country("FR")), "프랑스님, 안녕하십니까"},
		{en.T(Country("XX")), "XX"},
		{Country(""), ""},
		{English(Country("np")), "Nepal"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
	labels := []string{"Choose", Country("BR"), Country("FR"), Country("KR"), Country("JP")}
	id := func(s string) string { return s }
	ctx := With(context.Background(), ko)
	var got []string
	for _, s := range SortCountries(ctx, labels, id) {
		got = append(got, ko.T(s))
	}
	// 가나다 order: 대한민국, 브라질, 일본, 프랑스; the label that is not a country stays first
	if strings.Join(got, " ") != "Choose 대한민국 브라질 일본 프랑스" {
		t.Errorf("Korean order: %q", got)
	}
	if english := SortCountries(With(context.Background(), en), labels, id); strings.Join(english, "") != strings.Join(labels, "") {
		t.Errorf("English order changed: %q", english)
	}
}

func TestSecondsForTheOutbox(t *testing.T) {
	c := testCatalogs(t)
	kst, _ := time.LoadLocation("Asia/Seoul")
	at := Seconds(time.Date(2023, 5, 31, 23, 59, 7, 0, kst), kst)
	if got := c.localizers["en"].T(at); got != "31 May 2023, 23:59:07 KST" {
		t.Errorf("English %q", got)
	}
	if got := c.localizers["ko"].T(at); got != "2023년 5월 31일 23:59:07 KST" {
		t.Errorf("Korean %q", got)
	}
}

// marks are the markup marks of a sentence (web/components Spans): its links by name, and how
// many bold and code marks it has.
func marks(s string) string {
	var links []string
	for _, part := range strings.Split(s, "](")[1:] {
		if name, _, ok := strings.Cut(part, ")"); ok {
			links = append(links, name)
		}
	}
	slices.Sort(links)
	return fmt.Sprintf("links %v, %d bold marks, %d code marks", links, strings.Count(s, "**"), strings.Count(s, "`"))
}

// TestTranslationsKeepTheSentencesMarks fails when a translation drops or renames a mark of its
// English sentence: a link lost in Korean would leave its page without the way on.
func TestTranslationsKeepTheSentencesMarks(t *testing.T) {
	for _, lang := range Languages() {
		l := For(lang.Code)
		for _, key := range Keys(lang.Code) {
			if !strings.Contains(key, "**") && !strings.Contains(key, "`") && !strings.Contains(key, "](") {
				continue
			}
			if want, got := marks(key), marks(l.T(key)); got != want {
				t.Errorf("%s: %q has %s, its English %s", lang.Code, l.T(key), got, want)
			}
		}
	}
}
