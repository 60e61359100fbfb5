// Package notify is the portal's email: messages are queued in the email_outbox table inside the
// transaction of the change that causes them, together with a River job that carries the
// outbox id; a Worker (a River client) sends them and records the outcome on the row.
//
// An SMTP outage loses nothing: a failed send is retried with backoff (River's retry policy,
// up to MaxAttempts over about three weeks) and the row keeps its attempts and last error for the
// admin outbox page. A message is sent once even with several instances running: River hands a
// job to one worker, and the worker locks the row and skips it when it is already marked sent.
// When the worker marks a row sent (or gives it up), it redacts the token of every private link
// in the row's bodies (link.Redact): the recipient has the working link, the outbox keeps none.
// A message that announces an outcome waits for a step of its edition's schedule
// (Message.Announces) without a job; Outbox.Release queues its job once that step has come.
//
// Writing an email: build a Message with an HTML body (a templ component that wraps its content
// in web/emails.Layout) and its plain-text alternative, and call Outbox.Queue with the
// transaction of the change:
//
//	_, err := outbox.Queue(ctx, tx, notify.Message{
//		To: u.Email, ToName: u.Name, Kind: "verify-email", UserID: u.ID,
//		Subject: "Confirm your email address",
//		HTML:    emails.VerifyEmail(meta, link),
//		Text:    "...\n\n" + link,
//	})
package notify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"time"

	"github.com/a-h/templ"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/internal/notify/wording"
)

// Message is one email to one recipient. HTML is a templ component from web/emails; Text is the
// plain-text alternative.
type Message struct {
	To     string
	ToName string
	// Kind names the kind of message (e.g. "verify-email"), for the outbox page and tests.
	Kind    string
	Subject string
	HTML    templ.Component
	Text    string
	// UserID is the account the message is about, if any.
	UserID int64
	// Attachments are files sent with the message (a PDF copy of a submitted application).
	Attachments []Attachment
	// Wording lets an edition's managers reword the message (package wording): when it is set
	// and its edition overrides the email Kind, Queue sends the override instead of Subject, HTML
	// and Text.
	Wording *Wording
	// SendAfter schedules the message: it is not sent before this instant (the zero time means
	// at once). The message is in the outbox from the start, marked as scheduled.
	SendAfter time.Time
	// Announces ties a message that announces an outcome to the step of its edition's schedule
	// it announces (At); it then goes out when that step comes, as the edition says it at that
	// time (Outbox.Release), and SendAfter is ignored.
	Announces *Announcement
}

// Announcement is the milestone of an edition's schedule that a message announces. The message
// is sent once the milestone's instant, read from the edition when the outbox's release task
// runs, has come: moving the date forward or back moves the email with it, and it never goes
// before the public page or the status timeline that reveal the same outcome.
type Announcement struct {
	EditionID int64
	Milestone edition.Announcement
	// Now is the caller's clock when it queues the message: when the milestone has come by then,
	// the message is released at once.
	Now time.Time
}

// At ties a message to milestone m of edition editionID, queued at now (Message.Announces).
func At(editionID int64, m edition.Announcement, now time.Time) *Announcement {
	return &Announcement{EditionID: editionID, Milestone: m, Now: now}
}

// Wording is what Queue needs to send a message in its edition's own wording: the edition, the
// values of the email's placeholders, and how a filled subject and body become the HTML and
// plain-text parts (emails.Site.Wording).
type Wording struct {
	// Key is the email's key in the registry (wording.Lookup): the message's Kind, or a variant
	// of it (an eligible and an ineligible screening outcome are two emails of one kind).
	Key       string
	EditionID int64
	Values    wording.Values
	// Render makes the parts in a language (the footer's fixed words).
	Render func(lang, subject, body string) (html templ.Component, text string)
}

// Language is the language a message to m's recipient is written in (DOMAIN.md: emails go in
// the recipient's language): the account's chosen language, else the one its pages were last
// shown in, found by m.UserID or else by the address; English for an address without an account.
func (m *Message) Language(ctx context.Context, tx pgx.Tx) (string, error) {
	var lang string
	err := tx.QueryRow(ctx, `
		SELECT coalesce(language, language_seen, 'en') FROM users
		WHERE ($1::bigint <> 0 AND id = $1) OR ($1::bigint = 0 AND lower(email) = lower($2))
		ORDER BY id LIMIT 1`, m.UserID, m.To).Scan(&lang)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return "en", nil
	case err != nil:
		return "", fmt.Errorf("notify: language of %s: %w", m.Kind, err)
	case !i18n.Supported(lang):
		return "en", nil
	}
	return lang, nil
}

// reword writes m in lang: its edition's override of the email in lang when there is one, else
// the email's default wording in lang (a message without Wording is written by its caller, in
// catalog keys that lang translates, or, for an email of the registry, in English); a message whose email lang does not word (no override, no
// translated default) keeps lang only when it is English, and otherwise goes in its edition's
// English override or its English default. It returns the language m is written in.
func (m *Message) reword(ctx context.Context, tx pgx.Tx, lang string) (string, error) {
	if m.Wording == nil {
		if _, registered := wording.Lookup(m.Kind); registered {
			// an email of the registry without its values (about no edition): its words are
			// the code's English ones
			return "en", nil
		}
		return lang, nil
	}
	e, known := wording.Lookup(m.Wording.Key)
	try := []string{lang}
	if lang != "en" {
		try = append(try, "en")
	}
	for _, l := range try {
		if m.Wording.EditionID != 0 {
			subject, body, ok, err := wording.Override(ctx, tx, m.Wording.EditionID, l, m.Wording.Key)
			if err != nil {
				return "", err
			}
			if ok {
				m.fill(l, subject, body)
				return l, nil
			}
		}
		if l == "en" {
			// the message as its code builds it: the English default
			return l, nil
		}
		if subject, body, ok := e.Default(l); known && ok {
			m.fill(l, subject, body)
			return l, nil
		}
	}
	return "en", nil
}

