package server_test

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// cacheControl fetches path with the client's cookies and returns its Cache-Control header.
func (c *client) cacheControl(path string) (int, string) {
	c.t.Helper()
	req, _ := http.NewRequest("GET", c.base+path, nil)
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode, res.Header.Get("Cache-Control")
}

// TestPrivatePagesAreNotStored: every page that is not public (signed-in pages) and every
// private link (the candidate's consent page shows confidential answers) is sent with
// Cache-Control: no-store, so neither the browser nor a proxy keeps a copy; public pages and
// static assets keep their caching.
func TestPrivatePagesAreNotStored(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	ana, id := anaNominatesKim(t, e)
	fillNomination(t, e, ana, id)
	c := e.signedInClient(t, ana)
	home := "/nominations/" + strconv.FormatInt(id, 10)
	if r := c.post(home+"/consent", nil); r.status != http.StatusSeeOther {
		t.Fatalf("ask consent: %d", r.status)
	}
	consent := e.lastLink(t, "kim@city.example", "nomination-consent")
	anon := e.client(t)

	for _, tc := range []struct {
		who  *client
		path string
	}{
		{c, "/dashboard"},
		{c, home},
		{c, "/account/data"},
		{c, "/"}, // a public page shown to a signed-in user carries their name
		{anon, consent},
		{anon, "/consent/AAAAAAAAAAAAAAAAAAAAAAAAAA"},
	} {
		status, cc := tc.who.cacheControl(tc.path)
		if !strings.Contains(cc, "no-store") {
			t.Errorf("GET %s: %d, Cache-Control %q, want no-store", tc.path, status, cc)
		}
	}

	_, body := e.get(t, "/")
	css := regexp.MustCompile(`href="(/static/app\.[0-9a-f]{12}\.css)"`).FindStringSubmatch(body)
	if css == nil {
		t.Fatal("no stylesheet link")
	}
	for _, path := range []string{css[1], "/", "/results"} {
		if status, cc := anon.cacheControl(path); strings.Contains(cc, "no-store") {
			t.Errorf("public GET %s: %d, Cache-Control %q, want it cacheable", path, status, cc)
		}
	}
	if status, cc := c.cacheControl(css[1]); strings.Contains(cc, "no-store") || !strings.Contains(cc, "immutable") {
		t.Errorf("static asset for a signed-in user: %d, Cache-Control %q", status, cc)
	}
}
