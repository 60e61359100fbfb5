package account_test

import (
	"context"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"

	"prizeportal/internal/account"
)

// TestSignInsSteps: a user without two-factor sign-in is signed in at once; an enrolled one
// owes the code (nobody is signed in meanwhile) until the pending sign-in is started or has
// waited longer than PendingTTL; a signed-in session asked for a step-up owes the code again;
// the key being enrolled stays the same until the enrolment, whose recovery codes are shown once.
func TestSignInsSteps(t *testing.T) {
	t.Parallel()
	ctx, pool, plain := withUser(t, "plain")
	enrolled := newUser(t, pool, "enrolled")
	enrol(t, pool, enrolled)
	now := t0
	sm := scs.New()
	s := account.SignIns{Sessions: sm, Secrets: testKeys, Now: func() time.Time { return now }}
	session := func() context.Context {
		t.Helper()
		c, err := sm.Load(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		return c
	}

	c := session()
	if step, err := s.Complete(c, pool, plain, 3, "/next"); err != nil || step != account.SignedIn {
		t.Fatalf("plain user: step %v, %v", step, err)
	}
	if id, epoch, second := s.User(c); id != plain || epoch != 3 || second {
		t.Fatalf("signed in as %d epoch %d second factor %v", id, epoch, second)
	}

	c = session()
	if step, err := s.Complete(c, pool, enrolled, 5, "/next"); err != nil || step != account.GiveCode {
		t.Fatalf("enrolled user: step %v, %v", step, err)
	}
	if id, _, _ := s.User(c); id != 0 {
		t.Fatalf("user %d signed in before the second factor", id)
	}
	p, ok, _ := s.Pending(c)
	if !ok || p != (account.Pending{UserID: enrolled, Epoch: 5, Next: "/next"}) {
		t.Fatalf("pending %+v %v", p, ok)
	}
	if err := s.Start(c, p.UserID, p.Epoch, true); err != nil {
		t.Fatal(err)
	}
	if _, ok, had := s.Pending(c); ok || had {
		t.Fatal("the pending sign-in outlived the sign-in")
	}
	if id, _, second := s.User(c); id != enrolled || !second {
		t.Fatalf("signed in as %d, second factor %v", id, second)
	}

	// A step-up owes the code again; the pending sign-in expires after PendingTTL.
	if step, err := s.StepUp(c, pool, enrolled, "/secretariat"); err != nil || step != account.GiveCode {
		t.Fatalf("step-up: %v, %v", step, err)
	}
	now = now.Add(account.PendingTTL + time.Second)
	if _, ok, _ := s.Pending(c); ok {
		t.Fatal("a pending sign-in older than PendingTTL is still pending")
	}

	// The key being enrolled is the same on every page until enrolment; the codes show once.
	c = session()
	first, err := s.SetupKey(c, pool, plain)
	if err != nil {
		t.Fatal(err)
	}
	if again, err := s.SetupKey(c, pool, plain); err != nil || again.Secret != first.Secret {
		t.Fatalf("a second look at the setup shows another key (%v)", err)
	}
	if err := s.Enrolled(c, nil, []string{"AAAAA-BBBBB", "CCCCC-DDDDD"}); err != nil {
		t.Fatal(err)
	}
	if codes := s.TakeRecoveryCodes(c); len(codes) != 2 || codes[1] != "CCCCC-DDDDD" {
		t.Fatalf("recovery codes %v", codes)
	}
	if codes := s.TakeRecoveryCodes(c); codes != nil {
		t.Fatalf("recovery codes shown twice: %v", codes)
	}
	if next, _ := s.SetupKey(c, pool, plain); next.Secret == first.Secret {
		t.Fatal("the enrolled key is offered again")
	}
}
