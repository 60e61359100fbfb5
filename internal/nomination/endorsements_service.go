package nomination

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/application"
	"prizeportal/internal/audit"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/blocks/link"
	"prizeportal/internal/blocks/throttle"
	"prizeportal/internal/blocks/timefmt"
	"prizeportal/internal/db"
	"prizeportal/internal/i18n"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
	"prizeportal/internal/notify/wording"
)

// Citizen endorsements (DOMAIN.md "Leadership nominations": more than 30 citizens' signatures
// may replace the letter of recommendation). The nominator opens a public endorsement page; a
// citizen signs it without an account and confirms through an emailed link; only confirmed,
// distinct email addresses count. Endorsements are accepted until the letter deadline and while
// the nomination is not withdrawn.

var (
	// EndorseIP limits signatures per client address, so a bot cannot flood the page (or the
	// mailboxes of the addresses it types).
	EndorseIP = throttle.Policy{Kind: "endorse-ip", Window: time.Hour, Max: 20}
	// EndorseAddress limits the emails one address receives from one nomination's page. Past it
	// the page looks the same but nothing is sent, so it reveals nothing about the address.
	EndorseAddress = throttle.Policy{Kind: "endorse-address", Window: 24 * time.Hour, Max: 3}
)

// EndorseLinkTTL is how long a confirmation link works at most (the letter deadline may end it
// sooner).
const EndorseLinkTTL = 7 * 24 * time.Hour

// ErrEndorsementsClosed is what an *EndorsementsClosedError is (errors.Is).
var ErrEndorsementsClosed = fault.New(fault.Conflict, "Endorsements for this nomination are closed.")

// EndorsementsClosedError refuses an endorsement, or the opening of the endorsement page, once
// endorsements are closed: Reason says why, in words for the visitor; Place is the nomination.
type EndorsementsClosedError struct {
	Place  *Place
	Reason string
}

func (e *EndorsementsClosedError) Error() string {
	return "nomination: endorsements closed: " + e.Reason
}
func (e *EndorsementsClosedError) Unwrap() error { return ErrEndorsementsClosed }

// ErrInvalid is what an *InvalidError is (errors.Is).
var ErrInvalid = fault.New(fault.Invalid, "Check what you entered: some of it cannot be accepted.")

// InvalidError refuses input that breaks a rule; Fields say which, by the form's field names.
type InvalidError struct{ Fields field.Errors }

func (e *InvalidError) Error() string { return "nomination: invalid input" }
func (e *InvalidError) Unwrap() error { return ErrInvalid }

// EndorsementsClosed says why the nomination of p no longer accepts endorsements at now, or "":
// it was withdrawn or merged, or the letter deadline passed.
func (p *Place) EndorsementsClosed(now time.Time) string {
	switch {
	case p.Nomination.Status == application.Withdrawn:
		return i18n.M("This nomination was withdrawn: it no longer accepts endorsements.")
	case p.Nomination.Status == application.Merged:
		return i18n.M("This nomination was merged into another nomination of the same candidate: it no longer accepts endorsements here.")
	case !now.Before(p.Rules().LetterDeadline):
		return i18n.Msg("Endorsements were accepted until {{.When}}. That deadline has passed.", "When", i18n.End(p.Rules().LetterDeadline, p.Edition.TimeZone))
	}
	return ""
}

// Candidate names the candidate of p with their position and organisation.
func (p *Place) Candidate() string {
	n := &p.Nomination
	return n.CandidateName + " (" + n.CandidatePosition + ", " + n.CandidateOrganisation + ")"
}

// EndorseHref is the path of the public endorsement page of code.
func EndorseHref(code string) string { return "/endorse/" + code }

// NominatorEndorsements is a nomination with the counts of its endorsements, as its nominator
// sees them (counts only, never who endorsed).
type NominatorEndorsements struct {
	*Place
	Counts EndorsementCounts
}

// Endorsements loads actor's nomination id with its endorsement counts (owner filter:
// db.ErrNotFound for anyone else's).
func (s *Service) Endorsements(ctx context.Context, actor authz.Actor, id int64) (*NominatorEndorsements, error) {
	p, err := s.owned(ctx, actor.UserID, id)
	if err != nil {
		return nil, err
	}
	counts, err := CountEndorsements(ctx, s.Pool, actor.UserID, id, s.Now())
	if err != nil {
		return nil, err
	}
	return &NominatorEndorsements{Place: p, Counts: counts}, nil
}

// OpenEndorsementPage opens the public endorsement page of actor's nomination id by giving it
// its code, audited in the same transaction. Only the nominator (owner filter), and not once
// endorsements are closed (*EndorsementsClosedError), unless the page is open already.
func (s *Service) OpenEndorsementPage(ctx context.Context, actor authz.Actor, id int64) error {
	p, err := s.owned(ctx, actor.UserID, id)
	if err != nil {
		return err
	}
	if why := p.EndorsementsClosed(s.Now()); why != "" && p.Nomination.EndorsementCode == "" {
		return &EndorsementsClosedError{Place: p, Reason: why}
	}
	return db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		if _, err := OpenEndorsements(ctx, tx, actor.UserID, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: "nomination.endorsements_open",
			ObjectType: "application", ObjectID: strconv.FormatInt(id, 10)})
	})
}

