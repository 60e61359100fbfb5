package server_test

import (
	"context"
	"net/url"
	"strconv"
	"testing"

	"prizeportal/internal/application"
	"prizeportal/internal/blocks/form"
)

// TestApplicationRemoveFileKeepsTypedText removes an uploaded document in the same save as typed
// text: the save succeeds, the text is stored and the file is gone from the answer and from the
// application's files.
func TestApplicationRemoveFileKeepsTypedText(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	kim, c := signedInApplicant(t, e, "kim")
	if r := c.postMultipart("/application/sections/materials", url.Values{"version": {"0"}, "action": {"save"}},
		upload{"q.documents", "mistake.pdf", samplePDF}); r.status != 303 {
		t.Fatalf("upload: %d %s", r.status, r.body)
	}
	a := storedApplication(t, e, kim)
	refs := a.Answers["documents"].Files
	if len(refs) != 1 {
		t.Fatalf("stored files = %+v", refs)
	}
	r := c.postMultipart("/application/sections/materials", url.Values{"version": {strconv.Itoa(a.Version)}, "action": {"save"},
		"q.videos.1.url": {"https://video.example/talk"}, "q.videos.1.title": {"Launch talk"},
		form.RemoveName("documents"): {refs[0].ID}})
	if r.status != 303 {
		t.Fatalf("save with a removal: %d, want 303\n%s", r.status, r.body)
	}
	a = storedApplication(t, e, kim)
	if got := a.Answers["documents"].Files; len(got) != 0 {
		t.Fatalf("files after removal = %+v, want none", got)
	}
	if rows := a.Answers["videos"].Rows; len(rows) != 1 || rows[0]["title"] != "Launch talk" {
		t.Fatalf("typed rows = %+v, want the typed video kept", rows)
	}
	if r := c.get("/application/files/" + refs[0].ID); r.status != 404 {
		t.Fatalf("download of the removed file: %d, want 404", r.status)
	}
}

// TestNominationRemoveFileKeepsTypedText does the same in a section of the Leadership
// Application Form of a nomination.
func TestNominationRemoveFileKeepsTypedText(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	ana, id := anaNominatesKim(t, e)
	c := e.signedInClient(t, ana)
	home := "/nominations/" + strconv.FormatInt(id, 10)
	v := strconv.Itoa(storedEntry(t, e, ana, id).Version)
	if r := c.postMultipart(home+"/sections/candidate", url.Values{"version": {v}, "action": {"save"}},
		upload{"q.cv", "wrong-cv.pdf", samplePDF}); r.status != 303 {
		t.Fatalf("upload: %d %s", r.status, r.body)
	}
	a := storedEntry(t, e, ana, id)
	refs := a.Answers["cv"].Files
	if len(refs) != 1 {
		t.Fatalf("stored files = %+v", refs)
	}
	r := c.postMultipart(home+"/sections/candidate", url.Values{"version": {strconv.Itoa(a.Version)}, "action": {"save"},
		"q.biography": {"She leads the city's data office."}, form.RemoveName("cv"): {refs[0].ID}})
	if r.status != 303 {
		t.Fatalf("save with a removal: %d, want 303\n%s", r.status, r.body)
	}
	a = storedEntry(t, e, ana, id)
	if got := a.Answers["cv"].Files; len(got) != 0 {
		t.Fatalf("files after removal = %+v, want none", got)
	}
	if got := a.Answers["biography"].Text; got != "She leads the city's data office." {
		t.Fatalf("biography = %q, want the typed text", got)
	}
}

// storedEntry loads the nomination entry id of owner.
func storedEntry(t *testing.T, e *env, owner, id int64) application.Application {
	t.Helper()
	a, err := application.LoadEntry(context.Background(), e.pool, owner, id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestRemoveSubmittedFileKeepsIt: a file that a submitted version refers to leaves the draft's
// answers when removed, but stays stored: the committee sees the submitted version.
func TestRemoveSubmittedFileKeepsIt(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	kim := applicantUser(t, e, "kim", true)
	saveAnswers(t, e, kim, completeAnswers(t, e))
	c := e.signedInClient(t, kim)
	a := storedApplication(t, e, kim)
	if r := c.postMultipart("/application/sections/materials", url.Values{"version": {strconv.Itoa(a.Version)}, "action": {"save"}},
		upload{"q.documents", "report.pdf", samplePDF}); r.status != 303 {
		t.Fatalf("upload: %d %s", r.status, r.body)
	}
	a = storedApplication(t, e, kim)
	refs := a.Answers["documents"].Files
	if r := c.post("/application/submit", url.Values{"version": {strconv.Itoa(a.Version)}}); r.status != 303 {
		t.Fatalf("submit: %d %s", r.status, r.body)
	}
	a = storedApplication(t, e, kim)
	r := c.postMultipart("/application/sections/materials", url.Values{"version": {strconv.Itoa(a.Version)}, "action": {"save"},
		form.RemoveName("documents"): {refs[0].ID}})
	if r.status != 303 {
		t.Fatalf("remove a submitted file: %d\n%s", r.status, r.body)
	}
	if got := storedApplication(t, e, kim).Answers["documents"].Files; len(got) != 0 {
		t.Fatalf("draft files = %+v, want none", got)
	}
	if r := c.get("/application/files/" + refs[0].ID); r.status != 200 || r.body != string(samplePDF) {
		t.Fatalf("the submitted version's file: %d, want it kept", r.status)
	}
}
