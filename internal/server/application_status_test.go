package server_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestApplicationStatusTimeline(t *testing.T) {
	t.Parallel()
	e := newEnvAt(t, time.Date(2023, 5, 20, 3, 0, 0, 0, time.UTC), nil, "seoul-2023")
	kim, c := signedInApplicant(t, e, "kim")

	r := c.get("/application/status")
	if r.status != 200 {
		t.Fatalf("status page: %d\n%s", r.status, r.body)
	}
	if !strings.Contains(r.body, `<li class="current" aria-current="step"><strong>Draft</strong>`) ||
		strings.Count(r.body, `aria-current="step"`) != 1 {
		t.Errorf("the draft is not the one current step\n%s", r.body)
	}
	// Outcomes are announced in the prize's time zone (KST) and hidden until then.
	for _, want := range []string{"Submit by 31 May 2023, 23:59 KST", "Semi-finalist or not", "Announced on 13 July 2023", "Asia/Seoul"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("status page lacks %q\n%s", want, r.body)
		}
	}

	saveAnswers(t, e, kim, completeAnswers(t, e))
	if r := c.post("/application/submit", url.Values{"version": {"1"}}); r.status != 303 {
		t.Fatalf("submit: %d %s", r.status, r.body)
	}
	r = c.get("/application/status")
	if !strings.Contains(r.body, `<li class="current" aria-current="step"><strong>Submitted</strong>`) ||
		!strings.Contains(r.body, "On 20 May 2023, 12:00 KST") {
		t.Errorf("after submitting, Submitted is not current with its date\n%s", r.body)
	}
	if r := c.get("/application"); !strings.Contains(r.body, `href="/application/status"`) ||
		!strings.Contains(r.body, "must use a separate account to submit another project") {
		t.Errorf("the overview lacks the status link or the one-project rule\n%s", r.body)
	}

	// In the screening window the application is in screening; no result is shown.
	later := newEnvOn(t, e.pool, time.Date(2023, 6, 10, 0, 0, 0, 0, time.UTC), nil)
	r = later.signedInClient(t, kim).get("/application/status")
	if !strings.Contains(r.body, `<li class="current" aria-current="step"><strong>In screening</strong>`) ||
		strings.Contains(r.body, ">Eligible<") {
		t.Errorf("in the screening window\n%s", r.body)
	}
}

// An entry submitted after the screening started, under an extension, is in screening from its
// own submission, not from the start of the screening window.
func TestApplicationStatusLateSubmissionIsInScreeningFromItsSubmission(t *testing.T) {
	t.Parallel()
	e := newEnvAt(t, seoulDeadline.Add(time.Hour), nil, "seoul-2023")
	kim := applicantUser(t, e, "kim", true)
	saveAnswers(t, e, kim, completeAnswers(t, e))
	sec := e.signedInClient(t, matrixUser(t, e, "sec", "secretariat"))
	if r := grantExtension(t, e, sec, kim, url.Values{"until": {"2023-06-03T18:00"}, "reason": {"Power cut"}}); r.status != 303 {
		t.Fatalf("grant: %d\n%s", r.status, r.body)
	}
	// Submitted on 2 June 2023, 19:00 KST; the screening started on 1 June.
	submitting := newEnvOn(t, e.pool, time.Date(2023, 6, 2, 10, 0, 0, 0, time.UTC), nil)
	if r := submitting.signedInClient(t, kim).post("/application/submit", url.Values{"version": {"1"}}); r.status != 303 {
		t.Fatalf("submit under the extension: %d %s", r.status, r.body)
	}
	later := newEnvOn(t, e.pool, time.Date(2023, 6, 10, 0, 0, 0, 0, time.UTC), nil)
	r := later.signedInClient(t, kim).get("/application/status")
	step := r.body[strings.Index(r.body, "<strong>In screening</strong>"):]
	if !strings.Contains(step[:200], "On 2 June 2023, 19:00 KST") {
		t.Errorf("in screening not from its submission on 2 June 2023, 19:00 KST:\n%s", r.body)
	}
}

func TestOneProjectPerAccount(t *testing.T) {
	t.Parallel()
	e := newEnvAt(t, time.Date(2023, 5, 20, 3, 0, 0, 0, time.UTC), nil, "seoul-2023")
	_, c := signedInApplicant(t, e, "kim")
	r := c.get("/register?entity_type=city")
	if r.status != 200 || !strings.Contains(r.body, "The same applicant must use a separate account to submit another project") ||
		!strings.Contains(r.body, "Several offices of one government") || strings.Contains(r.body, `name="password"`) {
		t.Fatalf("register while signed in as an applicant: %d\n%s", r.status, r.body)
	}
	var before int
	e.pool.QueryRow(context.Background(), `SELECT count(*) FROM users`).Scan(&before)
	r = c.post("/register", url.Values{"login_id": {"kim2"}, "email": {"kim2@example.org"}, "name": {"Kim"},
		"password": {"a long enough password 1"}, "password_confirm": {"a long enough password 1"},
		"entity_type": {"city"}, "category": {"human-centricity"}, "terms": {"on"}})
	if r.status != 409 || !strings.Contains(r.body, "separate account") {
		t.Fatalf("second registration posted while signed in: %d\n%s", r.status, r.body)
	}
	var after int
	e.pool.QueryRow(context.Background(), `SELECT count(*) FROM users`).Scan(&after)
	if after != before {
		t.Fatalf("users %d -> %d: a second account was created", before, after)
	}
	// Anonymous visitors still register.
	if r := e.signedInClient(t, 0).get("/register?entity_type=city"); r.status != 200 || !strings.Contains(r.body, `name="password"`) || strings.Contains(r.body, "separate account") {
		t.Fatalf("anonymous register page: %d", r.status)
	}
}
