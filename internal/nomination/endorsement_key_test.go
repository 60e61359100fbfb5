package nomination_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"prizeportal/internal/nomination"
)

// emailKeys are addresses and the key endorsements are counted by.
var emailKeys = []struct{ in, want string }{
	{" Ana@Example.org ", "ana@example.org"},
	{"ana+prize@example.org", "ana@example.org"},
	{"ana+a+b@Example.ORG", "ana@example.org"},
	{"a.n.a@example.org", "a.n.a@example.org"},
	{"A.Na+x@gmail.com", "ana@gmail.com"},
	{"a.na@googlemail.com", "ana@gmail.com"},
	{"+tag@example.org", "+tag@example.org"},
}

// TestEndorsementEmailKey: the Go and the SQL form of the key agree (the migration backfills
// stored rows with the SQL one).
func TestEndorsementEmailKey(t *testing.T) {
	t.Parallel()
	pool, _, _ := setup(t)
	for _, c := range emailKeys {
		if got := nomination.NormEmail(c.in); got != c.want {
			t.Errorf("NormEmail(%q) = %q, want %q", c.in, got, c.want)
		}
		var got string
		if err := pool.QueryRow(context.Background(), `SELECT endorsement_email_key($1)`, c.in).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("endorsement_email_key(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestEndorsementTagAndDotsCountOnce: name+tag@domain is the same citizen as name@domain (and
// dots do not matter at Gmail), so a second confirmed signature is refused and counts once.
func TestEndorsementTagAndDotsCountOnce(t *testing.T) {
	t.Parallel()
	pool, ed, cat := setup(t)
	ctx := context.Background()
	ana, id := nominated(t, pool, ed, cat, "ana", "kim")
	if _, err := enSign(t, pool, id, "lee@example.org", true); err != nil {
		t.Fatal(err)
	}
	if _, err := enSign(t, pool, id, "Lee+again@example.org", false); !errors.Is(err, nomination.ErrAlreadyEndorsed) {
		t.Fatalf("tagged address: %v, want ErrAlreadyEndorsed", err)
	}
	if _, err := enSign(t, pool, id, "park.ji@gmail.com", true); err != nil {
		t.Fatal(err)
	}
	if _, err := enSign(t, pool, id, "parkji+2@googlemail.com", false); !errors.Is(err, nomination.ErrAlreadyEndorsed) {
		t.Fatalf("gmail variant: %v, want ErrAlreadyEndorsed", err)
	}
	// Two unconfirmed variants of one address, both confirmed: the second is refused.
	first, err := enSign(t, pool, id, "cho@example.org", false)
	if err != nil {
		t.Fatal(err)
	}
	second, err := enSign(t, pool, id, "cho+prize@example.org", false)
	if err != nil {
		t.Fatal(err)
	}
	if err := enConfirm(t, pool, first); err != nil {
		t.Fatal(err)
	}
	if err := enConfirm(t, pool, second); !errors.Is(err, nomination.ErrAlreadyEndorsed) {
		t.Fatalf("second variant confirmed: %v, want ErrAlreadyEndorsed", err)
	}
	c, err := nomination.CountEndorsements(ctx, pool, ana, id, now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if c.Confirmed != 3 {
		t.Fatalf("confirmed = %d, want 3 (lee, park.ji, cho)", c.Confirmed)
	}
}
