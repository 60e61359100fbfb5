// Package notifytest gives tests a real SMTP server on loopback (built on emersion/go-smtp) that
// keeps every message it receives, parsed into its text and HTML parts, and a helper that runs
// an outbox worker sending to it.
//
//	smtp := notifytest.StartSMTP(t)
//	smtp.StartWorker(t, pool)                   // or PORTAL_SMTP_URL=smtp.URL() for `portal serve`
//	... // something that queues an email to ada@example.org
//	m := smtp.WaitFor(t, "ada@example.org", "Confirm your email", 10*time.Second)
//	link := notifytest.FirstLink(m.Text, "/verify/")
package notifytest

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/db"
	"prizeportal/internal/notify"
)

// Mail is one message as received for one recipient.
type Mail struct {
	// From is the From header, decoded ("Prize Portal <no-reply@localhost>").
	From string
	// To is the envelope recipient (one Mail per recipient).
	To string
	// Subject is the decoded Subject header.
	Subject string
	// Text and HTML are the decoded bodies of the text/plain and text/html parts.
	Text string
	HTML string
	// Attachments are the decoded parts sent as attachments (Content-Disposition: attachment), and
	// any other part that is neither text/plain nor text/html, in order.
	Attachments []Attachment
	// Header holds every header of the message; Raw is the message as received.
	Header mail.Header
	Raw    []byte
}

// Attachment is one attached part of a Mail.
type Attachment struct {
	// Name is the file name from Content-Disposition (or the Content-Type name parameter).
	Name string
	// ContentType is the part's media type, without parameters ("application/pdf").
	ContentType string
	Data        []byte
}

// SMTPServer is a running (or stopped) test SMTP server.
type SMTPServer struct {
	addr string

	mu        sync.Mutex
	srv       *smtp.Server
	ln        net.Listener
	done      chan struct{}
	msgs      []Mail
	parseErrs []string
}

// StartSMTP starts a server on a free loopback port; it is stopped when the test ends.
func StartSMTP(t testing.TB) *SMTPServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("notifytest: listen: %v", err)
	}
	s := &SMTPServer{addr: ln.Addr().String()}
	s.serve(ln)
	t.Cleanup(s.Stop)
	return s
}

// URL is the server's address as a PORTAL_SMTP_URL (plain SMTP, no authentication).
func (s *SMTPServer) URL() string { return "smtp://" + s.addr + "?tls=none" }

// Addr is the server's host:port.
func (s *SMTPServer) Addr() string { return s.addr }

func (s *SMTPServer) serve(ln net.Listener) {
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{server: s}, nil
	}))
	srv.Domain = "localhost"
	srv.MaxMessageBytes = 10 << 20
	srv.MaxRecipients = 50
	srv.ReadTimeout = 30 * time.Second
	srv.WriteTimeout = 30 * time.Second
	srv.ErrorLog = log.New(io.Discard, "", 0)
	done := make(chan struct{})
	s.mu.Lock()
	s.srv, s.ln, s.done = srv, ln, done
	s.mu.Unlock()
	go func() {
		defer close(done)
		_ = srv.Serve(ln)
	}()
}

// Stop closes the listener and every connection: senders then get "connection refused" until
// Restart. Stopping a stopped server does nothing.
func (s *SMTPServer) Stop() {
	s.mu.Lock()
	srv, ln, done := s.srv, s.ln, s.done
	s.srv, s.ln = nil, nil
	s.mu.Unlock()
	if srv == nil {
		return
	}
	// Close the listener too: Serve may not have registered it with srv yet.
	_ = srv.Close()
	_ = ln.Close()
	<-done
}

// Restart starts a stopped server again on the same port; the messages received so far are kept.
func (s *SMTPServer) Restart() {
	s.mu.Lock()
	running := s.srv != nil
	s.mu.Unlock()
	if running {
		return
	}
	// The port was just ours; a few quick tries cover a slow close.
	var err error
	for range 50 {
		var ln net.Listener
		if ln, err = net.Listen("tcp", s.addr); err == nil {
			s.serve(ln)
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	panic(fmt.Sprintf("notifytest: restart on %s: %v", s.addr, err))
}

// Messages returns every message received so far, in order.
func (s *SMTPServer) Messages() []Mail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Mail(nil), s.msgs...)
}

// MessagesTo returns the messages received for to (case-insensitive).
func (s *SMTPServer) MessagesTo(to string) []Mail {
	var out []Mail
	for _, m := range s.Messages() {
		if strings.EqualFold(m.To, to) {
			out = append(out, m)
		}
	}
	return out
}

// WaitFor waits up to timeout for a message to `to` whose subject contains subjectSubstring (any
// subject when it is empty) and returns the first such message; it fails the test when none
// arrives in time.
func (s *SMTPServer) WaitFor(t testing.TB, to, subjectSubstring string, timeout time.Duration) Mail {
	t.Helper()
	return s.WaitForN(t, to, subjectSubstring, 1, timeout)[0]
}

