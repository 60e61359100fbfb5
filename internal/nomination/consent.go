package nomination

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"prizeportal/internal/i18n"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/application"
	"prizeportal/internal/audit"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/blocks/link"
	"prizeportal/internal/blocks/timefmt"
	"prizeportal/internal/db"
	"prizeportal/internal/edition"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
	"prizeportal/internal/notify/wording"
)

// MaxConsentNote is the longest message, in characters, the candidate may leave the nominator.
const MaxConsentNote = 2000

// ErrConsentNoteTooLong refuses a candidate's message longer than MaxConsentNote.
var ErrConsentNoteTooLong = fault.New(fault.Invalid, "Use at most 2,000 characters.")

// ConsentTarget is what a consent link opens: the nomination, its entry (the answers submitted
// in the candidate's name), its edition and category.
type ConsentTarget struct {
	Place
	Entry application.Application
}

// Consent opens the consent link token: the nomination it asks consent for. The errors of
// link.Open (link.ErrUnknown, link.ErrUsed, link.ErrExpired) when the link cannot be used. The
// link is the candidate's credential (DOMAIN.md "Leadership nominations": a nomination needs the
// candidate's permission); it works until the letter deadline and stays open after the answer,
// to show it.
func (s *Service) Consent(ctx context.Context, token string) (*ConsentTarget, error) {
	id, err := link.Open(ctx, s.Pool, LinkConsent, token, s.Now())
	if err != nil {
		return nil, err
	}
	return s.consentTarget(ctx, id)
}

func (s *Service) consentTarget(ctx context.Context, id int64) (*ConsentTarget, error) {
	n, err := ByID(ctx, s.Pool, id)
	if err != nil {
		return nil, err
	}
	a, err := application.LoadEntry(ctx, s.Pool, n.UserID, id)
	if err != nil {
		return nil, err
	}
	p, err := s.place(ctx, n)
	if err != nil {
		return nil, err
	}
	if p.Category.Form == nil {
		return nil, db.ErrNotFound
	}
	return &ConsentTarget{Place: *p, Entry: a}, nil
}

// Candidate is who the candidate says they are when they answer the request for consent: the
// facts the nominator declared, confirmed or corrected (DOMAIN.md "Leadership nominations": the
// candidate is the participant, so their name, organisation, position, city, country and email
// address are theirs to confirm).
type Candidate struct {
	Name, Email, Organisation, Position, City, Country string
}

// CandidateOf is the candidate as nomination n declares them.
func CandidateOf(n *Nomination) Candidate {
	return Candidate{Name: n.CandidateName, Email: n.CandidateEmail, Organisation: n.CandidateOrganisation,
		Position: n.CandidatePosition, City: n.CandidateCity, Country: n.CandidateCountry}
}

// with is d with the candidate's facts replaced by c, normalized.
func (c Candidate) with(d Details) Details {
	d.CandidateName, d.CandidateEmail, d.CandidateOrganisation = c.Name, c.Email, c.Organisation
	d.CandidatePosition, d.CandidateCity, d.CandidateCountry = c.Position, c.City, c.Country
	d.Normalize()
	return d
}

