package server_test

import (
	"io"
	"net/url"
	"strings"
	"testing"

	"prizeportal/internal/files/filestest"
)

// TestApplicationHangulDocument uploads an HWP document (the word processor Korean bodies write
// in) to an application question, downloads it with its media type and the download's safety
// headers, and sees a PDF renamed .hwp refused with the message every mismatched file gets.
func TestApplicationHangulDocument(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	kim := applicantUser(t, e, "kim", true)
	c := e.signedInClient(t, kim)
	hwp := filestest.HWP(1)
	ref := uploadDocument(t, e, c, kim, "사업계획서.hwp", hwp)
	res, err := c.http.Get(c.base + "/application/files/" + ref.ID)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	h := res.Header
	if res.StatusCode != 200 || string(body) != string(hwp) || h.Get("Content-Type") != "application/x-hwp" ||
		h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Content-Security-Policy") != "default-src 'none'; sandbox" ||
		!strings.HasPrefix(h.Get("Content-Disposition"), "attachment;") || !strings.Contains(h.Get("Content-Disposition"), "filename*=UTF-8''%EC%82%AC") {
		t.Fatalf("download: %d, %d bytes, headers %v", res.StatusCode, len(body), h)
	}

	r := c.postMultipart("/application/sections/materials", url.Values{"version": {"1"}, "action": {"save"}},
		upload{"q.documents", "계획서.hwp", samplePDF})
	if r.status != 422 || !strings.Contains(r.body, "“계획서.hwp” is named like a Hangul (HWP) document but is really a PDF document") {
		t.Fatalf("PDF named .hwp: %d %s", r.status, r.body)
	}
	if n := len(storedApplication(t, e, kim).Answers["documents"].Files); n != 1 {
		t.Fatalf("%d files after the refused one, want 1", n)
	}
}
