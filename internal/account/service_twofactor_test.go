package account_test

import (
	"errors"
	"testing"
	"time"

	"prizeportal/internal/account"
	"prizeportal/internal/blocks/field"
)

func TestServiceTwoFactorEnrolSignInAndManage(t *testing.T) {
	t.Parallel()
	f := newServiceFixture(t)
	ctx := f.ctx
	id := newUser(t, f.pool, "tess")
	at := func(d time.Duration) time.Time { *f.now = adminNow.Add(d); return *f.now }

	setup, err := account.NewTOTPSetup(ctx, f.pool, id, "")
	if err != nil {
		t.Fatal(err)
	}
	var fe field.Errors
	if _, err := f.svc.EnableTwoFactor(ctx, id, setup.Secret, "", "", false); !errors.As(err, &fe) || fe.Get("code") == "" {
		t.Fatalf("no code: %v", err)
	}
	if _, err := f.svc.EnableTwoFactor(ctx, id, setup.Secret, "", "12ab", false); !errors.As(err, &fe) || fe.Get("code") == "" {
		t.Fatalf("malformed code: %v", err)
	}
	codes, err := f.svc.EnableTwoFactor(ctx, id, setup.Secret, "", code(t, setup.Secret, at(0)), false)
	if err != nil || len(codes) != account.RecoveryCodeCount {
		t.Fatalf("enable: %d codes, %v", len(codes), err)
	}

	// Signing in with the authenticator, then with a recovery code.
	if res, err := f.svc.VerifySignIn(ctx, id, code(t, setup.Secret, at(time.Minute)), false); err != nil || res.UsedRecovery {
		t.Fatalf("sign-in code: %+v %v", res, err)
	}
	if res, err := f.svc.VerifySignIn(ctx, id, codes[0], true); err != nil || !res.UsedRecovery || res.CodesLeft != account.RecoveryCodeCount-1 {
		t.Fatalf("recovery code: %+v %v", res, err)
	}
	var rc *account.RefusedCodeError
	if _, err := f.svc.VerifySignIn(ctx, id, codes[0], true); !errors.As(err, &rc) || rc.Wait != 0 {
		t.Fatalf("a spent recovery code: %v", err)
	}
	if n := auditCount(t, f.pool, id, "two_factor.verified"); n != 2 {
		t.Fatalf("verified entries = %d", n)
	}

	// New recovery codes need a code.
	if _, err := f.svc.RegenerateRecoveryCodes(ctx, id, " "); !errors.As(err, &rc) {
		t.Fatalf("no code: %v", err)
	}
	fresh, err := f.svc.RegenerateRecoveryCodes(ctx, id, code(t, setup.Secret, at(2*time.Minute)))
	if err != nil || len(fresh) != account.RecoveryCodeCount {
		t.Fatalf("regenerate: %v", err)
	}

	// Moving to a new authenticator needs the present second factor.
	next, err := account.NewTOTPSetup(ctx, f.pool, id, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.EnableTwoFactor(ctx, id, next.Secret, "", code(t, next.Secret, at(3*time.Minute)), true); !errors.As(err, &fe) || fe.Get("current") == "" {
		t.Fatalf("replacing without the current factor: %v", err)
	}
	if _, err := f.svc.EnableTwoFactor(ctx, id, next.Secret, "AAAAA-BBBBB", code(t, next.Secret, at(3*time.Minute)), true); !errors.As(err, &rc) {
		t.Fatalf("replacing with a wrong current code: %v", err)
	}
	if _, err := f.svc.EnableTwoFactor(ctx, id, next.Secret, fresh[0], code(t, next.Secret, at(4*time.Minute)), true); err != nil {
		t.Fatalf("replace: %v", err)
	}

	// Turning it off: the applicant may, staff may not.
	if err := f.svc.DisableTwoFactor(ctx, id, code(t, next.Secret, at(5*time.Minute))); err != nil {
		t.Fatalf("disable: %v", err)
	}
	if enrolled, _, _ := account.TwoFactorStatus(ctx, f.pool, id); enrolled {
		t.Fatal("still enrolled")
	}
	staff := newUser(t, f.pool, "stan")
	edition := f.edition
	grant(t, f.pool, staff, "evaluator", &edition)
	if err := f.svc.DisableTwoFactor(ctx, staff, "123456"); !errors.Is(err, account.ErrTwoFactorRequired) {
		t.Fatalf("staff disabling: %v", err)
	}
}

func TestServiceWrongSecondFactorCodesAreLimited(t *testing.T) {
	t.Parallel()
	f := newServiceFixture(t)
	id := newUser(t, f.pool, "gus")
	enrol(t, f.pool, id)
	var rc *account.RefusedCodeError
	for i := 0; i < 50; i++ {
		_, err := f.svc.VerifySignIn(f.ctx, id, "ZZZZZ-ZZZZZ", false)
		if !errors.As(err, &rc) {
			t.Fatalf("attempt %d: %v", i, err)
		}
		if rc.Wait > 0 {
			break
		}
	}
	if rc.Wait <= 0 {
		t.Fatal("wrong codes are never refused unchecked")
	}
	if n := auditCount(t, f.pool, id, "two_factor.code_failed"); n == 0 {
		t.Fatal("failed codes are not audited")
	}
}
