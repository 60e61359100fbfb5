package server_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"prizeportal/internal/application"
	"prizeportal/internal/blocks/form"
	"prizeportal/internal/blocks/form/formtest"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/notify"
)

// samplePDF is a small file the upload check recognises as a PDF.
var samplePDF = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

// applicantUser creates an applicant registered for Tech-InnovaCity of seoul-2023.
func applicantUser(t *testing.T, e *env, login string, verified bool) int64 {
	t.Helper()
	ctx := context.Background()
	var id int64
	err := e.pool.QueryRow(ctx, `
		INSERT INTO users (login_id, email, name, password_hash, edition_id, category_id, entity_type, email_verified_at)
		SELECT $1, $1 || '@example.org', 'Applicant ' || $1, 'x', ed.id, c.id, 'city', CASE WHEN $2 THEN now() END
		FROM editions ed JOIN categories c ON c.edition_id = ed.id
		WHERE ed.slug = 'seoul-2023' AND c.key = 'tech-innovacity' RETURNING id`, login, verified).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	dbtest.Exec(t, e.pool, `INSERT INTO role_grants (user_id, role, edition_id) SELECT $1, 'applicant', edition_id FROM users WHERE id = $1`, id)
	return id
}

// signedInApplicant is a new verified applicant login (applicantUser) and a client signed in as them.
func signedInApplicant(t *testing.T, e *env, login string) (int64, *client) {
	t.Helper()
	id := applicantUser(t, e, login, true)
	return id, e.signedInClient(t, id)
}

type upload struct {
	field, name string
	data        []byte
}

// postMultipart posts a multipart form, as the section pages do.
func (c *client) postMultipart(path string, values url.Values, uploads ...upload) reply {
	c.t.Helper()
	return c.do(c.multipartRequest(path, values, uploads...))
}

