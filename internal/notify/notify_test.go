package notify_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/a-h/templ"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
	"prizeportal/internal/notify/notifytest"
	"prizeportal/internal/tools/logbuf"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var meta = emails.Meta{PrizeName: "Seoul Smart City Prize", EditionName: "Seoul Smart City Prize 2023", BaseURL: "https://prize.example.org"}

// message is a test message to `to` with an HTML body in the email layout.
func message(to, subject string) notify.Message {
	body := templ.Raw(`<p>Open <a href="https://prize.example.org/verify/abc">this link</a>.</p>`)
	html := templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		return emails.Layout(meta, subject).Render(templ.WithChildren(ctx, body), w)
	})
	return notify.Message{
		To: to, ToName: "Min-jun Kim", Kind: "test", Subject: subject, HTML: html,
		Text: "Open this link: https://prize.example.org/verify/abc" + meta.TextFooter(),
	}
}

// queue queues m in a committed transaction and returns its outbox id.
func queue(t *testing.T, pool *pgxpool.Pool, m notify.Message) int64 {
	t.Helper()
	return notifytest.Queue(t, pool, m)
}

// waitUntil polls cond until it holds or the deadline passes.
func waitUntil(t *testing.T, what string, timeout time.Duration, cond func() (bool, error)) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ok, err := cond()
		if err != nil {
			t.Fatalf("waiting for %s: %v", what, err)
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func count(t *testing.T, pool *pgxpool.Pool, sql string, args ...any) int {
	t.Helper()
	return dbtest.Count(t, pool, sql, args...)
}

// eachOnce checks that the server received exactly one message for each of the n addresses
// format (with %d for 0 to n-1) names, and no other.
func eachOnce(t *testing.T, smtp *notifytest.SMTPServer, n int, format string) {
	t.Helper()
	for i := range n {
		to := fmt.Sprintf(format, i)
		if got := len(smtp.MessagesTo(to)); got != 1 {
			t.Errorf("%s received %d messages, want exactly 1", to, got)
		}
	}
	if got := len(smtp.Messages()); got != n {
		t.Errorf("received %d messages in all, want %d", got, n)
	}
}

// allDone reports whether every outbox row is sent and every email job completed.
func allDone(pool *pgxpool.Pool) func() (bool, error) {
	return func() (bool, error) {
		var pending int
		err := pool.QueryRow(context.Background(), `
			SELECT (SELECT count(*) FROM email_outbox WHERE sent_at IS NULL)
			     + (SELECT count(*) FROM river_job WHERE queue = $1 AND state <> 'completed')`, notify.QueueName).Scan(&pending)
		return pending == 0, err
	}
}

func TestRolledBackMessageIsNeverSent(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	smtp := notifytest.StartSMTP(t)
	smtp.StartWorker(t, pool)
	ctx := context.Background()

	errRollback := errors.New("the change failed")
	err := db.InTx(ctx, pool, func(tx pgx.Tx) error {
		if _, err := notify.NewOutbox(pool).Queue(ctx, tx, message("rolled-back@example.org", "Never")); err != nil {
			return err
		}
		return errRollback
	})
	if !errors.Is(err, errRollback) {
		t.Fatalf("InTx = %v", err)
	}
	queue(t, pool, message("committed@example.org", "Committed"))
	smtp.WaitFor(t, "committed@example.org", "Committed", 20*time.Second)
	waitUntil(t, "the committed message to be done", 20*time.Second, allDone(pool))

	if n := count(t, pool, `SELECT count(*) FROM email_outbox`); n != 1 {
		t.Errorf("outbox rows = %d, want 1 (the committed message)", n)
	}
	if n := count(t, pool, `SELECT count(*) FROM river_job`); n != 1 {
		t.Errorf("jobs = %d, want 1: the rolled-back message's job must be rolled back with it", n)
	}
	if got := smtp.MessagesTo("rolled-back@example.org"); len(got) != 0 {
		t.Errorf("the rolled-back message was sent: %+v", got)
	}
}

func TestCommittedMessageIsDeliveredWithTextAndHTML(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	smtp := notifytest.StartSMTP(t)
	sender, err := notify.NewSMTPSender(smtp.URL(), `"Seoul Smart City Prize" <no-reply@prize.example.org>`)
	if err != nil {
		t.Fatal(err)
	}
	w, err := notify.NewWorker(pool, notifytest.FastWorkerConfig(sender))
	if err != nil {
		t.Fatal(err)
	}
	notifytest.StartWorker(t, w)

	subject := "Confirm your email address — Séoul 2023"
	id := queue(t, pool, message("ada@example.org", subject))
	m := smtp.WaitFor(t, "ada@example.org", "Confirm your email", 20*time.Second)

	if m.Subject != subject {
		t.Errorf("Subject = %q, want %q", m.Subject, subject)
	}
	if m.From != `"Seoul Smart City Prize" <no-reply@prize.example.org>` {
		t.Errorf("From = %q", m.From)
	}
	if to := m.Header.Get("To"); !strings.Contains(to, "<ada@example.org>") || !strings.Contains(to, "Min-jun Kim") {
		t.Errorf("To header = %q", to)
	}
	if ct := m.Header.Get("Content-Type"); !strings.HasPrefix(ct, "multipart/alternative") {
		t.Errorf("Content-Type = %q, want multipart/alternative", ct)
	}
	if mid := m.Header.Get("Message-Id"); !strings.HasPrefix(mid, fmt.Sprintf("<outbox-%d.", id)) || !strings.HasSuffix(mid, "@prize.example.org>") {
		t.Errorf("Message-ID = %q", mid)
	}
	if m.Header.Get("Date") == "" || m.Header.Get("Auto-Submitted") != "auto-generated" {
		t.Errorf("Date %q, Auto-Submitted %q", m.Header.Get("Date"), m.Header.Get("Auto-Submitted"))
	}
	if !strings.Contains(m.Text, "https://prize.example.org/verify/abc") || !strings.Contains(m.Text, "replies are not read") {
		t.Errorf("text part:\n%s", m.Text)
	}
	if notifytest.FirstLink(m.Text, "/verify/") != "https://prize.example.org/verify/abc" {
		t.Errorf("FirstLink found %q", notifytest.FirstLink(m.Text, "/verify/"))
	}
	for _, want := range []string{`<html lang="en">`, `href="https://prize.example.org/verify/abc"`, "Seoul Smart City Prize 2023", "Séoul 2023"} {
		if !strings.Contains(m.HTML, want) {
			t.Errorf("HTML part lacks %q:\n%s", want, m.HTML)
		}
	}

	waitUntil(t, "the message to be marked sent", 20*time.Second, allDone(pool))
	e, err := notify.EmailByID(context.Background(), pool, id)
	if err != nil {
		t.Fatal(err)
	}
	if !e.Sent() || e.Attempts != 1 || e.LastError != "" {
		t.Errorf("row after sending: sent %v, attempts %d, last error %q", e.Sent(), e.Attempts, e.LastError)
	}
	if len(smtp.Messages()) != 1 {
		t.Errorf("received %d messages, want 1", len(smtp.Messages()))
	}
}

// TestSMTPOutageLosesNothingAndSendsOnce is the acceptance test: with the mail server
// down, messages are queued and their sends fail; when it is back, every message is delivered
// exactly once.
func TestSMTPOutageLosesNothingAndSendsOnce(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	smtp := notifytest.StartSMTP(t)
	smtp.Stop()
	smtp.StartWorker(t, pool)

	const n = 6
	for i := range n {
		queue(t, pool, message(fmt.Sprintf("user%d@example.org", i), fmt.Sprintf("Message %d", i)))
	}
	waitUntil(t, "every message to fail at least twice", 30*time.Second, func() (bool, error) {
		var failing int
		err := pool.QueryRow(context.Background(),
			`SELECT count(*) FROM email_outbox WHERE sent_at IS NULL AND attempts >= 2 AND last_error <> ''`).Scan(&failing)
		return failing == n, err
	})
	smtp.Restart()
	waitUntil(t, "every message to be sent after the restart", 30*time.Second, allDone(pool))

	eachOnce(t, smtp, n, "user%d@example.org")
	if c := count(t, pool, `SELECT count(*) FROM email_outbox WHERE sent_at IS NOT NULL AND attempts >= 3 AND last_error = ''`); c != n {
		t.Errorf("%d rows record the failed attempts and the success, want %d", c, n)
	}
}

func TestTwoWorkersSendEachMessageOnce(t *testing.T) {
	t.Parallel()
	url := dbtest.NewURL(t)
	smtp := notifytest.StartSMTP(t)
	var pools []*pgxpool.Pool
	for range 2 { // two instances: two pools, two workers
		pool, err := db.Open(context.Background(), url, 8)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(pool.Close)
		pools = append(pools, pool)
		smtp.StartWorker(t, pool)
	}

	const n = 40
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { queue(t, pools[i%2], message(fmt.Sprintf("u%d@example.org", i), "Hello")) })
	}
	wg.Wait()
	waitUntil(t, "every message to be sent", 60*time.Second, allDone(pools[0]))
	eachOnce(t, smtp, n, "u%d@example.org")
}

