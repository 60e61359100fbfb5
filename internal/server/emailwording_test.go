package server_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"prizeportal/internal/db/dbtest"
)

// TestEmailWordingPages: a manager of the edition previews a wording with an unknown placeholder
// (refused next to the field, the typed text kept), saves it, meets a conflict when saving from
// the version before, and resets it; the secretariat may not open the pages; an applicant who
// submits gets the edition's subject.
func TestEmailWordingPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	ed := e.edition(t, "seoul-2023")
	q := "?edition=" + strconv.FormatInt(ed.ID, 10)
	mgr := e.signedInClient(t, conflictStaff(t, e, "mia", "Mia Manager", "manager", "seoul-2023"))
	sec := e.signedInClient(t, conflictStaff(t, e, "sec", "Sec Retariat", "secretariat", "seoul-2023"))
	page := "/studio/emails/application-receipt" + q

	if r := sec.get("/studio/emails" + q); r.status != 403 {
		t.Fatalf("secretariat list: %d, want 403", r.status)
	}
	r := mgr.get("/studio/emails" + q)
	if r.status != 200 || !strings.Contains(r.body, "Receipt of an application") || strings.Contains(r.body, ">Edited<") {
		t.Fatalf("list: %d\n%s", r.status, r.body)
	}
	r = mgr.post(page, url.Values{"subject": {"Got it, {{aplicant_name}}"}, "body": {"Dear {{applicant_name}}"}, "version": {"0"}, "action": {"preview"}})
	if r.status != 422 || !strings.Contains(r.body, "{{aplicant_name}}") || !strings.Contains(r.body, `href="#f-subject"`) ||
		!strings.Contains(r.body, `value="Got it, {{aplicant_name}}"`) {
		t.Fatalf("preview with an unknown placeholder: %d\n%s", r.status, r.body)
	}
	r = mgr.post(page, url.Values{"subject": {"Got it, {{applicant_name}}"}, "body": {"Dear {{applicant_name}}"}, "version": {"0"}, "action": {"preview"}})
	if r.status != 200 || !strings.Contains(r.body, "Got it, Min-jun Kim") {
		t.Fatalf("preview: %d\n%s", r.status, r.body)
	}
	if dbtest.Count(t, e.pool, `SELECT count(*) FROM email_wordings`) != 0 {
		t.Fatal("a preview saved")
	}
	form := url.Values{"subject": {"{{project}} received for {{edition_name}}"}, "body": {"Dear {{applicant_name}},\n\nThanks."}, "version": {"0"}, "action": {"save"}}
	if r := mgr.post(page, form); r.status != 303 {
		t.Fatalf("save: %d\n%s", r.status, r.body)
	}
	if r := mgr.get("/studio/emails" + q); !strings.Contains(r.body, ">Edited<") {
		t.Fatalf("list after the save:\n%s", r.body)
	}
	form.Set("subject", "Another subject")
	r = mgr.post(page, form)
	if r.status != 409 || !strings.Contains(r.body, "Someone else changed") || !strings.Contains(r.body, `value="Another subject"`) ||
		!strings.Contains(r.body, `name="version" value="1"`) {
		t.Fatalf("save from the version before: %d\n%s", r.status, r.body)
	}

	// An applicant of the edition who submits gets the edition's subject.
	kim, c := signedInApplicant(t, e, "kim")
	saveAnswers(t, e, kim, completeAnswers(t, e))
	if r := c.post("/application/submit", url.Values{"version": {"1"}}); r.status != 303 {
		t.Fatalf("submit: %d %s", r.status, r.body)
	}
	var subject, text string
	if err := e.pool.QueryRow(context.Background(), `SELECT subject, text_body FROM email_outbox
		WHERE kind = 'application-receipt' AND user_id = $1`, kim).Scan(&subject, &text); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(subject, " received for "+ed.Name) || !strings.Contains(text, "Thanks.") {
		t.Fatalf("receipt: %q\n%s", subject, text)
	}

	if r := mgr.post("/studio/emails/application-receipt/reset"+q, url.Values{"version": {"1"}}); r.status != 303 {
		t.Fatalf("reset: %d\n%s", r.status, r.body)
	}
	if r := mgr.get(page); !strings.Contains(r.body, "default wording") || strings.Contains(r.body, "Reset to the default wording</button>") {
		t.Fatalf("after the reset:\n%s", r.body)
	}
}