// multipartRequest is the POST of values and uploads to path as a multipart form.
func (c *client) multipartRequest(path string, values url.Values, uploads ...upload) *http.Request {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range values {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	for _, u := range uploads {
		w, err := mw.CreateFormFile(u.field, u.name)
		if err != nil {
			c.t.Fatal(err)
		}
		w.Write(u.data)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", c.base+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return req
}

// samplePDFFile writes samplePDF to a file called name in a temporary folder and returns its path.
func samplePDFFile(t *testing.T, name string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, samplePDF, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// storedApplication loads the stored application of owner.
func storedApplication(t *testing.T, e *env, owner int64) application.Application {
	t.Helper()
	a, err := application.Load(context.Background(), e.pool, owner)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// completeAnswers fills every question of the Tech-InnovaCity form validly.
func completeAnswers(t *testing.T, e *env) form.Answers {
	t.Helper()
	return completeAnswersFor(t, e, "tech-innovacity")
}

// completeAnswersFor fills every question of the form of seoul-2023's category validly.
func completeAnswersFor(t *testing.T, e *env, category string) form.Answers {
	t.Helper()
	return completeAnswersIn(t, e, "seoul-2023", category)
}

// completeAnswersIn fills every question of the form of category in the edition of slug validly.
// A required file question names a file that is not stored (the tests that need real files
// upload them).
func completeAnswersIn(t *testing.T, e *env, slug, category string) form.Answers {
	t.Helper()
	ed := e.edition(t, slug)
	cat, _ := ed.Category(category)
	f := cat.Form
	a := formtest.Complete(f)
	if errs := form.Validate(f, a, form.Submit); errs.Any() {
		t.Fatalf("test answers do not validate: %v", errs)
	}
	return a
}

// saveAnswers stores answers as the owner's draft.
func saveAnswers(t *testing.T, e *env, owner int64, answers form.Answers) {
	t.Helper()
	a := storedApplication(t, e, owner)
	if _, _, err := application.Save(context.Background(), e.pool, a, a.Version, answers, fixedNow); err != nil {
		t.Fatal(err)
	}
}

// completeTheRest fills every question owner's draft leaves unanswered with a complete answer,
// keeping what the draft holds.
func completeTheRest(t *testing.T, e *env, owner int64) {
	t.Helper()
	completeTheRestWith(t, e, owner, completeAnswers(t, e))
}

// completeTheRestWith fills every question owner's draft leaves unanswered with its answer in
// answers, keeping what the draft holds.
func completeTheRestWith(t *testing.T, e *env, owner int64, answers form.Answers) {
	t.Helper()
	for k, v := range storedApplication(t, e, owner).Answers {
		answers[k] = v
	}
	saveAnswers(t, e, owner, answers)
}

func TestApplicationDraftKeepsInvalidInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	kim, c := signedInApplicant(t, e, "kim")

	if r := c.get("/application"); r.status != 200 || !strings.Contains(r.body, "Not started yet") || !strings.Contains(r.body, "Asia/Seoul") {
		t.Fatalf("overview: %d %s", r.status, r.body)
	}
	r := c.postMultipart("/application/sections/project", url.Values{
		"version": {"0"}, "action": {"continue"},
		"q.project_title": {"Seoul Talk"}, "q.start_date": {"31 February"},
	})
	if r.status != 422 || !strings.Contains(r.body, "31 February") || !strings.Contains(r.body, "There is a problem") {
		t.Fatalf("save with a bad date: %d, want 422 with the typed text and an error summary\n%s", r.status, r.body)
	}
	a := storedApplication(t, e, kim)
	if a.Answers["start_date"].Text != "31 February" || application.Title(a.Answers) != "Seoul Talk" || a.Version != 1 {
		t.Fatalf("stored draft = %+v; want the typed text kept at version 1", a)
	}
	// A valid save moves on to the next section.
	r = c.postMultipart("/application/sections/project", url.Values{
		"version": {"1"}, "action": {"continue"}, "q.project_title": {"Seoul Talk"}, "q.start_date": {"2021-03-01"},
	})
	if r.status != 303 || r.location != "/application/sections/organisation" {
		t.Fatalf("save and continue: %d %q", r.status, r.location)
	}
	if r := c.get("/application/sections/no-such-section"); r.status != 404 {
		t.Fatalf("unknown section: %d, want 404", r.status)
	}
}

func TestApplicationConflictKeepsBothTexts(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	kim := applicantUser(t, e, "kim", true)
	tab1, tab2 := e.signedInClient(t, kim), e.signedInClient(t, kim)
	if r := tab1.postMultipart("/application/sections/project", url.Values{"version": {"0"}, "action": {"save"}, "q.summary": {"Text from tab one"}}); r.status != 303 {
		t.Fatalf("tab one: %d", r.status)
	}
	r := tab2.postMultipart("/application/sections/project", url.Values{"version": {"0"}, "action": {"save"}, "q.summary": {"Text from tab two"}})
	if r.status != 409 || !strings.Contains(r.body, "Text from tab one") || !strings.Contains(r.body, "Text from tab two") {
		t.Fatalf("tab two: %d, want 409 showing both texts\n%s", r.status, r.body)
	}
	if got := storedApplication(t, e, kim).Answers["summary"].Text; got != "Text from tab one" {
		t.Fatalf("stored summary = %q; tab two must not overwrite it", got)
	}
	// The conflict page carries the current version: saving from it is deliberate and succeeds.
	if !strings.Contains(r.body, `name="version" value="1"`) {
		t.Fatal("conflict page does not carry the current version")
	}
	if r := tab2.postMultipart("/application/sections/project", url.Values{"version": {"1"}, "action": {"save"}, "q.summary": {"Text from tab two"}}); r.status != 303 {
		t.Fatalf("save after choosing: %d", r.status)
	}
}

func TestApplicationFileOnlyForOwner(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	kim, lee := applicantUser(t, e, "kim", true), applicantUser(t, e, "lee", true)
	c := e.signedInClient(t, kim)
	path := "/application/files/" + uploadDocument(t, e, c, kim, "report.pdf", samplePDF).ID
	got := c.get(path)
	if got.status != 200 || got.body != string(samplePDF) {
		t.Fatalf("owner download: %d", got.status)
	}
	if r := e.signedInClient(t, lee).get(path); r.status != 404 {
		t.Fatalf("another applicant: %d, want 404", r.status)
	}
	if r := e.signedInClient(t, 0).get(path); r.status == 200 {
		t.Fatal("anonymous download allowed")
	}
	// A renamed program is refused and the typed answers are still saved.
	exe := append([]byte("MZ\x90\x00"), bytes.Repeat([]byte{0}, 60)...)
	r := c.postMultipart("/application/sections/materials", url.Values{"version": {"1"}, "action": {"save"}},
		upload{"q.documents", "report2.pdf", exe})
	if r.status != 422 || len(storedApplication(t, e, kim).Answers["documents"].Files) != 1 {
		t.Fatalf("renamed program: %d, want 422 and still one file", r.status)
	}
}

// uploadDocument saves the first file, name, to the supporting documents of owner's new
// application, through c, and returns it as stored.
func uploadDocument(t *testing.T, e *env, c *client, owner int64, name string, data []byte) form.FileRef {
	t.Helper()
	r := c.postMultipart("/application/sections/materials", url.Values{"version": {"0"}, "action": {"save"}},
		upload{"q.documents", name, data})
	if r.status != 303 {
		t.Fatalf("upload: %d %s", r.status, r.body)
	}
	refs := storedApplication(t, e, owner).Answers["documents"].Files
	if len(refs) != 1 || refs[0].Name != name {
		t.Fatalf("stored files = %+v", refs)
	}
	return refs[0]
}

func TestApplicationSubmit(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	kim, c := signedInApplicant(t, e, "kim")
	saveAnswers(t, e, kim, form.Answers{"project_title": {Text: "Seoul Talk"}})

	r := c.post("/application/submit", url.Values{"version": {"1"}})
	if r.status != 422 || !strings.Contains(r.body, `href="/application/sections/project#f-q.summary"`) {
		t.Fatalf("submit with missing answers: %d, want 422 linking to the field\n%s", r.status, r.body)
	}
	saveAnswers(t, e, kim, completeAnswers(t, e))
	if r := c.get("/application/review"); r.status != 200 || !strings.Contains(r.body, "Submit the project application") {
		t.Fatalf("review: %d", r.status)
	}
	if r := c.post("/application/submit", url.Values{"version": {"1"}}); r.status != 409 {
		t.Fatalf("submit from an old version: %d, want 409", r.status)
	}
	if r := c.post("/application/submit", url.Values{"version": {"2"}}); r.status != 303 {
		t.Fatalf("submit: %d %s", r.status, r.body)
	}
	a := storedApplication(t, e, kim)
	if a.Status != application.Submitted || a.Submissions != 1 {
		t.Fatalf("after submit: %+v", a)
	}
	if r := c.post("/application/submit", url.Values{"version": {"2"}}); r.status != 409 {
		t.Fatalf("submitting the same version twice: %d, want 409", r.status)
	}
	// Editing before the deadline and submitting again makes a second version.
	if r := c.postMultipart("/application/sections/project", url.Values{"version": {"2"}, "action": {"save"},
		"q.project_title": {"Seoul Talk 2"}, "q.summary": {"New"}, "q.location": {"Seoul"}, "q.sectors": {"mobility"},
		"q.stage": {"planning"}, "q.start_date": {"2021-03-01"}}); r.status != 303 {
		t.Fatalf("edit after submission: %d %s", r.status, r.body)
	}
	if r := c.get("/application"); !strings.Contains(r.body, "submit again") {
		t.Fatalf("overview does not say the changes need submitting:\n%s", r.body)
	}
	if r := c.post("/application/submit", url.Values{"version": {"3"}}); r.status != 303 {
		t.Fatalf("re-submit: %d %s", r.status, r.body)
	}
	if a := storedApplication(t, e, kim); a.Submissions != 2 || application.Title(a.Answers) != "Seoul Talk 2" {
		t.Fatalf("after re-submitting: %+v", a)
	}
	var subject, text string
	var attachments []notify.Attachment
	if err := e.pool.QueryRow(context.Background(), `SELECT subject, text_body, attachments FROM email_outbox WHERE to_address = 'kim@example.org' AND kind = 'application-receipt' ORDER BY id LIMIT 1`).Scan(&subject, &text, &attachments); err != nil {
		t.Fatalf("receipt email: %v", err)
	}
	if len(attachments) != 1 || attachments[0].ContentType != "application/pdf" || !bytes.HasPrefix(attachments[0].Data, []byte("%PDF-")) {
		t.Fatalf("receipt attachments = %d, want one PDF copy", len(attachments))
	}
	ed := e.edition(t, "seoul-2023")
	if !strings.Contains(subject, ed.Name) || !strings.Contains(text, "Tech-InnovaCity") || !strings.Contains(text, "Smart bus stops") {
		t.Fatalf("receipt does not name the prize, category and project: %q\n%s", subject, text)
	}
	// Withdraw with confirmation.
	if r := c.get("/application/withdraw"); r.status != 200 || !strings.Contains(r.body, "Withdraw my project application") {
		t.Fatalf("withdraw page: %d", r.status)
	}
	if r := c.post("/application/withdraw", url.Values{}); r.status != 303 {
		t.Fatalf("withdraw: %d", r.status)
	}
	if a := storedApplication(t, e, kim); a.Status != application.Withdrawn {
		t.Fatalf("after withdrawal: %s", a.Status)
	}
}

func TestApplicationSubmitNeedsVerifiedEmail(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	kim := applicantUser(t, e, "kim", false)
	saveAnswers(t, e, kim, completeAnswers(t, e))
	r := e.signedInClient(t, kim).post("/application/submit", url.Values{"version": {"1"}})
	if r.status != 403 || !strings.Contains(r.body, "confirm your email address") {
		t.Fatalf("unverified submit: %d\n%s", r.status, r.body)
	}
	if a := storedApplication(t, e, kim); a.Status != application.Draft {
		t.Fatalf("status %s, want draft", a.Status)
	}
}

func TestApplicationReadOnlyAfterDeadline(t *testing.T) {
	t.Parallel()
	// The seoul-2023 deadline is 31 May 2023, 23:59 in Seoul: 14:59 UTC.
	deadline := time.Date(2023, 5, 31, 14, 59, 0, 0, time.UTC)
	e := newEnvAt(t, deadline, nil, "seoul-2023")
	kim := applicantUser(t, e, "kim", true)
	saveAnswers(t, e, kim, completeAnswers(t, e))
	c := e.signedInClient(t, kim)
	if r := c.post("/application/submit", url.Values{"version": {"1"}}); r.status != 403 || !strings.Contains(r.body, "deadline passed") {
		t.Fatalf("submit at the deadline: %d", r.status)
	}
	r := c.get("/application/sections/project")
	if r.status != 200 || strings.Contains(r.body, `enctype="multipart/form-data"`) || !strings.Contains(r.body, "Smart bus stops") {
		t.Fatalf("section after the deadline: %d, want the answers without a form\n%s", r.status, r.body)
	}
	r = c.postMultipart("/application/sections/project", url.Values{"version": {"1"}, "q.summary": {"late"}})
	if r.status != 403 || storedApplication(t, e, kim).Answers["summary"].Text == "late" {
		t.Fatalf("save after the deadline: %d", r.status)
	}

	// One second before the deadline, submitting works.
	onTime := newEnvOn(t, e.pool, deadline.Add(-time.Second), nil)
	if r := onTime.signedInClient(t, kim).post("/application/submit", url.Values{"version": {"1"}}); r.status != 303 {
		t.Fatalf("submit one second before the deadline: %d %s", r.status, r.body)
	}
}
