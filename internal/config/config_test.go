package config

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func load(env map[string]string) (Config, error) {
	return Load(func(k string) string { return env[k] })
}

func TestDefaults(t *testing.T) {
	c, err := load(nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:8080" || c.BaseURL.String() != "http://127.0.0.1:8080" || !c.Local() || c.Secure() {
		t.Fatalf("defaults: %+v", c)
	}
	if c.SessionIdleTimeout != 2*time.Hour || c.LogFormat != "text" || c.DemoEdition != "seoul-2023" {
		t.Fatalf("defaults: %+v", c)
	}
}

func TestProductionDefaultsToJSONLogs(t *testing.T) {
	c, err := load(map[string]string{"PORTAL_ENV": "production", "PORTAL_BASE_URL": "https://prize.example.org/", "PORTAL_DEMO_EDITION": "none"})
	if err != nil {
		t.Fatal(err)
	}
	if c.LogFormat != "json" || !c.Secure() || c.BaseURL.String() != "https://prize.example.org" || c.DemoEdition != "" {
		t.Fatalf("%+v", c)
	}
}

func TestEveryBadValueIsReported(t *testing.T) {
	_, err := load(map[string]string{
		"PORTAL_ADDR":                 "8080",
		"PORTAL_ENV":                  "staging",
		"PORTAL_LOG_LEVEL":            "loud",
		"PORTAL_DB_MAX_CONNS":         "0",
		"PORTAL_SESSION_IDLE_TIMEOUT": "24h",
		"PORTAL_SESSION_LIFETIME":     "1h",
		"DATABASE_URL":                "mysql:x",
	})
	var errs Errors
	if !errors.As(err, &errs) {
		t.Fatalf("err = %v", err)
	}
	for _, name := range []string{"PORTAL_ADDR", "PORTAL_ENV", "PORTAL_LOG_LEVEL", "PORTAL_DB_MAX_CONNS", "PORTAL_SESSION_IDLE_TIMEOUT", "DATABASE_URL"} {
		if !strings.Contains(err.Error(), name+":") {
			t.Errorf("no message for %s in:\n%v", name, err)
		}
	}
}

func TestHelpListsEveryVariable(t *testing.T) {
	var b strings.Builder
	WriteHelp(&b)
	for _, v := range Vars {
		if !strings.Contains(b.String(), v.Name) {
			t.Errorf("help lacks %s", v.Name)
		}
	}
}
