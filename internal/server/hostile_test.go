package server_test

import (
	"bytes"
	"context"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/files"
)

// hostileMultipart posts body (a multipart/form-data body with boundary "hostile") to path.
func (c *client) hostileMultipart(path string, body []byte) reply {
	c.t.Helper()
	req, _ := http.NewRequest("POST", c.base+path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "multipart/form-data; boundary=hostile")
	return c.do(req)
}

// hostilePart is one part of a hand-written multipart body, so that names reach the server
// exactly as an attacker would send them.
func hostilePart(name, filename string, data []byte) []byte {
	disp := fmt.Sprintf("form-data; name=%q", name)
	if filename != "" {
		disp += `; filename="` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(filename) + `"`
	}
	return fmt.Appendf(nil, "--hostile\r\nContent-Disposition: %s\r\nContent-Type: application/octet-stream\r\n\r\n%s\r\n", disp, data)
}

func hostileBody(parts ...[]byte) []byte {
	return append(bytes.Join(parts, nil), "--hostile--\r\n"...)
}

// wantProblemPage fails unless r is a full page with the status and the heading, and shows
// nothing of Go's own error texts.
func wantProblemPage(t *testing.T, what string, r reply, status int, heading string) {
	t.Helper()
	if r.status != status || !strings.Contains(r.body, heading) || !strings.Contains(r.body, "</html>") {
		t.Fatalf("%s: %d, want %d with %q\n%.2000s", what, r.status, status, heading, r.body)
	}
	for _, leak := range []string{"multipart:", "http: request body too large", "exceeded limit", "server:", "files: receive"} {
		if strings.Contains(r.body, leak) {
			t.Fatalf("%s: the page shows an internal error text %q", what, leak)
		}
	}
}

// TestHostileOversizedBodies: a urlencoded form larger than the portal reads, or with more fields
// than it accepts, is refused with a 413 page that says so; so is a multipart form (an
// application section) over its budget or with too many fields, and nothing of it is saved.
func TestHostileOversizedBodies(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	anon := e.signedInClient(t, 0)
	big := url.Values{"login": {strings.Repeat("x", 300<<10)}}
	wantProblemPage(t, "urlencoded body over 256 KB", anon.post("/password/forgot", big), 413, "The form is too large")
	many := url.Values{}
	for i := range 1200 {
		many.Add(fmt.Sprintf("f%d", i), "x")
	}
	wantProblemPage(t, "1,200 urlencoded fields", anon.post("/password/forgot", many), 413, "The form is too large")
	// Beyond what Go's parser reads at all (10,000 values): refused as too large too.
	r := anon.post("/password/forgot", url.Values{"login": {"x"}, "f": make([]string, 12000)})
	wantProblemPage(t, "12,000 urlencoded fields", r, 413, "The form is too large")

	kim, c := signedInApplicant(t, e, "kim")
	// A section's text is at most 1 MB in all: a 3 MB answer is refused before anything is saved.
	huge := hostileBody(hostilePart("version", "", []byte("0")), hostilePart("q.summary", "", bytes.Repeat([]byte("x"), 3<<20)))
	r = c.hostileMultipart("/application/sections/project", huge)
	if r.status != 413 || !strings.Contains(r.body, "longer than it can accept") || !strings.Contains(r.body, "Nothing was saved") {
		t.Fatalf("multipart over its budget: %d\n%.2000s", r.status, r.body)
	}
	var parts [][]byte
	for i := range 1100 {
		parts = append(parts, hostilePart(fmt.Sprintf("q.f%d", i), "", []byte("x")))
	}
	r = c.hostileMultipart("/application/sections/project", hostileBody(parts...))
	if r.status != 413 || !strings.Contains(r.body, "more fields than it can accept") {
		t.Fatalf("1,100 multipart fields: %d\n%.2000s", r.status, r.body)
	}
	if n := countRows(t, e, `SELECT count(*) FROM applications WHERE user_id = $1`, kim) + countRows(t, e, `SELECT count(*) FROM files`); n != 0 {
		t.Fatalf("%d applications or files saved from refused requests", n)
	}
}

func countRows(t *testing.T, e *env, sql string, args ...any) int {
	t.Helper()
	return dbtest.Count(t, e.pool, sql, args...)
}

