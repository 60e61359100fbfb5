package server_test

import (
	"compress/gzip"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

func TestLandingShowsTheEditionFromItsDefinition(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	res, body := e.get(t, "/")
	if res.StatusCode != 200 {
		t.Fatalf("status %d", res.StatusCode)
	}
	for _, want := range []string{
		"Seoul Smart City Prize 2023",
		"Fostering digital transformation through innovative and inclusive approaches for sustainable smart cities",
		"Tech-InnovaCity", "Human-CentriCity", "Leadership", "Special Mentions",
		// criteria and indicators, exactly as DOMAIN.md states them
		"Relevance to the Theme", "Aim of Efficiency", "Governance",
		"Promotion of Multidisciplinary Teamwork", "Data Security and Ethics",
		"Transformative Implementation of Existing Technology", "Encryption of Private Data",
		"Citizen Voices", "Communication and Engagement", "Effective use of social media",
		// schedule in the prize's time zone, labelled with it
		"Asia/Seoul (KST, UTC+09:00)", "31 May 2023, 23:59 KST", "1–30 June 2023", "24–26 September 2023",
		"Applications are open until 31 May 2023, 23:59 KST.",
		"info@seoulsmartcityprize.com",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("landing page lacks %q", want)
		}
	}
	if got := strings.Count(body, "<th scope=\"row\">"); got < 14 {
		t.Errorf("expected the criteria tables rows, found %d row headers", got)
	}
}

func TestSecondFrameworkNeedsNoCode(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023", "seoul-2024")
	res, body := e.get(t, "/editions/seoul-2024")
	if res.StatusCode != 200 {
		t.Fatalf("status %d", res.StatusCode)
	}
	for _, want := range []string{"Rational Process of Project Development", "Value Creation: Project outcome and effect", "DE&amp;I Contribution"} {
		if !strings.Contains(body, want) {
			t.Errorf("six-criterion edition page lacks %q", want)
		}
	}
	if !strings.Contains(body, `href="/editions/seoul-2023"`) {
		t.Error("the page must link the other edition")
	}
	if res, _ := e.get(t, "/editions/nope"); res.StatusCode != 404 {
		t.Errorf("unknown edition: status %d, want 404", res.StatusCode)
	}
}

func TestLandingWithoutEdition(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	res, body := e.get(t, "/")
	if res.StatusCode != 404 || !strings.Contains(body, "No prize edition yet") {
		t.Fatalf("status %d; body must explain there is no edition", res.StatusCode)
	}
}

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	res, _ := e.get(t, "/")
	h := res.Header
	csp := h.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'self'", "frame-ancestors 'none'", "object-src 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
		t.Errorf("CSP must not allow unsafe-inline or unsafe-eval: %q", csp)
	}
	for k, v := range map[string]string{
		"X-Content-Type-Options": "nosniff",
		"Referrer-Policy":        "strict-origin-when-cross-origin",
		"X-Frame-Options":        "DENY",
	} {
		if h.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, h.Get(k), v)
		}
	}
	if h.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS must be off when the base URL is http")
	}
	if h.Get("X-Request-Id") == "" {
		t.Error("responses must carry a request id")
	}

	tls := newEnv(t, map[string]string{"PORTAL_BASE_URL": "https://prize.example.org"}, "seoul-2023")
	res, _ = tls.get(t, "/")
	if !strings.Contains(res.Header.Get("Strict-Transport-Security"), "max-age=") {
		t.Error("HSTS must be on when the base URL is https")
	}
}

func TestCrossOriginPostIsRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	req, _ := http.NewRequest("POST", e.srv.URL+"/", strings.NewReader("x=1"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	res, body := e.do(t, req)
	if res.StatusCode != 403 || !strings.Contains(body, "came from another site") {
		t.Fatalf("cross-site POST: status %d, want the 403 page", res.StatusCode)
	}
	req, _ = http.NewRequest("POST", e.srv.URL+"/", strings.NewReader("x=1"))
	req.Header.Set("Origin", "https://evil.example")
	if res, _ := e.do(t, req); res.StatusCode != 403 {
		t.Fatalf("POST with a foreign Origin: status %d, want 403", res.StatusCode)
	}
	req, _ = http.NewRequest("POST", e.srv.URL+"/", strings.NewReader("x=1"))
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if res, _ := e.do(t, req); res.StatusCode != 405 {
		t.Fatalf("same-origin POST to a GET-only page: status %d, want 405", res.StatusCode)
	}
}

func TestNotFoundPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	res, body := e.get(t, "/no/such/page")
	if res.StatusCode != 404 || !strings.Contains(body, "Page not found") || !strings.Contains(res.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("status %d, content type %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
}

func TestStaticAssetsAreHashedAndCached(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	_, body := e.get(t, "/")
	m := regexp.MustCompile(`href="(/static/app\.[0-9a-f]{12}\.css)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("the page does not link a content-hashed stylesheet")
	}
	res, css := e.get(t, m[1])
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/css") {
		t.Fatalf("stylesheet: status %d, type %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if !strings.Contains(res.Header.Get("Cache-Control"), "immutable") || !strings.Contains(css, "--accent") {
		t.Fatalf("stylesheet must be cached for long: %q", res.Header.Get("Cache-Control"))
	}
	if res, _ := e.get(t, "/static/app.css"); res.StatusCode != 404 {
		t.Errorf("unhashed name: status %d, want 404", res.StatusCode)
	}
}

func TestGzip(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	req, _ := http.NewRequest("GET", e.srv.URL+"/", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	tr := &http.Transport{DisableCompression: true}
	res, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding = %q, want gzip", res.Header.Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(zr)
	if !strings.Contains(string(b), "Tech-InnovaCity") {
		t.Fatal("gzipped body is not the page")
	}
}

func TestHealthAndReadiness(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	if res, body := e.get(t, "/healthz"); res.StatusCode != 200 || body != "ok\n" {
		t.Fatalf("healthz: %d %q", res.StatusCode, body)
	}
	if res, body := e.get(t, "/readyz"); res.StatusCode != 200 || body != "ready\n" {
		t.Fatalf("readyz: %d %q", res.StatusCode, body)
	}
	// A migration missing from the database makes the instance not ready.
	if _, err := e.pool.Exec(t.Context(), `DELETE FROM goose_db_version WHERE version_id = (SELECT max(version_id) FROM goose_db_version)`); err != nil {
		t.Fatal(err)
	}
	if res, body := e.get(t, "/readyz"); res.StatusCode != 503 || body != "migrations pending\n" {
		t.Fatalf("readyz with a pending migration: %d %q", res.StatusCode, body)
	}
}