// fill makes subject and body, filled with the message's values shown in lang, its parts.
func (m *Message) fill(lang, subject, body string) {
	loc := i18n.For(lang)
	values := make(wording.Values, len(m.Wording.Values))
	for k, v := range m.Wording.Values {
		values[k] = loc.T(v)
	}
	m.Subject = wording.FillLine(subject, values)
	m.HTML, m.Text = m.Wording.Render(lang, m.Subject, wording.Fill(body, values))
}

// Attachment is a file attached to an email. It is stored in the outbox with the message, so
// keep attachments small.
type Attachment struct {
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Data        []byte `json:"data"`
}

// QueueName is the River queue of outbox emails.
const QueueName = "email"

// MaxAttempts is how many times a message is tried before it is given up. With River's default
// backoff (attempt⁴ seconds) 25 attempts span about three weeks.
const MaxAttempts = 25

// sendArgs is the River job that sends one outbox row.
type sendArgs struct {
	OutboxID int64 `json:"outbox_id"`
}

// Kind is the River job kind.
func (sendArgs) Kind() string { return "email.send" }

// InsertOpts puts the job in the email queue with the outbox's attempt limit.
func (sendArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueName, MaxAttempts: MaxAttempts}
}

// Outbox queues messages. Any number of Outboxes may queue on one database; a Worker sends.
type Outbox struct {
	pool  *pgxpool.Pool
	river *river.Client[pgx.Tx] // insert-only
}

// NewOutbox returns the outbox on pool. It only queues: start a Worker (NewWorker) to send.
func NewOutbox(pool *pgxpool.Pool) *Outbox {
	c, err := river.NewClient(riverpgxv5.New(pool), &river.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		// An insert-only client with this fixed configuration cannot be invalid.
		panic(fmt.Sprintf("notify: river client: %v", err))
	}
	return &Outbox{pool: pool, river: c}
}

// Queue renders m and writes it to the outbox in tx, with the job that sends it, so the email
// exists (and is sent) if and only if the change that causes it commits. It returns the outbox id.
func (o *Outbox) Queue(ctx context.Context, tx pgx.Tx, m Message) (int64, error) {
	if a, err := mail.ParseAddress(m.To); err != nil || a.Address != m.To {
		return 0, fmt.Errorf("notify: queue %s: recipient %q is not a bare email address", m.Kind, m.To)
	}
	lang, err := m.Language(ctx, tx)
	if err != nil {
		return 0, err
	}
	if lang, err = m.reword(ctx, tx, lang); err != nil {
		return 0, fmt.Errorf("notify: queue %s: %w", m.Kind, err)
	}
	// The parts are rendered in the message's language: the subject may be a catalog key
	// (i18n.M or i18n.Msg), the HTML component's fixed texts go through the catalogs.
	loc := i18n.For(lang)
	ctx = i18n.With(ctx, loc)
	m.Subject = loc.T(m.Subject)
	var html bytes.Buffer
	if m.HTML != nil {
		if err := m.HTML.Render(ctx, &html); err != nil {
			return 0, fmt.Errorf("notify: render %s: %w", m.Kind, err)
		}
	}
	var userID *int64
	if m.UserID != 0 {
		userID = &m.UserID
	}
	attachments := m.Attachments
	if attachments == nil {
		attachments = []Attachment{}
	}
	var (
		id        int64
		after     *time.Time
		opts      *river.InsertOpts
		editionID *int64
		milestone *edition.Announcement
		now       time.Time
	)
	switch a := m.Announces; {
	case a != nil:
		editionID, milestone, now = &a.EditionID, &a.Milestone, a.Now
	case !m.SendAfter.IsZero():
		after = &m.SendAfter
		opts = &river.InsertOpts{ScheduledAt: m.SendAfter}
	}
	// A message tied to a milestone is released (its job queued) only once the milestone has come.
	released := true
	err = tx.QueryRow(ctx, `
		INSERT INTO email_outbox (to_address, to_name, subject, html_body, text_body, kind, user_id, attachments, send_after,
			edition_id, milestone, released_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11,
			(SELECT $12::timestamptz FROM editions e CROSS JOIN (SELECT $11::text AS milestone) x
			 WHERE e.id = $10 AND `+edition.MilestoneAtSQL("x", "e")+` <= $12))
		RETURNING id, milestone IS NULL OR released_at IS NOT NULL`,
		m.To, m.ToName, m.Subject, html.String(), m.Text, m.Kind, userID, attachments, after,
		editionID, milestone, now).Scan(&id, &released)
	if err != nil {
		return 0, fmt.Errorf("notify: queue %s: %w", m.Kind, err)
	}
	if !released {
		return id, nil
	}
	if _, err := o.river.InsertTx(ctx, tx, sendArgs{OutboxID: id}, opts); err != nil {
		return 0, fmt.Errorf("notify: queue %s: job: %w", m.Kind, err)
	}
	return id, nil
}
