package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"unicode"

	"prizeportal/internal/blocks/form"
	"prizeportal/internal/i18n"
)

// TestFormBuilderPagesInTheCatalogs: the builder's pages the pseudo-locale test does not reach
// (a question's page with the settings of every type, a section's page, the removals, a refused
// question) show only texts from the catalogs, and read in Korean.
func TestFormBuilderPagesInTheCatalogs(t *testing.T) {
	t.Parallel()
	i18n.EnablePseudo()
	b := newFormBuilder(t)
	data := databaseTexts(t, b.e)
	u, _ := url.Parse(b.c.base)
	b.c.http.Jar.SetCookies(u, []*http.Cookie{{Name: "lang", Value: i18n.Pseudo}})
	check := func(what string, r reply) {
		t.Helper()
		var left []string
		for _, s := range uncataloged(t, r.body, data) {
			// the file kinds' names (PDF, DOCX...) read the same in every language
			if strings.IndexFunc(s, func(c rune) bool { return unicode.IsLower(c) }) >= 0 {
				left = append(left, s)
			}
		}
		if len(left) > 0 {
			t.Errorf("%s (%d) shows text that is not from a catalog:\n\t%s", what, r.status, strings.Join(left, "\n\t"))
		}
	}
	check("a question's page", b.c.get(b.page("/questions/project_title")))
	check("a section's page", b.c.get(b.page("/sections/project")))
	check("a question's removal", b.c.get(b.page("/questions/project_title/remove")))
	check("a section's removal", b.c.get(b.page("/sections/project/remove")))
	check("a new question's first step", b.c.get(b.page("/sections/project/questions/new")))
	for _, typ := range form.QuestionTypes() {
		check("the settings of "+string(typ), b.post("/sections/project/questions/new", url.Values{"type": {string(typ)}, "action": {"refresh"}}, 200))
	}
	check("a refused question", b.post("/sections/project/questions/new", url.Values{"type": {"long_text"}, "key": {"Bad"},
		"max_words": {"many"}, "options": {"x"}, "show_if_question": {"stage"}}, 422))
	check("a refused section", b.post("/sections/new", url.Values{"key": {"Bad Key"}}, 422))

	b.c.http.Jar.SetCookies(u, []*http.Cookie{{Name: "lang", Value: "ko"}})
	r := b.c.get(b.page("/questions/project_title"))
	wantAll(t, "a question's page in Korean", r.body, "답변 유형", "이 유형의 설정 보기", "표시 조건", "질문 저장", "취소")
	r = b.c.get(b.page("/sections/project"))
	wantAll(t, "a section's page in Korean", r.body, "섹션 저장", "제목", "키")
	r = b.post("/sections/project/questions/new", url.Values{"type": {"long_text"}, "key": {"x"}, "label": {"X"}, "max_words": {"-5"}}, 422)
	wantAll(t, "a refused question in Korean", r.body, "단어 수 제한: ")
}
