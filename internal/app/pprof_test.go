package app

import (
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
)

// TestPprofListener: PORTAL_PPROF_ADDR's listener serves the profiler's index, and stops.
func TestPprofListener(t *testing.T) {
	addr, stop, err := startPprof("127.0.0.1:0", slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.Get("http://" + addr + "/debug/pprof/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), "goroutine") {
		t.Fatalf("profiler index: %d\n%s", res.StatusCode, body)
	}
	stop()
	if _, err := http.Get("http://" + addr + "/debug/pprof/"); err == nil {
		t.Fatal("the profiler still answers after stop")
	}
}