// EndorsementPage is the nomination of the public endorsement page code (db.ErrNotFound for an
// unknown code). It may be closed (Place.EndorsementsClosed).
func (s *Service) EndorsementPage(ctx context.Context, code string) (*Place, error) {
	n, err := ByEndorsementCode(ctx, s.Pool, code)
	if err != nil {
		return nil, err
	}
	return s.place(ctx, n)
}

// Signable is the nomination of the public endorsement page code while it takes endorsements
// (db.ErrNotFound for an unknown code; *EndorsementsClosedError once withdrawn or past the
// letter deadline, DOMAIN.md "Leadership nominations").
func (s *Service) Signable(ctx context.Context, code string) (*Place, error) {
	p, err := s.EndorsementPage(ctx, code)
	if err != nil {
		return nil, err
	}
	if why := p.EndorsementsClosed(s.Now()); why != "" {
		return nil, &EndorsementsClosedError{Place: p, Reason: why}
	}
	return p, nil
}

// Endorse stores a citizen's unconfirmed endorsement sig on the public page code and emails the
// confirmation link, audited, in one transaction; it returns the nomination. An address that
// already endorsed the candidate (confirmed) gets an email saying so instead, and an address
// emailed too often from this page (EndorseAddress) gets nothing: the outcome looks the same
// either way, so it reveals nothing about who endorsed. The rules: endorsements open
// (*EndorsementsClosedError); at most EndorseIP signatures per client address (the request's,
// audit.WithIP), checked and counted in one step (*throttle.LimitError with the wait); the
// signature valid (*InvalidError).
func (s *Service) Endorse(ctx context.Context, code string, sig Signature) (*Place, error) {
	p, err := s.EndorsementPage(ctx, code)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	if why := p.EndorsementsClosed(now); why != "" {
		return p, &EndorsementsClosedError{Place: p, Reason: why}
	}
	ip := audit.IPFrom(ctx)
	if wait, err := throttle.Check(ctx, s.Pool, EndorseIP, ip, now); err != nil {
		return p, err
	} else if wait > 0 {
		return p, &throttle.LimitError{Limit: throttle.Limit{Policy: EndorseIP, Key: ip}, Wait: wait}
	}
	sig.Normalize()
	if errs := sig.Validate(); errs.Any() {
		return p, &InvalidError{Fields: errs}
	}
	id := p.Nomination.ApplicationID
	addrKey := strconv.FormatInt(id, 10) + ":" + NormEmail(sig.Email)
	return p, db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		// Checked and counted in one step, so parallel signatures cannot share the allowance.
		if err := throttle.TakeAll(ctx, tx, now, throttle.Limit{Policy: EndorseIP, Key: ip}); err != nil {
			return err
		}
		var limited *throttle.LimitError
		if err := throttle.TakeAll(ctx, tx, now, throttle.Limit{Policy: EndorseAddress, Key: addrKey}); errors.As(err, &limited) {
			return nil // enough emails to this address for now: send nothing, show the same page
		} else if err != nil {
			return err
		}
		eid, err := AddEndorsement(ctx, tx, id, sig, now)
		if errors.Is(err, ErrAlreadyEndorsed) {
			_, err := s.Outbox.Queue(ctx, tx, s.alreadyEndorsedEmail(p, sig))
			return err
		}
		if err != nil {
			return err
		}
		expires := now.Add(EndorseLinkTTL)
		if deadline := p.Rules().LetterDeadline; deadline.Before(expires) {
			expires = deadline
		}
		token, err := link.New(ctx, tx, LinkEndorse, eid, expires, now)
		if err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Entry{Action: "nomination.endorse", ObjectType: "endorsement",
			ObjectID: strconv.FormatInt(eid, 10), Details: map[string]any{"nomination": id}}); err != nil {
			return err
		}
		_, err = s.Outbox.Queue(ctx, tx, s.endorseConfirmEmail(p, sig, token, expires))
		return err
	})
}

func (s *Service) endorseConfirmEmail(p *Place, sig Signature, token string, expires time.Time) notify.Message {
	values := endorsementValues(p, sig)
	values[wording.EditionName], values[wording.Category] = p.Edition.Name, p.Category.Name
	values[wording.Link] = s.Site.URL("/endorse/confirm/" + token)
	values[wording.Expires] = i18n.Deadline(expires, p.Edition.TimeZone) // in the reader's language
	m := emails.ActionMessage("endorsement-confirm", sig.Email, sig.Name,
		"Confirm your endorsement of "+p.Nomination.CandidateName, 0, emails.ActionEmail{
			Meta:     s.Site.Meta(p.Edition),
			Title:    "Confirm your endorsement",
			Greeting: "Dear " + sig.Name + ",",
			Paragraphs: []string{
				"You endorsed " + p.Candidate() + " for the " + p.Category.Name + " prize of the " + p.Edition.Name + ".",
				"Your endorsement counts only once you confirm it with the button below.",
			},
			ActionLabel: "Confirm my endorsement",
			ActionURL:   values[wording.Link],
			Note: "The link works once, until " + timefmt.Deadline(expires, p.Edition.TimeZone) +
				". If you did not endorse anyone, ignore this email: nothing counts without your confirmation.",
		})
	m.Wording = s.Site.Wording(p.Edition, m.Kind, values)
	return m
}

