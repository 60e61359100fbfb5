package server_test

import (
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestStudioProblemsInKorean: the edition studio shows the validator's problems, with their
// values, in the reader's language: a YAML file with a wrong year and a misspelt key, and a
// schedule date that is not one.
func TestStudioProblemsInKorean(t *testing.T) {
	t.Parallel()
	e := newEnvAt(t, time.Date(2023, 2, 1, 9, 0, 0, 0, time.UTC), nil, "seoul-2023")
	c := e.signedInClient(t, matrixUser(t, e, "mina", "manager"))
	u, _ := url.Parse(c.base)
	c.http.Jar.SetCookies(u, []*http.Cookie{{Name: "lang", Value: "ko"}})
	version := strconv.Itoa(e.edition(t, "seoul-2023").Version)

	src := c.get("/studio/seoul-2023/edition.yaml").body
	if !strings.Contains(src, "\nyear: 2023\n") {
		t.Fatalf("the YAML download has no year:\n%s", src)
	}
	src = strings.Replace(src, "\nyear: 2023\n", "\nyear: 12\nretention_yeras: 5\n", 1)
	res := c.post("/studio/seoul-2023/yaml", url.Values{"version": {version}, "file": {src}})
	body := html.UnescapeString(res.body)
	wantAll(t, "a refused YAML file in Korean", body, "2023과 같은 연도여야 합니다. 입력값: 12",
		`알 수 없는 키입니다("retention_years"을(를) 뜻하셨습니까?)`)
	if res.status != 422 || strings.Contains(body, "must be a year") || strings.Contains(body, "unknown key") {
		t.Errorf("a refused YAML file in Korean: %d\n%s", res.status, body)
	}

	res = c.post("/studio/seoul-2023/schedule", url.Values{"version": {version}, "schedule.application_deadline": {"24 May"}})
	body = html.UnescapeString(res.body)
	wantAll(t, "a date that is not one, in Korean", body, `형식이어야 합니다. 입력값: "24 May"`)
	if res.status != 422 || strings.Contains(body, "must be a local date-time") {
		t.Errorf("a date that is not one, in Korean: %d\n%s", res.status, body)
	}

	// The same in English, as it always read.
	c.http.Jar.SetCookies(u, []*http.Cookie{{Name: "lang", Value: "en"}})
	res = c.post("/studio/seoul-2023/schedule", url.Values{"version": {version}, "schedule.application_deadline": {"24 May"}})
	wantAll(t, "a date that is not one, in English", html.UnescapeString(res.body),
		`must be a local date-time "2006-01-02 15:04" or a date "2006-01-02", got "24 May"`)
}
