package server

import (
	"net/http/httptest"
	"testing"
)

// TestSendBytes: a generated file is offered under a safe name, never cached nor sniffed; an
// inline one keeps the same name.
func TestSendBytes(t *testing.T) {
	rec := httptest.NewRecorder()
	if err := sendBytes(rec, download{Name: `../rapport "final".csv`, ContentType: "text/csv; charset=utf-8", Data: []byte("a,b\n")}); err != nil {
		t.Fatal(err)
	}
	h := rec.Result().Header
	if got := h.Get("Content-Disposition"); got != `attachment; filename="rapport _final_.csv"` {
		t.Errorf("Content-Disposition %q", got)
	}
	if h.Get("Content-Type") != "text/csv; charset=utf-8" || h.Get("Cache-Control") != "private, no-store" ||
		h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Content-Length") != "4" || rec.Body.String() != "a,b\n" {
		t.Errorf("headers %v body %q", h, rec.Body.String())
	}
	rec = httptest.NewRecorder()
	if err := sendBytes(rec, download{Name: "protocol-tech.pdf", ContentType: "application/pdf", Inline: true}); err != nil {
		t.Fatal(err)
	}
	if got := rec.Result().Header.Get("Content-Disposition"); got != `inline; filename="protocol-tech.pdf"` {
		t.Errorf("inline Content-Disposition %q", got)
	}
}
