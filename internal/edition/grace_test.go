package edition_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition"
)

// withGrace returns the seoul-2023 file with schedule.grace_period set to value.
func withGrace(t *testing.T, value string) []byte {
	t.Helper()
	src := string(builtin(t, "seoul-2023"))
	return []byte(edit(t, src, "  application_deadline: 2023-05-31 23:59\n",
		"  application_deadline: 2023-05-31 23:59\n  grace_period: "+value+"\n"))
}

func TestGracePeriodIsOptionalValidatedAndStored(t *testing.T) {
	t.Parallel()
	_, e := mustResolve(t, builtin(t, "seoul-2023"))
	if e.Schedule.GracePeriod != 0 {
		t.Fatalf("grace period without the key = %v, want 0", e.Schedule.GracePeriod)
	}
	d, e := mustResolve(t, withGrace(t, "15m"))
	if e.Schedule.GracePeriod != 15*time.Minute {
		t.Fatalf("grace period = %v, want 15m", e.Schedule.GracePeriod)
	}

	for value, want := range map[string]string{
		`soon`:  `schedule.grace_period: must be a duration such as "15m"`,
		`"-5m"`: `schedule.grace_period: must not be negative`,
		`1.5s`:  `schedule.grace_period: must be a whole number of seconds`,
	} {
		_, err := edition.Parse(withGrace(t, value))
		var ve *edition.ValidationError
		if !errors.As(err, &ve) || !ve.Has("schedule.grace_period") || !strings.Contains(err.Error(), want) {
			t.Errorf("grace_period %s: error %v, want %q", value, err, want)
		}
	}

	ctx := context.Background()
	pool := dbtest.New(t)
	if _, err := edition.Import(ctx, pool, d); err != nil {
		t.Fatal(err)
	}
	got, err := edition.BySlug(ctx, pool, "seoul-2023")
	if err != nil {
		t.Fatal(err)
	}
	if got.Schedule.GracePeriod != 15*time.Minute {
		t.Fatalf("stored grace period = %v, want 15m", got.Schedule.GracePeriod)
	}
}
