package throttle_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"prizeportal/internal/blocks/throttle"
	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/i18n"

	"github.com/jackc/pgx/v5"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// noon is the clock of these tests.
var noon = time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)

func TestGrowingDelayThenLock(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	p := throttle.Policy{Kind: "t", Window: 15 * time.Minute, Free: 3, MaxDelay: time.Minute, LockAfter: 6, LockFor: 15 * time.Minute}
	now := noon
	wantWaits := []time.Duration{0, 0, 0, time.Second, 2 * time.Second, 4 * time.Second, 15 * time.Minute}
	for i, want := range wantWaits {
		got, err := throttle.Check(ctx, pool, p, "acct", now)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Fatalf("after %d failures: wait %v, want %v", i, got, want)
		}
		if err := throttle.Hit(ctx, pool, p, "acct", now); err != nil {
			t.Fatal(err)
		}
	}
	if got, _ := throttle.Check(ctx, pool, p, "other", now); got != 0 {
		t.Fatalf("another key must not be limited: %v", got)
	}
	if got, _ := throttle.Check(ctx, pool, p, "acct", now.Add(16*time.Minute)); got != 0 {
		t.Fatalf("after the window the key is free again: %v", got)
	}
	throttle.Clear(ctx, pool, p, "acct")
	if got, _ := throttle.Check(ctx, pool, p, "acct", now); got != 0 {
		t.Fatalf("cleared key still waits %v", got)
	}
}

func TestCapPerWindow(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	p := throttle.Policy{Kind: "r", Window: time.Hour, Max: 2}
	t0 := noon
	throttle.Hit(ctx, pool, p, "ip", t0)
	throttle.Hit(ctx, pool, p, "ip", t0.Add(10*time.Minute))
	got, _ := throttle.Check(ctx, pool, p, "ip", t0.Add(20*time.Minute))
	if got != 40*time.Minute {
		t.Fatalf("wait %v, want 40m (until the oldest event leaves the window)", got)
	}
}

// TestTakeIsAtomic takes many attempts on one key at once: exactly the free ones pass, however
// they interleave.
func TestTakeIsAtomic(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	acct := throttle.Policy{Kind: "a", Window: 15 * time.Minute, Free: 3, MaxDelay: time.Minute, LockAfter: 10, LockFor: 15 * time.Minute}
	ip := throttle.Policy{Kind: "i", Window: 15 * time.Minute, Free: 10, MaxDelay: time.Minute, LockAfter: 50, LockFor: 15 * time.Minute}
	now := noon
	var (
		mu     sync.Mutex
		passed int
		wg     sync.WaitGroup
	)
	for range 12 {
		wg.Go(func() {
			_, wait, err := throttle.Take(ctx, pool, now, throttle.Limit{Policy: acct, Key: "user:1"}, throttle.Limit{Policy: ip, Key: "10.0.0.1"})
			if err != nil {
				t.Error(err)
				return
			}
			if wait == 0 {
				mu.Lock()
				passed++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if passed != 3 {
		t.Fatalf("%d of 12 parallel attempts passed, want the 3 free ones", passed)
	}
	// A refused attempt records nothing: the address has only the three.
	if wait, _ := throttle.Check(ctx, pool, ip, "10.0.0.1", now); wait != 0 {
		t.Fatalf("the address waits %v after 3 attempts", wait)
	}
}

// TestForgetUncountsOneAttempt forgets an attempt under one of its limits only.
func TestForgetUncountsOneAttempt(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	a := throttle.Policy{Kind: "a", Window: time.Hour, Max: 1}
	b := throttle.Policy{Kind: "b", Window: time.Hour, Max: 1}
	now := noon
	att, wait, err := throttle.Take(ctx, pool, now, throttle.Limit{Policy: a, Key: "k"}, throttle.Limit{Policy: b, Key: "k"})
	if err != nil || wait != 0 {
		t.Fatal(wait, err)
	}
	if err := att.Forget(ctx, pool, a); err != nil {
		t.Fatal(err)
	}
	if w, _ := throttle.Check(ctx, pool, a, "k", now); w != 0 {
		t.Fatalf("forgotten attempt still counts under a: %v", w)
	}
	if w, _ := throttle.Check(ctx, pool, b, "k", now); w != time.Hour {
		t.Fatalf("under b: wait %v, want 1h", w)
	}
}

// TestTakeParallel: of many simultaneous Takes, exactly Max succeed.
func TestTakeParallel(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	p := throttle.Policy{Kind: "t-take", Window: time.Hour, Max: 5}
	now := noon
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		ok, lim int
	)
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := db.InTx(ctx, pool, func(tx pgx.Tx) error {
				return throttle.TakeAll(ctx, tx, now, throttle.Limit{Policy: p, Key: "k"})
			})
			var le *throttle.LimitError
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				ok++
			case errors.As(err, &le):
				lim++
			default:
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if ok != 5 || lim != 15 {
		t.Fatalf("%d taken, %d refused; want 5 and 15", ok, lim)
	}
}

// TestTakeAllOrNothing: a refusal on one quota records nothing on the others, and names the
// first used-up quota with how long until it frees.
func TestTakeAllOrNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	one := throttle.Limit{Policy: throttle.Policy{Kind: "t-one", Window: time.Hour, Max: 1}, Key: "a"}
	many := throttle.Limit{Policy: throttle.Policy{Kind: "t-many", Window: time.Hour, Max: 5}, Key: "a"}
	now := noon
	take := func(at time.Time, qs ...throttle.Limit) error {
		return db.InTx(ctx, pool, func(tx pgx.Tx) error { return throttle.TakeAll(ctx, tx, at, qs...) })
	}
	if err := take(now, one, many); err != nil {
		t.Fatal(err)
	}
	err := take(now.Add(10*time.Minute), many, one)
	var le *throttle.LimitError
	if !errors.As(err, &le) || le.Limit != one || le.Count != 1 || le.Wait != 50*time.Minute {
		t.Fatalf("second take: %v (%+v), want the limit of one, 50 minutes to wait", err, le)
	}
	var n int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM throttle_events WHERE kind = 't-many'`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("t-many holds %d events (%v), want 1", n, err)
	}
	if err := take(now.Add(time.Hour), one, many); err != nil {
		t.Fatalf("after the window: %v", err)
	}
}

// TestPhrase: a wait in words, in English and in Korean's own words.
func TestPhrase(t *testing.T) {
	for d, want := range map[time.Duration][2]string{
		500 * time.Millisecond: {"in a second", "1초 후에"}, 8 * time.Second: {"in 8 seconds", "8초 후에"},
		61 * time.Second: {"in 1 minute", "1분 후에"}, 14*time.Minute + time.Second: {"in 15 minutes", "15분 후에"},
	} {
		en, ko := want[0], want[1]
		if got := i18n.English(throttle.Phrase(d)); got != en {
			t.Errorf("Phrase(%v) in English = %q, want %q", d, got, en)
		}
		if got := i18n.For("ko").T(throttle.Phrase(d)); got != ko {
			t.Errorf("Phrase(%v) in Korean = %q, want %q", d, got, ko)
		}
	}
}