func (s *Service) alreadyEndorsedEmail(p *Place, sig Signature) notify.Message {
	values := endorsementValues(p, sig)
	values[wording.Link] = s.Site.URL(EndorseHref(p.Nomination.EndorsementCode))
	m := emails.ActionMessage("endorsement-already", sig.Email, sig.Name,
		"You have already endorsed "+p.Nomination.CandidateName, 0, emails.ActionEmail{
			Meta:     s.Site.Meta(p.Edition),
			Title:    "You have already endorsed this candidate",
			Greeting: "Dear " + sig.Name + ",",
			Paragraphs: []string{
				"Someone, probably you, endorsed " + p.Candidate() + " again with this email address.",
				"Your earlier endorsement is confirmed and counts. Each email address counts once, so there is nothing more to do.",
			},
			ActionLabel: "See the endorsement page",
			ActionURL:   values[wording.Link],
			Note:        "If you did not endorse anyone, ignore this email.",
		})
	m.Wording = s.Site.Wording(p.Edition, m.Kind, values)
	return m
}

// endorsementValues are the placeholders the emails to the signer sig of an endorsement of p share.
func endorsementValues(p *Place, sig Signature) wording.Values {
	return wording.Values{wording.Name: sig.Name, wording.CandidateName: p.Nomination.CandidateName, wording.Candidate: p.Candidate()}
}

// EndorsementToConfirm is what a confirmation link opens: the endorsement and its nomination.
type EndorsementToConfirm struct {
	Place
	Endorsement Endorsement
}

// EndorsementByToken opens the confirmation link token: the endorsement to confirm. The errors
// of link.Open when the link cannot be used; *EndorsementsClosedError once endorsements are
// closed. Nothing changes (mail scanners open links).
func (s *Service) EndorsementByToken(ctx context.Context, token string) (*EndorsementToConfirm, error) {
	now := s.Now()
	eid, err := link.Open(ctx, s.Pool, LinkEndorse, token, now)
	if err != nil {
		return nil, err
	}
	e, err := EndorsementByID(ctx, s.Pool, eid)
	if err != nil {
		return nil, err
	}
	n, err := ByID(ctx, s.Pool, e.ApplicationID)
	if err != nil {
		return nil, err
	}
	p, err := s.place(ctx, n)
	if err != nil {
		return nil, err
	}
	if why := p.EndorsementsClosed(now); why != "" {
		return nil, &EndorsementsClosedError{Place: p, Reason: why}
	}
	return &EndorsementToConfirm{Place: *p, Endorsement: e}, nil
}

// ConfirmEndorsement confirms the endorsement of the confirmation link token and uses up the
// link, audited, in one transaction; it returns the endorsement, and already when its address
// had been confirmed meanwhile through another link (it counts once: DOMAIN.md "Leadership
// nominations", signatures from distinct citizens). The errors of EndorsementByToken, and of
// link.Use when the link was used meanwhile.
func (s *Service) ConfirmEndorsement(ctx context.Context, token string) (t *EndorsementToConfirm, already bool, err error) {
	t, err = s.EndorsementByToken(ctx, token)
	if err != nil {
		return nil, false, err
	}
	now := s.Now()
	e := t.Endorsement
	err = db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		if _, err := link.Use(ctx, tx, LinkEndorse, token, now); err != nil {
			return err
		}
		err := ConfirmEndorsement(ctx, tx, e.ID, now)
		if errors.Is(err, ErrAlreadyEndorsed) {
			already = true
			return nil
		}
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "nomination.endorse_confirm", ObjectType: "endorsement",
			ObjectID: strconv.FormatInt(e.ID, 10), Details: map[string]any{"nomination": e.ApplicationID}})
	})
	if err != nil {
		return nil, false, err
	}
	return t, already, nil
}

// StaffEndorsements is a nomination with one page of its endorsements, as the secretariat
// reads them.
type StaffEndorsements struct {
	*Place
	EndorsementList
}

// SecretariatEndorsements is nomination id with one page of its endorsements (and their
// totals and suspicious patterns), for the secretariat member actor: db.ErrNotFound when the store's
// SQL filter hides it, authz.ErrForbidden unless actor serves the nomination's edition.
func (s *Service) SecretariatEndorsements(ctx context.Context, actor authz.Actor, id int64, page int) (*StaffEndorsements, error) {
	p, err := s.staffPlace(ctx, actor, id, authz.ErrForbidden)
	if err != nil {
		return nil, err
	}
	list, err := ListEndorsements(ctx, s.Pool, actor.UserID, id, page, s.Now())
	if err != nil {
		return nil, err
	}
	return &StaffEndorsements{Place: p, EndorsementList: list}, nil
}
