package config

import (
	"strings"
	"testing"
)

// TestPprofAddr: the profiler's listener is off by default and only ever on a loopback address.
func TestPprofAddr(t *testing.T) {
	if c, err := load(nil); err != nil || c.PprofAddr != "" {
		t.Fatalf("default: %q %v, want none", c.PprofAddr, err)
	}
	for _, ok := range []string{"127.0.0.1:6060", "localhost:6060", "[::1]:6060", "127.0.0.2:0"} {
		if c, err := load(map[string]string{"PORTAL_PPROF_ADDR": ok}); err != nil || c.PprofAddr != ok {
			t.Errorf("%q: %q %v", ok, c.PprofAddr, err)
		}
	}
	for _, bad := range []string{":6060", "0.0.0.0:6060", "10.0.0.5:6060", "example.org:6060", "127.0.0.1", "127.0.0.1:http", "[::]:6060"} {
		if _, err := load(map[string]string{"PORTAL_PPROF_ADDR": bad}); err == nil || !strings.Contains(err.Error(), "PORTAL_PPROF_ADDR:") {
			t.Errorf("%q: err = %v", bad, err)
		}
	}
}
