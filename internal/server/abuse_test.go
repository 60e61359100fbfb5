package server_test

import (
	"fmt"
	"net/url"
	"prizeportal/internal/db/dbtest"
	"strings"
	"sync"
	"testing"
	"time"
)

// parallel posts forms[i] to path from its own anonymous client, all at once, and returns the
// statuses.
func parallel(t *testing.T, e *env, path string, forms []url.Values) []int {
	t.Helper()
	clients := make([]*client, len(forms))
	for i := range forms {
		clients[i] = e.client(t)
	}
	replies := atOnce(clients, path, forms)
	statuses := make([]int, len(replies))
	for i, r := range replies {
		statuses[i] = r.status
	}
	return statuses
}

// atOnce posts forms[i] (nil: an empty form) to path from clients[i], all released together,
// and returns the replies.
func atOnce(clients []*client, path string, forms []url.Values) []reply {
	replies := make([]reply, len(clients))
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, c := range clients {
		wg.Go(func() {
			<-start
			var form url.Values
			if forms != nil {
				form = forms[i]
			}
			replies[i] = c.post(path, form)
		})
	}
	close(start)
	wg.Wait()
	return replies
}

func count(statuses []int, status int) int {
	n := 0
	for _, s := range statuses {
		if s == status {
			n++
		}
	}
	return n
}

// TestParallelWrongPasswordsAreLimited fires wrong passwords at one account at once: each attempt
// is counted before the password is checked, so the account's free attempts are not multiplied
// by sending them together.
func TestParallelWrongPasswordsAreLimited(t *testing.T) {
	t.Parallel()
	e := newTwoFactorEnv(t)
	e.newAccount(t, "applicant-a", "")
	forms := make([]url.Values, 12)
	for i := range forms {
		forms[i] = url.Values{"login": {"applicant-a"}, "password": {fmt.Sprint("wrong guess number ", i)}}
	}
	statuses := parallel(t, e.env, "/signin", forms)
	if n := count(statuses, 401); n > 3 || count(statuses, 429) == 0 || n+count(statuses, 429) != len(forms) {
		t.Fatalf("12 parallel wrong passwords: %v, want at most 3 × 401 (the free attempts), the rest 429", statuses)
	}
}

// TestParallelRegistrationsRespectTheCap registers from one address at once, more than the
// hourly cap allows.
func TestParallelRegistrationsRespectTheCap(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	forms := make([]url.Values, 15)
	for i := range forms {
		forms[i] = registration(fmt.Sprint("parallel-", i), fmt.Sprint("p", i, "@seoul.example"))
	}
	statuses := parallel(t, e, "/register", forms)
	accounts := dbtest.Count(t, e.pool, `SELECT count(*) FROM users`)
	if accounts > 10 || count(statuses, 429) < 5 {
		t.Fatalf("15 parallel registrations from one address made %d accounts (%v), want at most 10", accounts, statuses)
	}
}

// TestAccountLimitFollowsTheAccount locks an account by its login ID: signing in by its email
// is limited just the same.
func TestAccountLimitFollowsTheAccount(t *testing.T) {
	t.Parallel()
	e := newTwoFactorEnv(t)
	e.newAccount(t, "applicant-a", "")
	c := e.client(t)
	for i := range 10 {
		if res := c.post("/signin", url.Values{"login": {"applicant-a"}, "password": {"not the password"}}); res.status != 401 {
			t.Fatalf("wrong password %d: %d", i+1, res.status)
		}
		e.clock.Advance(61 * time.Second) // past each growing delay (at most 1 minute), so every failure counts
	}
	res := e.client(t).post("/signin", url.Values{"login": {"APPLICANT-A@example.org"}, "password": {tfPassword}})
	if res.status != 429 || !strings.Contains(res.body, "Too many unsuccessful attempts") {
		t.Fatalf("sign-in by email of an account locked by its login ID: %d, want 429", res.status)
	}
	// The lock holds for its time from the last failure, then the right password works.
	e.clock.Advance(16 * time.Minute)
	if res := e.client(t).post("/signin", url.Values{"login": {"applicant-a@example.org"}, "password": {tfPassword}}); res.status != 303 {
		t.Fatalf("after the lock: %d", res.status)
	}
}

// TestCurrentPasswordGuessesAreLimited guesses the current password on the change-password page:
// wrong guesses count like failed sign-ins of the account, so they soon must wait.
func TestCurrentPasswordGuessesAreLimited(t *testing.T) {
	t.Parallel()
	e := newTwoFactorEnv(t)
	e.newAccount(t, "applicant-a", "")
	c := e.client(t)
	if res := signInPassword(c, "applicant-a", ""); res.status != 303 {
		t.Fatalf("sign in: %d", res.status)
	}
	guess := func(current string) reply {
		return c.post("/account/password", url.Values{"current": {current}, "password": {"green kettle on a bus"}})
	}
	for i := range 3 {
		if res := guess(fmt.Sprint("guess number ", i)); res.status != 422 || !strings.Contains(res.body, "current password is not right") {
			t.Fatalf("wrong current password %d: %d", i+1, res.status)
		}
	}
	res := guess("guess number 4")
	if res.status != 429 || !strings.Contains(res.body, "Too many wrong passwords") || !strings.Contains(res.body, "There is a problem") {
		t.Fatalf("4th wrong current password at once: %d, want 429 with the message\n%s", res.status, res.body)
	}
	// Even the right password waits now, as a sign-in would.
	if res := guess(tfPassword); res.status != 429 {
		t.Fatalf("right password while limited: %d, want 429", res.status)
	}
	if res := e.client(t).post("/signin", url.Values{"login": {"applicant-a"}, "password": {tfPassword}}); res.status != 429 {
		t.Fatalf("sign-in while the account is limited: %d, want 429", res.status)
	}
	e.clock.Advance(2 * time.Second)
	if res := guess(tfPassword); res.status != 303 {
		t.Fatalf("right password after the wait: %d\n%s", res.status, res.body)
	}
}

// TestParallelResetRequestsRespectTheCap asks for password resets from one address at once,
// more than the hourly cap allows.
func TestParallelResetRequestsRespectTheCap(t *testing.T) {
	t.Parallel()
	e := newTwoFactorEnv(t)
	e.newAccount(t, "applicant-a", "")
	forms := make([]url.Values, 9)
	for i := range forms {
		forms[i] = url.Values{"login": {"applicant-a"}}
	}
	statuses := parallel(t, e.env, "/password/forgot", forms)
	sent := dbtest.Count(t, e.pool, `SELECT count(*) FROM email_outbox WHERE kind = 'reset-password'`)
	if sent > 5 || count(statuses, 200) > 5 || count(statuses, 429) < 4 {
		t.Fatalf("9 parallel reset requests: %v, %d emails, want at most 5", statuses, sent)
	}
}
