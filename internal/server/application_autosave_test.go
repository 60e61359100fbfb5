package server_test

import (
	"encoding/json"
	"net/url"
	"testing"
	"time"
)

// autosave posts values as form.js does: multipart, with the X-Autosave header.
func (c *client) autosave(path string, values url.Values) (reply, map[string]any) {
	c.t.Helper()
	req := c.multipartRequest(path, values)
	req.Header.Set("X-Autosave", "1")
	r := c.do(req)
	var out map[string]any
	if err := json.Unmarshal([]byte(r.body), &out); err != nil {
		c.t.Fatalf("autosave answer %d is not JSON: %v\n%s", r.status, err, r.body)
	}
	return r, out
}

// TestApplicationAutosave: an autosave is saved like the Save button (answers with format
// problems kept as typed) and answered with the new version; a save from an older version is
// refused with 409 and changes nothing; after the deadline nothing is saved (403).
func TestApplicationAutosave(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	kim, c := signedInApplicant(t, e, "kim")

	r, got := c.autosave("/application/sections/project", url.Values{
		"version": {"0"}, "q.project_title": {"Seoul Talk"}, "q.start_date": {"31 February"},
	})
	// fixedNow, 10 May 2023 03:00 UTC, is 12:00 in Seoul.
	if r.status != 200 || got["version"] != 1.0 || got["savedAtText"] != "12:00 KST" || got["savedAt"] != "2023-05-10T03:00:00Z" || got["problems"] != 1.0 {
		t.Fatalf("autosave: %d %v", r.status, got)
	}
	a := storedApplication(t, e, kim)
	if a.Version != 1 || a.Answers["project_title"].Text != "Seoul Talk" || a.Answers["start_date"].Text != "31 February" {
		t.Fatalf("stored after autosave: %+v", a)
	}

	r, got = c.autosave("/application/sections/project", url.Values{"version": {"0"}, "q.project_title": {"Other tab"}})
	if r.status != 409 || got["error"] == nil {
		t.Fatalf("autosave from an older version: %d %v, want 409", r.status, got)
	}
	if a := storedApplication(t, e, kim); a.Version != 1 || a.Answers["project_title"].Text != "Seoul Talk" {
		t.Fatalf("a refused autosave changed the draft: %+v", a)
	}

	closed := newEnvOn(t, e.pool, seoulDeadline.Add(time.Second), nil)
	r, got = closed.signedInClient(t, kim).autosave("/application/sections/project", url.Values{"version": {"1"}, "q.project_title": {"Late"}})
	if r.status != 403 || got["error"] == nil {
		t.Fatalf("autosave after the deadline: %d %v, want 403", r.status, got)
	}
	if a := storedApplication(t, e, kim); a.Version != 1 {
		t.Fatalf("an autosave after the deadline changed the draft: %+v", a)
	}
}
