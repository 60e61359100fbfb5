package nomination_test

import (
	"context"
	"errors"
	"strconv"
	"testing"

	"prizeportal/internal/audit"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/link"
	"prizeportal/internal/blocks/throttle"
	"prizeportal/internal/db"
	"prizeportal/internal/nomination"
)

func enSignature(email string) nomination.Signature {
	return nomination.Signature{Name: "Ji-woo Han", City: "Seoul", Country: "KR", Email: email, Confirm: true}
}

// TestServiceEndorsements: the nominator opens the public page; a citizen signs it and confirms
// through the emailed link, once; a second signature of a confirmed address is told so instead;
// past the deadline the page is closed (DOMAIN.md "Leadership nominations": signatures from
// more than 30 citizens may replace the letter).
func TestServiceEndorsements(t *testing.T) {
	t.Parallel()
	pool, ed, cat, c, svc := serviceSetup(t)
	ctx := ipCtx()
	owner, id := nominated(t, pool, ed, cat, "en-owner", "lee")
	if err := svc.OpenEndorsementPage(ctx, authz.Actor{UserID: owner + 999}, id); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("another account opens the page: %v", err)
	}
	if err := svc.OpenEndorsementPage(ctx, authz.Actor{UserID: owner}, id); err != nil {
		t.Fatal(err)
	}
	if n := audited(t, pool, "nomination.endorsements_open", "192.0.2.7"); n != 1 {
		t.Fatalf("open audit entries: %d", n)
	}
	n, err := nomination.Get(ctx, pool, owner, id)
	if err != nil || n.EndorsementCode == "" {
		t.Fatalf("code: %+v %v", n, err)
	}
	code := n.EndorsementCode
	if _, err := svc.EndorsementPage(ctx, "no-such-code"); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("unknown code: %v", err)
	}

	var invalid *nomination.InvalidError
	if _, err := svc.Endorse(ctx, code, nomination.Signature{Email: "x"}); !errors.As(err, &invalid) || !invalid.Fields.Any() {
		t.Fatalf("an invalid signature: %v", err)
	}
	p, err := svc.Endorse(ctx, code, enSignature("han@example.org"))
	if err != nil || p.Nomination.ApplicationID != id {
		t.Fatalf("endorse: %v", err)
	}
	ms := queued(t, pool, "endorsement-confirm")
	if len(ms) != 1 || ms[0].to != "han@example.org" {
		t.Fatalf("confirmation emails: %+v", ms)
	}
	token := tokenIn(t, ms)
	if tg, err := svc.EndorsementByToken(ctx, token); err != nil || tg.Endorsement.Email != "han@example.org" || tg.Endorsement.ConfirmedAt != nil {
		t.Fatalf("the confirmation link: %+v %v", tg, err)
	}
	tg, already, err := svc.ConfirmEndorsement(ctx, token)
	if err != nil || already || tg.Nomination.ApplicationID != id {
		t.Fatalf("confirm: %v %v", already, err)
	}
	if _, _, err := svc.ConfirmEndorsement(ctx, token); !errors.Is(err, link.ErrUsed) {
		t.Fatalf("confirming twice: %v", err)
	}
	if e, err := svc.Endorsements(ctx, authz.Actor{UserID: owner}, id); err != nil || e.Counts.Confirmed != 1 {
		t.Fatalf("counts: %+v %v", e, err)
	}
	if n := audited(t, pool, "nomination.endorse", "192.0.2.7") + audited(t, pool, "nomination.endorse_confirm", "192.0.2.7"); n != 2 {
		t.Fatalf("audit entries: %d", n)
	}
	// The same address again: told it already endorsed, nothing new to confirm.
	if _, err := svc.Endorse(ctx, code, enSignature("Han@Example.org")); err != nil {
		t.Fatal(err)
	}
	if ms := queued(t, pool, "endorsement-already"); len(ms) != 1 {
		t.Fatalf("already-endorsed emails: %+v", ms)
	}
	if ms := queued(t, pool, "endorsement-confirm"); len(ms) != 1 {
		t.Fatalf("confirmation emails after signing again: %d", len(ms))
	}

	c.Set(cat.Nominations.LetterDeadline)
	var closed *nomination.EndorsementsClosedError
	if _, err := svc.Endorse(ctx, code, enSignature("kim@example.org")); !errors.As(err, &closed) || closed.Reason == "" {
		t.Fatalf("endorse after the deadline: %v", err)
	}
	other, _ := create(t, pool, owner, ed, cat, thirdParty("kim"))
	if err := svc.OpenEndorsementPage(ctx, authz.Actor{UserID: owner}, other); !errors.Is(err, nomination.ErrEndorsementsClosed) {
		t.Fatalf("open a page after the deadline: %v", err)
	}
}

// TestServiceEndorseThrottle: one client address signs at most nomination.EndorseIP.Max times
// an hour; the address comes from the request's context.
func TestServiceEndorseThrottle(t *testing.T) {
	t.Parallel()
	pool, ed, cat, _, svc := serviceSetup(t)
	owner := nominator(t, pool, ed, cat, "en-throttle")
	id, _ := create(t, pool, owner, ed, cat, thirdParty("lee"))
	if err := svc.OpenEndorsementPage(ipCtx(), authz.Actor{UserID: owner}, id); err != nil {
		t.Fatal(err)
	}
	n, _ := nomination.Get(context.Background(), pool, owner, id)
	for i := range nomination.EndorseIP.Max {
		if _, err := svc.Endorse(ipCtx(), n.EndorsementCode, enSignature("c"+strconv.Itoa(i)+"@example.org")); err != nil {
			t.Fatal(err)
		}
	}
	var limited *throttle.LimitError
	if _, err := svc.Endorse(ipCtx(), n.EndorsementCode, enSignature("late@example.org")); !errors.As(err, &limited) || limited.Wait <= 0 {
		t.Fatalf("one signature too many: %v", err)
	}
	other := audit.WithIP(context.Background(), "198.51.100.1")
	if _, err := svc.Endorse(other, n.EndorsementCode, enSignature("late@example.org")); err != nil {
		t.Fatalf("another address: %v", err)
	}
}
