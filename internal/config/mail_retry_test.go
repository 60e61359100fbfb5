package config

import (
	"strings"
	"testing"
	"time"
)

func TestMailRetryMaxDelay(t *testing.T) {
	if c, err := load(nil); err != nil || c.MailRetryMaxDelay != 0 {
		t.Fatalf("default: %v %v, want 0 (River's backoff)", c.MailRetryMaxDelay, err)
	}
	if c, err := load(map[string]string{"PORTAL_MAIL_RETRY_MAX_DELAY": "90s"}); err != nil || c.MailRetryMaxDelay != 90*time.Second {
		t.Fatalf("90s: %v %v", c.MailRetryMaxDelay, err)
	}
	for _, bad := range []string{"soon", "-1m", "0s"} {
		if _, err := load(map[string]string{"PORTAL_MAIL_RETRY_MAX_DELAY": bad}); err == nil || !strings.Contains(err.Error(), "PORTAL_MAIL_RETRY_MAX_DELAY:") {
			t.Errorf("%q: err = %v", bad, err)
		}
	}
}
