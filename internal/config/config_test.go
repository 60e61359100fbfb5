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
	c, err := load(map[string]string{"PORTAL_ENV": "production", "PORTAL_BASE_URL": "https://prize.example.org/", "PORTAL_DEMO_EDITION": "none",
		"PORTAL_SECRET_KEYS": testKey})
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

// testKey is a valid PORTAL_SECRET_KEYS value (32 bytes, base64).
const testKey = "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80="

// TestProductionNeedsSecretKeys: production refuses to start without the keys that encrypt the
// TOTP secrets, with a message saying how to make one; development without keys uses a key
// file in the data directory.
func TestProductionNeedsSecretKeys(t *testing.T) {
	_, err := load(map[string]string{"PORTAL_ENV": "production", "PORTAL_BASE_URL": "https://prize.example.org"})
	if err == nil || !strings.Contains(err.Error(), "PORTAL_SECRET_KEYS:") || !strings.Contains(err.Error(), "openssl rand -base64 32") {
		t.Fatalf("production without a key: %v", err)
	}
	c, err := load(map[string]string{"PORTAL_ENV": "production", "PORTAL_BASE_URL": "https://prize.example.org", "PORTAL_SECRET_KEY_FILE": "/run/secrets/portal-keys"})
	if err != nil || c.SecretKeyFile != "/run/secrets/portal-keys" {
		t.Fatalf("production with a key file: %+v %v", c, err)
	}
	c, err = load(map[string]string{"PORTAL_SECRET_KEYS": "  " + testKey + " , " + strings.Replace(testKey, "q", "r", 1)})
	if err != nil || len(c.SecretKeys) != 2 || len(c.SecretKeys[0]) != 32 {
		t.Fatalf("two keys: %d %v", len(c.SecretKeys), err)
	}
	c, err = load(nil)
	if err != nil || c.SecretKeys != nil || c.SecretKeyFile != "var/secret.key" {
		t.Fatalf("development default: %q %v", c.SecretKeyFile, err)
	}
	_, err = load(map[string]string{"PORTAL_SECRET_KEYS": "c2hvcnQ=", "PORTAL_SECRET_KEY_FILE": "/k"})
	if err == nil || !strings.Contains(err.Error(), "PORTAL_SECRET_KEYS: key 1 is 5 bytes") || strings.Contains(err.Error(), "c2hvcnQ") {
		t.Fatalf("short key: %v", err)
	}
	if !strings.Contains(err.Error(), "PORTAL_SECRET_KEY_FILE:") {
		t.Fatalf("both set: %v", err)
	}
}
