package link_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"prizeportal/internal/blocks/link"
	"prizeportal/internal/db/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func TestLinks(t *testing.T) {
	ctx, pool := context.Background(), dbtest.New(t)
	now := time.Date(2023, 5, 1, 9, 0, 0, 0, time.UTC)
	tok, err := link.New(ctx, pool, "consent", 42, now.Add(time.Hour), now)
	if err != nil {
		t.Fatal(err)
	}
	if len(tok) < 26 { // 26 base32 characters = 130 bits
		t.Fatalf("token %q too short", tok)
	}
	if other, _ := link.New(ctx, pool, "consent", 42, now.Add(time.Hour), now); other == tok {
		t.Fatal("two links share a token")
	}
	if s, err := link.Open(ctx, pool, "consent", tok, now); err != nil || s != 42 {
		t.Fatalf("open = %d, %v", s, err)
	}
	if _, err := link.Open(ctx, pool, "letter", tok, now); !errors.Is(err, link.ErrUnknown) {
		t.Fatalf("other purpose: %v", err)
	}
	if _, err := link.Open(ctx, pool, "consent", tok+"x", now); !errors.Is(err, link.ErrUnknown) {
		t.Fatalf("altered token: %v", err)
	}
	if s, err := link.Open(ctx, pool, "consent", tok, now.Add(time.Hour)); !errors.Is(err, link.ErrExpired) || s != 42 {
		t.Fatalf("expired = %d, %v", s, err)
	}
	if _, err := link.Use(ctx, pool, "consent", tok, now.Add(time.Hour)); !errors.Is(err, link.ErrExpired) {
		t.Fatalf("use expired: %v", err)
	}
	if s, err := link.Use(ctx, pool, "consent", tok, now); err != nil || s != 42 {
		t.Fatalf("use = %d, %v", s, err)
	}
	if s, err := link.Use(ctx, pool, "consent", tok, now); !errors.Is(err, link.ErrUsed) || s != 42 {
		t.Fatalf("second use = %d, %v", s, err)
	}
	fresh, _ := link.New(ctx, pool, "letter", 7, now.Add(time.Hour), now)
	if err := link.Withdraw(ctx, pool, "letter", 7, now); err != nil {
		t.Fatal(err)
	}
	if _, err := link.Open(ctx, pool, "letter", fresh, now); !errors.Is(err, link.ErrUsed) {
		t.Fatalf("withdrawn: %v", err)
	}
}

func TestRedact(t *testing.T) {
	tok := "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	for in, want := range map[string]string{
		"/verify/" + tok: "/verify/[redacted]",
		"https://p.example.org/password/reset/" + tok + "\n":                "https://p.example.org/password/reset/[redacted]\n",
		`<a href="https://p.example.org/base/invite/` + tok + `">`:          `<a href="https://p.example.org/base/invite/[redacted]">`,
		"/consent/" + tok + " /letters/" + tok + " /endorse/confirm/" + tok: "/consent/[redacted] /letters/[redacted] /endorse/confirm/[redacted]",
		"/register?invitation=" + tok + "&x=1":                              "/register?invitation=[redacted]&x=1",
		"/register?x=1&amp;invitation=" + tok:                               "/register?x=1&amp;invitation=[redacted]",
		"/account/verify/resend":                                            "/account/verify/resend",
		"/endorse/" + tok:                                                   "/endorse/" + tok, // the public page: its code is its address
		"/verify/[redacted]":                                                "/verify/[redacted]",
	} {
		if got := link.Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}