// AnswerConsent records the candidate's answer through the consent link token (given: consent,
// else decline) with their message to the nominator, audits it and emails the nominator, in one
// transaction, and returns the nomination as it now stands. Consenting confirms the candidate's
// facts as c gives them (corrected ones replace the nominator's; the audit entry lists which),
// checked as the nominator's are (field.Errors, named as the details form's fields); a decline
// ignores c. Only a pending request can be answered, once (DOMAIN.md "Leadership nominations":
// the candidate's permission): an answer given already, or a request withdrawn, is
// db.ErrConflict, returned with the nomination as it stands. The errors of link.Open when the
// link cannot be used; ErrConsentNoteTooLong.
func (s *Service) AnswerConsent(ctx context.Context, token string, given bool, c Candidate, note string) (*ConsentTarget, error) {
	if len([]rune(note)) > MaxConsentNote {
		return nil, ErrConsentNoteTooLong
	}
	now := s.Now()
	id, err := link.Open(ctx, s.Pool, LinkConsent, token, now)
	if err != nil {
		return nil, err
	}
	t, err := s.consentTarget(ctx, id)
	if err != nil {
		return nil, err
	}
	n := t.Nomination
	d := n.Details
	if given {
		d = c.with(n.Details)
		if errs := d.Validate(t.Rules()).Only("candidate_"); errs.Any() {
			return t, errs
		}
	}
	err = db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		if err := DecideConsent(ctx, tx, id, given, note, now); err != nil {
			return err
		}
		details := map[string]any{"given": given, "candidate": n.CandidateEmail}
		if corrected := correctedFields(CandidateOf(&n), CandidateOf(&Nomination{Details: d})); len(corrected) > 0 {
			if err := ConfirmCandidate(ctx, tx, id, d); err != nil {
				return err
			}
			details["corrected"] = corrected
		}
		if err := audit.Record(ctx, tx, audit.Entry{Action: "nomination.consent", ObjectType: "application",
			ObjectID: strconv.FormatInt(id, 10), Details: details}); err != nil {
			return err
		}
		_, err := s.Outbox.Queue(ctx, tx, s.consentAnswerEmail(t, given, note, now))
		return err
	})
	if err != nil && !errors.Is(err, db.ErrConflict) {
		return nil, err
	}
	t, terr := s.consentTarget(ctx, id)
	if terr != nil {
		return nil, terr
	}
	return t, err
}

// correctedFields names the facts that differ between was and now.
func correctedFields(was, now Candidate) []string {
	var out []string
	for _, f := range []struct{ name, a, b string }{{"name", was.Name, now.Name}, {"email", was.Email, now.Email},
		{"organisation", was.Organisation, now.Organisation}, {"position", was.Position, now.Position},
		{"city", was.City, now.City}, {"country", was.Country, now.Country}} {
		if f.a != f.b {
			out = append(out, f.name)
		}
	}
	return out
}

// consentAnswerEmail tells the nominator of t's nomination what the candidate answered.
func (s *Service) consentAnswerEmail(t *ConsentTarget, given bool, note string, now time.Time) notify.Message {
	n := t.Nomination
	decision := "declined"
	if given {
		decision = "consented to"
	}
	values := wording.Values{wording.Name: n.NominatorName, wording.CandidateName: n.CandidateName,
		wording.Decision: decision, wording.AnsweredAt: timefmt.Instant(now, t.Edition.TimeZone), wording.Link: s.Site.URL(Home(n.ApplicationID))}
	paras := []string{n.CandidateName + " has " + decision + " your nomination on " + values[wording.AnsweredAt] + "."}
	if note := strings.TrimSpace(note); note != "" {
		paras = append(paras, "Their message: "+note)
		values[wording.CandidateMessage] = paras[1] + "\n\n"
	}
	m := emails.ActionMessage("nomination-consent-answer", n.NominatorEmail, n.NominatorName,
		n.CandidateName+" has "+decision+" the nomination", n.UserID, emails.ActionEmail{
			Meta: s.Site.Meta(t.Edition), Title: "The candidate answered", Greeting: "Dear " + n.NominatorName + ",",
			Paragraphs: paras, ActionLabel: "Open the nomination", ActionURL: values[wording.Link],
		})
	// the values as the reader's language shows them (English: the texts above)
	values[wording.Decision] = i18n.M("declined")
	if given {
		values[wording.Decision] = i18n.M("consented to")
	}
	values[wording.AnsweredAt] = i18n.Instant(now, t.Edition.TimeZone)
	if note := strings.TrimSpace(note); note != "" {
		values[wording.CandidateMessage] = i18n.Msg("Their message: {{.Message}}\n\n", "Message", note)
	}
	m.Wording = s.Site.Wording(t.Edition, m.Kind, values)
	return m
}

