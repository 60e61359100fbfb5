package notify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"prizeportal/internal/blocks/field"
	"prizeportal/internal/blocks/link"
)

// Sender delivers one message. Send must be safe for concurrent use.
type Sender interface {
	Send(ctx context.Context, e Email) error
}

// DefaultFrom is the sender address when PORTAL_MAIL_FROM is unset.
const DefaultFrom = "Prize Portal <no-reply@localhost>"

// LogSender writes each message (recipient, subject and plain-text body) to the log instead of
// sending it: the local-mode sender, so a developer sees the links in the terminal. With Redact
// (production without a mail server) private-link tokens are redacted, so that the log, which
// outlives the links and is read by more people than the recipient, holds no usable token.
type LogSender struct {
	Logger *slog.Logger
	Redact bool
}

// Send logs e.
func (s LogSender) Send(ctx context.Context, e Email) error {
	log := s.Logger
	if log == nil {
		log = slog.Default()
	}
	text := e.Text
	if s.Redact {
		text = link.Redact(text)
	}
	log.InfoContext(ctx, "email (logged, not sent: PORTAL_SMTP_URL is unset)",
		"outbox_id", e.ID, "to", e.To, "kind", e.Kind, "subject", e.Subject, "text", text)
	return nil
}

// SMTPSender sends through an SMTP server, one connection per message.
type SMTPSender struct {
	host string
	opts []gomail.Option
	from *mail.Address
}

// smtpTimeout bounds connecting to and talking with the mail server.
const smtpTimeout = 30 * time.Second

// NewSMTPSender returns a sender for rawURL and the From address from:
//
//	smtp://user:pass@host:587            STARTTLS when the server offers it (port 587 by default)
//	smtp://host:587?tls=starttls         STARTTLS required
//	smtp://127.0.0.1:1025?tls=none       plain, for a local test server
//	smtps://user:pass@host:465           implicit TLS (port 465 by default)
//
// User and password must be percent-encoded. Credentials are sent only over an encrypted
// connection, except with tls=none.
func NewSMTPSender(rawURL, from string) (*SMTPSender, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, errors.New("notify: SMTP URL: not a URL")
	}
	host, port := u.Hostname(), 0
	if host == "" {
		return nil, fmt.Errorf("notify: SMTP URL %s: no host", u.Redacted())
	}
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil || port < 1 || port > 65535 {
			return nil, fmt.Errorf("notify: SMTP URL %s: bad port", u.Redacted())
		}
	}
	q := u.Query()
	tlsMode := q.Get("tls")
	for k := range q {
		if k != "tls" {
			return nil, fmt.Errorf("notify: SMTP URL %s: unknown parameter %q", u.Redacted(), k)
		}
	}
	opts := []gomail.Option{gomail.WithTimeout(smtpTimeout)}
	switch u.Scheme {
	case "smtp":
		if port == 0 {
			port = 587
		}
		switch tlsMode {
		case "":
			opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
		case "starttls":
			opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
		case "none":
			opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
		default:
			return nil, fmt.Errorf("notify: SMTP URL %s: tls must be starttls or none", u.Redacted())
		}
	case "smtps":
		if port == 0 {
			port = 465
		}
		if tlsMode != "" {
			return nil, fmt.Errorf("notify: SMTP URL %s: smtps always uses TLS; drop the tls parameter", u.Redacted())
		}
		opts = append(opts, gomail.WithSSL())
	default:
		return nil, fmt.Errorf("notify: SMTP URL %s: scheme must be smtp or smtps", u.Redacted())
	}
	opts = append(opts, gomail.WithPort(port))
	if u.User != nil && u.User.Username() != "" {
		pass, _ := u.User.Password()
		auth := gomail.SMTPAuthAutoDiscover
		if tlsMode == "none" {
			auth = gomail.SMTPAuthPlainNoEnc
		}
		opts = append(opts, gomail.WithSMTPAuth(auth), gomail.WithUsername(u.User.Username()), gomail.WithPassword(pass))
	}
	if from == "" {
		from = DefaultFrom
	}
	addr, err := mail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("notify: From address %q: %w", from, err)
	}
	// Check the options once, so a bad configuration fails at start rather than at each send.
	if _, err := gomail.NewClient(host, opts...); err != nil {
		return nil, fmt.Errorf("notify: SMTP URL %s: %w", u.Redacted(), err)
	}
	return &SMTPSender{host: host, opts: opts, from: addr}, nil
}

// Send delivers e as a multipart/alternative message (plain text, and HTML when there is one).
func (s *SMTPSender) Send(ctx context.Context, e Email) error {
	m := gomail.NewMsg()
	m.FromMailAddress(s.from)
	to, err := recipient(e.ToName, e.To)
	if err != nil {
		return fmt.Errorf("recipient %q: %w", e.To, err)
	}
	m.AddToMailAddress(to)
	m.Subject(e.Subject)
	m.SetDate()
	// A stable Message-ID lets mail systems recognise a message retried after a lost reply.
	m.SetMessageIDWithValue(fmt.Sprintf("outbox-%d.%d@%s", e.ID, e.CreatedAt.UnixMicro(), domainOf(s.from.Address)))
	m.SetGenHeader(gomail.Header("Auto-Submitted"), "auto-generated")
	m.SetBodyString(gomail.TypeTextPlain, e.Text)
	if e.HTML != "" {
		m.AddAlternativeString(gomail.TypeTextHTML, e.HTML)
	}
	for _, a := range e.Attachments {
		if err := m.AttachReader(a.Name, bytes.NewReader(a.Data), gomail.WithFileContentType(gomail.ContentType(a.ContentType))); err != nil {
			return fmt.Errorf("attachment %q: %w", a.Name, err)
		}
	}
	c, err := gomail.NewClient(s.host, s.opts...)
	if err != nil {
		return err
	}
	return c.DialAndSendWithContext(ctx, m)
}

// recipient is the To address of a message to addr for a person called name. The name is a
// display name only when it passes field.NameProblem and survives encoding: a name with a
// control character or a line separator (stored before names were checked) would break or
// inject header lines, so the message then goes to the bare address rather than failing for
// weeks. Quotes, angle brackets and non-ASCII names are quoted or encoded by net/mail.
func recipient(name, addr string) (*mail.Address, error) {
	a, err := mail.ParseAddress(addr)
	if err != nil || a.Address != addr {
		return nil, errors.New("not a bare email address")
	}
	if name == "" || field.NameProblem(name) != "" {
		return a, nil
	}
	named := &mail.Address{Name: name, Address: addr}
	back, err := mail.ParseAddress(named.String())
	if err != nil || back.Name != name || back.Address != addr {
		return a, nil
	}
	return named, nil
}

func domainOf(addr string) string {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 && i < len(addr)-1 {
		return addr[i+1:]
	}
	return "localhost"
}