// WaitForN is WaitFor for n such messages, returned in the order received.
func (s *SMTPServer) WaitForN(t testing.TB, to, subjectSubstring string, n int, timeout time.Duration) []Mail {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		var found []Mail
		for _, m := range s.MessagesTo(to) {
			if strings.Contains(m.Subject, subjectSubstring) {
				found = append(found, m)
			}
		}
		if len(found) >= n {
			return found
		}
		if time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	var got []string
	for _, m := range s.Messages() {
		got = append(got, fmt.Sprintf("%s: %q", m.To, m.Subject))
	}
	s.mu.Lock()
	bad := append([]string(nil), s.parseErrs...)
	s.mu.Unlock()
	t.Fatalf("notifytest: fewer than %d messages to %s with subject containing %q within %s; received %d: %v; unreadable: %v",
		n, to, subjectSubstring, timeout, len(got), got, bad)
	return nil
}

// StartWorker runs an outbox worker on pool that sends to this server, retrying failed sends
// after 100ms and polling every 50ms; it is stopped when the test ends.
func (s *SMTPServer) StartWorker(t testing.TB, pool *pgxpool.Pool) *notify.Worker {
	t.Helper()
	sender, err := notify.NewSMTPSender(s.URL(), notify.DefaultFrom)
	if err != nil {
		t.Fatalf("notifytest: %v", err)
	}
	w, err := notify.NewWorker(pool, FastWorkerConfig(sender))
	if err != nil {
		t.Fatalf("notifytest: %v", err)
	}
	StartWorker(t, w)
	return w
}

// FastWorkerConfig is a worker configuration for tests: sender, retries after 100ms, polling
// every 50ms, warnings discarded.
func FastWorkerConfig(sender notify.Sender) notify.WorkerConfig {
	return notify.WorkerConfig{
		Sender:       sender,
		RetryDelay:   func(int) time.Duration { return 100 * time.Millisecond },
		PollInterval: 50 * time.Millisecond,
	}
}

// StartWorker starts w and stops it when the test ends.
func StartWorker(t testing.TB, w *notify.Worker) {
	t.Helper()
	if err := w.Start(t.Context()); err != nil {
		t.Fatalf("notifytest: %v", err)
	}
	t.Cleanup(func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := w.Stop(stopCtx); err != nil {
			t.Errorf("notifytest: stop worker: %v", err)
		}
	})
}

var linkRE = regexp.MustCompile(`https?://[^\s<>"]+`)

// FirstLink returns the first http(s) URL in text that contains substr ("" for any).
func FirstLink(text, substr string) string {
	for _, u := range linkRE.FindAllString(text, -1) {
		if strings.Contains(u, substr) {
			return u
		}
	}
	return ""
}

// session receives one SMTP connection's messages.
type session struct {
	server *SMTPServer
	from   string
	rcpts  []string
}

func (ss *session) Reset()        { ss.from, ss.rcpts = "", nil }
func (ss *session) Logout() error { return nil }

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.rcpts = append(ss.rcpts, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m, err := Parse(raw)
	s := ss.server
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		s.parseErrs = append(s.parseErrs, err.Error())
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "notifytest: unreadable message: " + err.Error()}
	}
	for _, to := range ss.rcpts {
		m.To = to
		s.msgs = append(s.msgs, m)
	}
	return nil
}

// Parse reads a raw message: headers, the text/plain and text/html parts of a single-part or
// (nested) multipart body and its attachments, with quoted-printable and base64 decoded. To is
// left empty.
func Parse(raw []byte) (Mail, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return Mail{}, fmt.Errorf("read message: %w", err)
	}
	dec := new(mime.WordDecoder)
	m := Mail{Header: msg.Header, Raw: raw}
	if m.From, err = dec.DecodeHeader(msg.Header.Get("From")); err != nil {
		return Mail{}, fmt.Errorf("From: %w", err)
	}
	if m.Subject, err = dec.DecodeHeader(msg.Header.Get("Subject")); err != nil {
		return Mail{}, fmt.Errorf("Subject: %w", err)
	}
	if err := readPart(&m, msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Header.Get("Content-Disposition"), msg.Body); err != nil {
		return Mail{}, err
	}
	return m, nil
}

func readPart(m *Mail, contentType, encoding, disposition string, body io.Reader) error {
	if contentType == "" {
		contentType = "text/plain"
	}
	mediaType, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return fmt.Errorf("Content-Type %q: %w", contentType, err)
	}
	if strings.HasPrefix(mediaType, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return fmt.Errorf("multipart: %w", err)
			}
			if err := readPart(m, p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p.Header.Get("Content-Disposition"), p); err != nil {
				return err
			}
		}
	}
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body) // ignores line breaks
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return fmt.Errorf("%s body: %w", mediaType, err)
	}
	disp, dparams, _ := mime.ParseMediaType(disposition)
	if disp == "attachment" || (mediaType != "text/plain" && mediaType != "text/html") {
		name := dparams["filename"]
		if name == "" {
			name = params["name"]
		}
		m.Attachments = append(m.Attachments, Attachment{Name: name, ContentType: mediaType, Data: b})
		return nil
	}
	switch mediaType {
	case "text/plain":
		if m.Text == "" {
			m.Text = string(b)
		}
	case "text/html":
		if m.HTML == "" {
			m.HTML = string(b)
		}
	}
	return nil
}

// Queue queues m in a committed transaction and returns its outbox id.
func Queue(t testing.TB, pool *pgxpool.Pool, m notify.Message) int64 {
	t.Helper()
	var id int64
	err := db.InTx(context.Background(), pool, func(tx pgx.Tx) error {
		var err error
		id, err = notify.NewOutbox(pool).Queue(context.Background(), tx, m)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}