// TestHostileMalformedMultipart: a multipart body that cannot be read (no closing boundary, a
// part without headers, a boundary the header does not announce, not multipart at all) is
// refused with a clear 400 (415 for another content type) page, and nothing is saved.
func TestHostileMalformedMultipart(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	kim, c := signedInApplicant(t, e, "kim")
	pdf := []byte("%PDF-1.7\nxxxxxxxx")
	for name, body := range map[string][]byte{
		"cut off in a file":   append(hostilePart("version", "", []byte("0")), hostilePart("q.documents", "a.pdf", pdf)[:60]...),
		"headers never end":   []byte("--hostile\r\nContent-Disposition: form-data; name=\"q.summary\"\r\n" + strings.Repeat("X-A: b\r\n", 20)),
		"garbage":             []byte("\x00\xff--hostile\r\n\r\n\r\n--hostile"),
		"other boundary":      []byte("--other\r\nContent-Disposition: form-data; name=\"version\"\r\n\r\n0\r\n--other--\r\n"),
		"bad header encoding": []byte("--hostile\r\nContent-Disposition: form-data; name=\"q.documents\"; filename*=UTF-8''%ZZ.pdf\r\n\r\n%PDF-1.7\n\r\n--hostile"),
	} {
		r := c.hostileMultipart("/application/sections/materials", body)
		if r.status != 400 || !strings.Contains(r.body, "could not be read") || !strings.Contains(r.body, "Nothing was saved") {
			t.Errorf("%s: %d, want 400 with a clear message\n%.1500s", name, r.status, r.body)
		}
	}
	req, _ := http.NewRequest("POST", c.base+"/application/sections/materials", strings.NewReader("version=0&q.summary=x"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if r := c.do(req); r.status != 415 || !strings.Contains(r.body, "could not be read") {
		t.Errorf("urlencoded to a multipart form: %d", r.status)
	}
	if n := countRows(t, e, `SELECT count(*) FROM applications WHERE user_id = $1`, kim) + countRows(t, e, `SELECT count(*) FROM files`); n != 0 {
		t.Fatalf("%d applications or files saved from malformed requests", n)
	}
	// A malformed urlencoded body is a 400 page too.
	anon := e.signedInClient(t, 0)
	req, _ = http.NewRequest("POST", anon.base+"/password/forgot", strings.NewReader("login=%zz&x=%"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	wantProblemPage(t, "malformed urlencoded", anon.do(req), 400, "The form could not be read")
}

// TestHostileFileNames: names with paths (relative, absolute, Windows), NUL, control and
// right-to-left override characters are neutralised: the stored and shown name is the sanitised
// last element, the file is stored under a random key inside the store (never along the sent
// path), and the download offers the safe name.
func TestHostileFileNames(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	kim, c := signedInApplicant(t, e, "kim")
	pdf := []byte("%PDF-1.7\n% hostile names\n%%EOF\n")
	sent := map[string]string{
		"../../../../etc/passwd.pdf":         "passwd.pdf",
		"/etc/hostile-absolute.pdf":          "hostile-absolute.pdf",
		`..\..\Windows\System32\hostile.pdf`: "hostile.pdf",
		"nul\x00byte.pdf":                    "",
		"evil\u202efdp.exe.pdf":              "evilfdp.exe.pdf",
		"tab\tand<script>.pdf":               "tab and_script_.pdf",
		"C:\\Users\\kim\\Desktop\\사업계획서.pdf": "사업계획서.pdf",
	}
	for name := range sent {
		// One request each: a name a browser could never send may make the whole request
		// unreadable (400), which is safe too.
		var version int
		_ = e.pool.QueryRow(context.Background(), `SELECT version FROM applications WHERE user_id = $1`, kim).Scan(&version)
		r := c.hostileMultipart("/application/sections/materials", hostileBody(hostilePart("version", "", []byte(fmt.Sprint(version))),
			hostilePart("action", "", []byte("save")), hostilePart("q.documents", name, pdf)))
		if r.status != 303 && r.status != 422 && r.status != 400 {
			t.Fatalf("upload of %q: %d\n%.2000s", name, r.status, r.body)
		}
	}
	rows, err := e.pool.Query(context.Background(), `SELECT id, storage_key, original_name FROM files ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	type stored struct {
		id        int64
		key, name string
	}
	var got []stored
	for rows.Next() {
		var s stored
		if err := rows.Scan(&s.id, &s.key, &s.name); err != nil {
			t.Fatal(err)
		}
		got = append(got, s)
	}
	if rows.Err() != nil {
		t.Fatal(rows.Err())
	}
	want := map[string]bool{}
	for _, n := range sent {
		if n != "" {
			want[n] = true
		}
	}
	for _, s := range got {
		if !want[s.name] {
			t.Errorf("stored name %q is not one of the sanitised names %v", s.name, want)
		}
		delete(want, s.name)
		if !files.ValidKey(s.key) || strings.HasPrefix(s.key, "/") || strings.ContainsAny(s.key, `\.`) || strings.Contains(s.key, "passwd") {
			t.Errorf("storage key %q", s.key)
		}
		d := c.get(fmt.Sprintf("/application/files/%d", s.id))
		if d.status != 200 || d.body != string(pdf) {
			t.Errorf("download of %q: %d", s.name, d.status)
		}
		res, _ := http.NewRequest("GET", c.base+fmt.Sprintf("/application/files/%d", s.id), nil)
		resp, err := c.http.Do(res)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		_, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition"))
		if err != nil || params["filename"] == "" || strings.ContainsAny(params["filename"], `/\"`+"\x00\r\n") ||
			strings.ContainsRune(params["filename"], '\u202e') {
			t.Errorf("Content-Disposition %q", resp.Header.Get("Content-Disposition"))
		}
	}
	delete(want, "") // the NUL name may make the request unreadable
	if len(want) > 0 {
		t.Errorf("not stored: %v", want)
	}
	for _, p := range []string{"/etc/passwd.pdf", "/etc/hostile-absolute.pdf", filepath.Join(os.TempDir(), "passwd.pdf")} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("a file was written along the sent path: %s", p)
		}
	}
	page := c.get("/application/sections/materials")
	if strings.Contains(page.body, "\u202e") || strings.Contains(page.body, "<script>.pdf") || strings.Contains(page.body, "../") {
		t.Errorf("the section page shows an unsafe name")
	}
}

// TestHostileTextIsStorable: NUL characters and invalid UTF-8 in text fields, which Postgres
// refuses, never make a form fail with a 500: they are dropped or replaced before anything is
// stored (urlencoded and multipart forms alike).
func TestHostileTextIsStorable(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	anon := e.signedInClient(t, 0)
	reg := registration("nul-user", "nul@example.org")
	reg.Set("name", "Kim\x00 \xffMin-jun")
	reg.Set("organisation", "Seoul\x00City")
	if r := anon.post("/register", reg); r.status >= 500 {
		t.Fatalf("registration with NUL and invalid UTF-8: %d", r.status)
	}
	_, c := signedInApplicant(t, e, "kim")
	body := hostileBody(hostilePart("version", "", []byte("0")), hostilePart("action", "", []byte("save")),
		hostilePart("q.project_title", "", []byte("Talk\x00\xfe\xff")), hostilePart("q.summary", "", []byte("a\x00b")))
	if r := c.hostileMultipart("/application/sections/project", body); r.status >= 500 {
		t.Fatalf("application section with NUL and invalid UTF-8: %d\n%.1500s", r.status, r.body)
	}
	staff := e.signedInClient(t, conflictStaff(t, e, "sec", "Secretary", "secretariat", "seoul-2023"))
	r := staff.post("/secretariat/conflicts?edition="+fmt.Sprint(conflictEditionID(t, e, "seoul-2023")),
		url.Values{"name": {"Org\x00anisation \xff"}, "note": {"a\x00b"}, "aliases": {"x\x00"}})
	if r.status >= 500 {
		t.Fatalf("conflict registry with NUL and invalid UTF-8: %d", r.status)
	}
}

// TestHostileFormKeys: keys the form decoder cannot parse (a bracket never closed, indexes out
// of range) are a 400 page, never a 500 (the decoder panics on the first: FuzzDecodeForm).
func TestHostileFormKeys(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	sec := e.signedInClient(t, matrixUser(t, e, "sec", "secretariat"))
	for _, body := range []string{"ids[", "ids[=1", "ids[99999999999]=1", "ids[0][1]=2", "action=x&ids[x]=1"} {
		req, _ := http.NewRequest("POST", sec.base+"/secretariat/screening/bulk", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if r := sec.do(req); r.status >= 500 {
			t.Errorf("bulk screening with %q: %d", body, r.status)
		}
	}
}

// TestHostileUnknownEdition: granting a role in an edition that does not exist (a crafted
// form; found by make sqlmap) is a field error, not a 500.
func TestHostileUnknownEdition(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	admin := e.signedInClient(t, matrixUser(t, e, "adm", "admin"))
	kim := applicantUser(t, e, "kim", true)
	r := admin.post(fmt.Sprintf("/admin/users/%d/roles", kim), url.Values{"role": {"secretariat"}, "edition": {"999999"}})
	if r.status != 422 || !strings.Contains(r.body, "Choose the edition the role is for.") {
		t.Fatalf("grant in an unknown edition: %d\n%.2000s", r.status, r.body)
	}
}