func TestAlreadySentRowIsSkipped(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	smtp := notifytest.StartSMTP(t)
	id := queue(t, pool, message("once@example.org", "Already sent"))
	dbtest.Exec(t, pool, `UPDATE email_outbox SET sent_at = now(), attempts = 1 WHERE id = $1`, id)
	smtp.StartWorker(t, pool)
	waitUntil(t, "the job to complete", 20*time.Second, allDone(pool))
	if got := smtp.Messages(); len(got) != 0 {
		t.Errorf("a row already marked sent was sent again: %+v", got)
	}
	if c := count(t, pool, `SELECT attempts FROM email_outbox WHERE id = $1`, id); c != 1 {
		t.Errorf("attempts = %d, want 1 (untouched)", c)
	}
}

func TestLogSenderLogsAndMarksSent(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	var logs logbuf.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	cfg := notifytest.FastWorkerConfig(nil) // nil sender: the log
	cfg.Logger = log
	w, err := notify.NewWorker(pool, cfg)
	if err != nil {
		t.Fatal(err)
	}
	notifytest.StartWorker(t, w)

	id := queue(t, pool, message("dev@example.org", "Your link"))
	waitUntil(t, "the message to be marked sent", 20*time.Second, allDone(pool))
	e, err := notify.EmailByID(context.Background(), pool, id)
	if err != nil || !e.Sent() {
		t.Fatalf("row: %+v, %v", e, err)
	}
	out := logs.String()
	for _, want := range []string{"to=dev@example.org", `subject="Your link"`, "https://prize.example.org/verify/abc"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
}

func TestListAndGetEmails(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	ctx := context.Background()
	var ids []int64
	for i := range 5 {
		ids = append(ids, queue(t, pool, message(fmt.Sprintf("l%d@example.org", i), fmt.Sprintf("Subject %d", i))))
	}
	n, err := notify.CountEmails(ctx, pool)
	if err != nil || n != 5 {
		t.Fatalf("CountEmails = %d, %v", n, err)
	}
	page, err := notify.ListEmails(ctx, pool, 2, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(page) != 2 || page[0].ID != ids[2] || page[1].ID != ids[1] || page[0].Text != "" {
		t.Fatalf("second page of two, newest first: %+v", page)
	}
	e, err := notify.EmailByID(ctx, pool, ids[0])
	if err != nil || e.To != "l0@example.org" || !strings.Contains(e.HTML, "<html") || e.Text == "" || e.Sent() {
		t.Fatalf("EmailByID = %+v, %v", e, err)
	}
	if _, err := notify.EmailByID(ctx, pool, 999999); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("missing email: %v, want db.ErrNotFound", err)
	}
}

func TestNewSMTPSenderChecksTheURL(t *testing.T) {
	t.Parallel()
	for _, good := range []string{"smtp://mail.example.org", "smtp://u:p%40ss@mail.example.org:587?tls=starttls", "smtp://127.0.0.1:1025?tls=none", "smtps://u:p@mail.example.org"} {
		if _, err := notify.NewSMTPSender(good, ""); err != nil {
			t.Errorf("%s: %v", good, err)
		}
	}
	for _, bad := range []string{"http://mail.example.org", "smtp://", "smtp://h:0", "smtp://h?tls=maybe", "smtps://h?tls=none", "smtp://h?x=1"} {
		if _, err := notify.NewSMTPSender(bad, ""); err == nil {
			t.Errorf("%s: accepted", bad)
		}
	}
	if _, err := notify.NewSMTPSender("smtp://h", "not an address"); err == nil {
		t.Error("a bad From address was accepted")
	}
}

func TestQueueRefusesABadRecipient(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	for _, bad := range []string{"", "not an address", "Ada <ada@example.org>", "ada@example.org\r\nBcc: x@example.org"} {
		err := db.InTx(context.Background(), pool, func(tx pgx.Tx) error {
			_, err := notify.NewOutbox(pool).Queue(context.Background(), tx, notify.Message{To: bad, Subject: "x", Text: "x"})
			return err
		})
		if err == nil {
			t.Errorf("Queue accepted recipient %q", bad)
		}
	}
}