// ConsentEmail asks the candidate of nomination n in category cat of ed for consent through the
// private link token.
func (s *Service) ConsentEmail(ed *edition.Edition, cat *edition.Category, n *Nomination, token string) notify.Message {
	values := wording.Values{wording.Name: n.CandidateName, wording.EditionName: ed.Name, wording.Nominator: NominatorLabel(n),
		wording.Category: cat.Name, wording.Link: s.Site.URL("/consent/" + token),
		wording.Deadline: timefmt.End(cat.Nominations.LetterDeadline, ed.TimeZone)}
	m := emails.ActionMessage("nomination-consent", n.CandidateEmail, n.CandidateName,
		"You have been nominated for the "+ed.Name+": your consent is needed", 0, emails.ActionEmail{
			Meta:     s.Site.Meta(ed),
			Title:    "Do you agree to be nominated?",
			Greeting: "Dear " + n.CandidateName + ",",
			Paragraphs: []string{
				values[wording.Nominator] + " would like to nominate you for the " + cat.Name + " prize of the " + ed.Name + ".",
				"A nomination can go ahead only with your permission. Follow the link to see what is submitted in your name, then consent or decline. You do not need an account.",
			},
			ActionLabel: "See the nomination and answer",
			ActionURL:   values[wording.Link],
			Note: "The link is personal: do not forward it. It works until " + values[wording.Deadline] +
				". If you do not know the nominator, you can decline or ignore this email.",
		})
	values[wording.Deadline] = i18n.End(cat.Nominations.LetterDeadline, ed.TimeZone) // in the reader's language
	m.Wording = s.Site.Wording(ed, m.Kind, values)
	return m
}

// ErrNotDeclined refuses to ask again a candidate who did not decline (or has consented since);
// it is returned wrapping db.ErrConflict.
var ErrNotDeclined = fault.New(fault.Conflict, "The candidate has not declined (or has consented since): there is nothing to ask again.")

// ErrConsentDeadline refuses to ask a candidate for consent after the letter deadline, when
// consent links stop working.
var ErrConsentDeadline = fault.New(fault.Conflict, "The deadline for consent and letters passed: the candidate can no longer be asked.")

// ReaskConsent asks the candidate of nomination id, who declined, for consent again on behalf
// of the secretariat member actor, with a new private link (earlier ones stop working), audited
// and emailed in one transaction; it returns the nomination. After a decline only the
// secretariat of the nomination's edition may ask again (DOMAIN.md "Leadership nominations":
// a nomination needs the candidate's permission; see ReaskConsent in the store), and only
// before the letter deadline (ErrConsentDeadline). Not counted against the nominator's email
// limits. db.ErrNotFound when actor may not see the nomination; ErrNotDeclined when the
// candidate did not decline.
func (s *Service) ReaskConsent(ctx context.Context, actor authz.Actor, id int64) (*Place, error) {
	p, err := s.ForSecretariat(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	if !now.Before(p.Rules().LetterDeadline) {
		return p, ErrConsentDeadline
	}
	n := p.Nomination
	err = db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		if err := ReaskConsent(ctx, tx, actor.UserID, id, now); errors.Is(err, db.ErrConflict) {
			return fault.Wrap(fault.Conflict, ErrNotDeclined.Message, err)
		} else if err != nil {
			return err
		}
		if err := link.Withdraw(ctx, tx, LinkConsent, id, now); err != nil {
			return err
		}
		token, err := link.New(ctx, tx, LinkConsent, id, p.Rules().LetterDeadline, now)
		if err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: "nomination.consent_reask",
			ObjectType: "application", ObjectID: strconv.FormatInt(id, 10),
			Details: map[string]any{"candidate": n.CandidateEmail}}); err != nil {
			return err
		}
		_, err = s.Outbox.Queue(ctx, tx, s.ConsentEmail(p.Edition, p.Category, &n, token))
		return err
	})
	return p, err
}
