package server_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"prizeportal/internal/db/dbtest"
)

// TestStudioCopyChangeReviewPublish follows a manager through the edition studio over HTTP: copy
// seoul-2023 into a draft, change its deadline (reviewed as a diff, then saved), see a change on
// an old version refused, an invalid date refused next to its field, the history, the YAML
// download, and publication, before which the draft is invisible to the public.
func TestStudioCopyChangeReviewPublish(t *testing.T) {
	t.Parallel()
	e := newEnvAt(t, time.Date(2023, 2, 1, 9, 0, 0, 0, time.UTC), nil, "seoul-2023")
	mgr := matrixUser(t, e, "mina", "manager")
	other := matrixUser(t, e, "sam", "secretariat")
	c := e.signedInClient(t, mgr)

	if res := c.get("/studio"); res.status != 200 || !strings.Contains(res.body, "Seoul Smart City Prize 2023") {
		t.Fatalf("studio list: %d %s", res.status, res.body)
	}
	if res := e.signedInClient(t, other).get("/studio"); res.status != 403 {
		t.Errorf("a secretariat member without the manager role opened the studio: %d", res.status)
	}
	res := c.get("/studio/new?from=seoul-2023")
	if res.status != 200 || !strings.Contains(res.body, `value="seoul-2024"`) || !strings.Contains(res.body, "Seoul Smart City Prize 2024") {
		t.Fatalf("new edition form: %d", res.status)
	}
	res = c.post("/studio/new", url.Values{"from": {"seoul-2023"}, "slug": {"Seoul 2024"}, "name": {""}, "years": {"1"}})
	if res.status != 422 || !strings.Contains(res.body, "There is a problem") && !strings.Contains(res.body, "error-summary") {
		t.Fatalf("a bad address and no name: %d", res.status)
	}
	res = c.post("/studio/new", url.Values{"from": {"seoul-2023"}, "slug": {"seoul-2024"}, "name": {"Seoul Smart City Prize 2024"}, "years": {"1"}, "days": {"0"}})
	if res.status != 303 || res.location != "/studio/seoul-2024" {
		t.Fatalf("copy: %d %q %s", res.status, res.location, res.body)
	}
	if res := e.client(t).get("/editions/seoul-2024"); res.status != 404 {
		t.Errorf("the public sees the draft: %d", res.status)
	}
	page := c.get("/studio/seoul-2024")
	if page.status != 200 || !strings.Contains(page.body, "Draft") || !strings.Contains(page.body, "Created as a copy") {
		t.Fatalf("edition page: %d", page.status)
	}
	sheet := c.get("/studio/seoul-2024/schedule")
	if sheet.status != 200 || !strings.Contains(sheet.body, `value="2024-05-31 23:59"`) {
		t.Fatalf("schedule sheet: %d", sheet.status)
	}
	version := e.edition(t, "seoul-2024").Version
	form := url.Values{"version": {strconv.Itoa(version)}, "schedule.application_deadline": {"2024-05-24 18:00"}}
	review := c.post("/studio/seoul-2024/schedule", form)
	if review.status != 200 || !strings.Contains(review.body, "Review the changes") || !strings.Contains(review.body, "2024-05-31 23:59") ||
		!strings.Contains(review.body, "2024-05-24 18:00") || e.edition(t, "seoul-2024").Version != version {
		t.Fatalf("review: %d %s", review.status, review.body)
	}
	form.Set("confirm", "yes")
	form.Set("reason", "The ceremony venue moved the calendar.")
	if res := c.post("/studio/seoul-2024/schedule", form); res.status != 303 {
		t.Fatalf("save: %d %s", res.status, res.body)
	}
	if got := e.edition(t, "seoul-2024"); got.Version != version+1 || got.Schedule.ApplicationDeadline.Format("2006-01-02 15:04") != "2024-05-24 18:00" {
		t.Errorf("stored: version %d, deadline %v", got.Version, got.Schedule.ApplicationDeadline)
	}
	// The same confirmation on the version seen before is a conflict: nothing is saved.
	form.Set("schedule.application_deadline", "2024-05-20 18:00")
	if res := c.post("/studio/seoul-2024/schedule", form); res.status != 303 || !strings.HasSuffix(res.location, "/studio/seoul-2024/schedule") {
		t.Errorf("a change on an old version: %d %q", res.status, res.location)
	}
	if got := e.edition(t, "seoul-2024"); got.Version != version+1 {
		t.Errorf("a change on an old version was saved")
	}
	// An invalid date is refused next to its field, with what was typed kept.
	bad := c.post("/studio/seoul-2024/schedule", url.Values{"version": {strconv.Itoa(version + 1)}, "schedule.application_deadline": {"24 May"}})
	if bad.status != 422 || !strings.Contains(bad.body, `value="24 May"`) || !strings.Contains(bad.body, `aria-invalid="true"`) {
		t.Errorf("an invalid date: %d", bad.status)
	}
	page = c.get("/studio/seoul-2024")
	if !strings.Contains(page.body, "Changed in the studio") || !strings.Contains(page.body, "The ceremony venue moved the calendar.") ||
		!strings.Contains(page.body, "Application deadline") {
		t.Errorf("the history lacks the change")
	}
	yaml := c.get("/studio/seoul-2024/edition.yaml")
	if yaml.status != 200 || !strings.Contains(yaml.body, "slug: seoul-2024") || !strings.Contains(yaml.body, "application_deadline: 2024-05-24 18:00") {
		t.Errorf("download: %d", yaml.status)
	}
	// Publication, with the version seen.
	if res := c.post("/studio/seoul-2024/publish", url.Values{"version": {strconv.Itoa(version + 1)}}); res.status != 303 {
		t.Fatalf("publish: %d %s", res.status, res.body)
	}
	if res := e.client(t).get("/editions/seoul-2024"); res.status != 200 {
		t.Errorf("the published edition is not public: %d", res.status)
	}
}

