package server_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"prizeportal/internal/db/dbtest"
)

// An evaluator from the Seoul Digital Foundation who declared nothing sees the foundation's entry
// with the reason the portal found, answers it (a refused answer keeps what was typed), and the
// secretariat reads the answer; a council member reaches the same page.
func TestFoundConflictsPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	kim := conflictStaff(t, e, "kim", "Dr Kim", "evaluator", "seoul-2023")
	dbtest.Exec(t, e.pool, `UPDATE users SET organisation = 'Seoul Digital Foundation', email = 'kim@sdf.seoul.kr' WHERE id = $1`, kim)
	sdf := conflictEntry(t, e, "sdf", "Seoul Digital Foundation", "lee@sdf.seoul.kr", "Seoul")
	conflictEntry(t, e, "busan", "Busan", "b@busan.example", "Busan")
	c := e.signedInClient(t, kim)

	page := c.get("/evaluator/declarations")
	for _, want := range []string{"Conflicts of interest the portal found",
		"your organisation (Seoul Digital Foundation) is the applicant&#39;s organisation (Seoul Digital Foundation)",
		"your email domain (sdf.seoul.kr) is the applicant&#39;s email domain (lee@sdf.seoul.kr)", "Not answered yet"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the declarations page lacks %q\n%s", want, page.body)
		}
	}
	if strings.Contains(page.body, "Applicant busan") {
		t.Error("an entry without a conflict is listed")
	}
	id := strconv.FormatInt(sdf, 10)
	p := "review" + id + "_"
	r := c.post("/evaluator/declarations", url.Values{"action": {"review"}, "id": {id}, p + "decision": {"explained"}, p + "explanation": {" "}})
	if r.status != 422 || !strings.Contains(r.body, `href="#f-`+p+`explanation"`) || !strings.Contains(r.body, "Say why this is not a conflict") {
		t.Fatalf("an explanation without a word: %d\n%s", r.status, r.body)
	}
	if r := c.post("/evaluator/declarations", url.Values{"action": {"review"}, "id": {id}, p + "decision": {"explained"},
		p + "explanation": {"I left the foundation in 2019."}}); r.status != 303 {
		t.Fatalf("explain: %d\n%s", r.status, r.body)
	}
	if n := conflictAudited(t, e, kim, "conflict.found.review"); n != 1 {
		t.Errorf("%d audit entries", n)
	}
	// Another entry's id is not Dr Kim's to answer.
	other := conflictEntry(t, e, "x", "Elsewhere", "x@else.example", "Daegu")
	if r := c.post("/evaluator/declarations", url.Values{"action": {"review"}, "id": {strconv.FormatInt(other, 10)},
		"review" + strconv.FormatInt(other, 10) + "_decision": {"confirmed"}}); r.status != 404 {
		t.Errorf("answering what was not found: %d", r.status)
	}

	sec := e.signedInClient(t, conflictStaff(t, e, "sec", "Sec", "secretariat", "seoul-2023"))
	if r := sec.get("/secretariat/conflicts"); r.status != 200 || !strings.Contains(r.body, "Dr Kim") ||
		!strings.Contains(r.body, "I left the foundation in 2019.") {
		t.Errorf("the secretariat's registry page: %d\n%s", r.status, r.body)
	}
	council := e.signedInClient(t, conflictStaff(t, e, "mayor", "Mayor", "council", "seoul-2023"))
	if r := council.get("/evaluator/declarations"); r.status != 200 {
		t.Errorf("a council member's declarations page: %d", r.status)
	}
}
