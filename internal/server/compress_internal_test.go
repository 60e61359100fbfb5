package server

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestCompress: pages are gzipped for clients that accept it, in one piece or flushed in parts,
// an empty page is a valid empty stream, and other content and other clients get plain bytes.
func TestCompress(t *testing.T) {
	t.Parallel()
	page := strings.Repeat("<p>Prize Portal</p>", 200)
	h := compress(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/page":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, page[:100])
			w.(http.Flusher).Flush()
			io.WriteString(w, page[100:])
		case "/empty":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusOK)
		case "/pdf":
			w.Header().Set("Content-Type", "application/pdf")
			io.WriteString(w, "%PDF-1.4")
		}
	}))
	get := func(path string, gz bool) *http.Response {
		t.Helper()
		req := httptest.NewRequest("GET", path, nil)
		if gz {
			req.Header.Set("Accept-Encoding", "gzip, deflate, br")
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Result()
	}
	gunzip := func(res *http.Response) string {
		t.Helper()
		if res.Header.Get("Content-Encoding") != "gzip" {
			t.Fatalf("Content-Encoding %q", res.Header.Get("Content-Encoding"))
		}
		zr, err := gzip.NewReader(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	for range 3 { // the pooled writers are reused cleanly
		if got := gunzip(get("/page", true)); got != page {
			t.Fatalf("page: %d bytes back, want %d", len(got), len(page))
		}
		if got := gunzip(get("/empty", true)); got != "" {
			t.Fatalf("empty page: %q", got)
		}
	}
	if res := get("/page", false); res.Header.Get("Content-Encoding") != "" {
		t.Fatal("gzip without Accept-Encoding")
	}
	if res := get("/pdf", true); res.Header.Get("Content-Encoding") != "" {
		t.Fatal("a PDF was gzipped")
	}
}