// TestStudioDeadlineMoveAsksForAReason: moving the deadline of a published edition that has
// entries is reviewed first, then saved only with a reason, which the review asks for next to its
// field; the applicant with a draft is emailed.
func TestStudioDeadlineMoveAsksForAReason(t *testing.T) {
	t.Parallel()
	e := newEnvAt(t, fixedNow, nil, "seoul-2023")
	c := e.signedInClient(t, matrixUser(t, e, "mina", "manager"))
	owner := matrixUser(t, e, "kim", "applicant")
	ed := e.edition(t, "seoul-2023")
	tech, _ := ed.Category("tech-innovacity")
	dbtest.Exec(t, e.pool, `INSERT INTO applications (user_id, edition_id, category_id) VALUES ($1, $2, $3)`, owner, ed.ID, tech.ID)
	form := url.Values{"version": {strconv.Itoa(ed.Version)}, "schedule.application_deadline": {"2023-05-30 23:59"}}
	review := c.post("/studio/seoul-2023/schedule", form)
	if review.status != 200 || !strings.Contains(review.body, "Review the changes") || !strings.Contains(review.body, `name="reason" rows="8" maxlength="1000" required`) {
		t.Fatalf("review: %d\n%s", review.status, review.body)
	}
	form.Set("confirm", "yes")
	again := c.post("/studio/seoul-2023/schedule", form)
	if again.status != 422 || !strings.Contains(again.body, "Review the changes") || !strings.Contains(again.body, "Give the reason for this change: the applicants with a draft will be emailed") {
		t.Fatalf("confirmed without a reason: %d\n%s", again.status, again.body)
	}
	form.Set("reason", "The venue asked for it.")
	if res := c.post("/studio/seoul-2023/schedule", form); res.status != 303 {
		t.Fatalf("confirmed with a reason: %d %s", res.status, res.body)
	}
	var n int
	if err := e.pool.QueryRow(context.Background(), `SELECT count(*) FROM email_outbox WHERE kind = 'deadline-moved' AND user_id = $1`, owner).Scan(&n); err != nil || n != 1 {
		t.Errorf("deadline emails to the applicant: %d, %v", n, err)
	}
}
