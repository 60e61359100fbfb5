package screening

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/audit"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/blocks/timefmt"
	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/db"
	"prizeportal/internal/edition"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
	"prizeportal/internal/notify/wording"
)

// Service holds the secretariat's use cases of round 1 (DOMAIN.md "Round 1: screening by the
// secretariat"): deciding an entry, deciding many at once, second opinions and closing the
// round. Each method opens its transaction, checks the rule it documents, writes the audit
// entry and queues the emails. The object rule (the secretariat of the entry's edition,
// authz.CanManageApplications) is checked here and repeated in every query's SQL.
type Service struct {
	usecase.Deps // the outbox and site for the outcome emails
}

var (
	// ErrNoOutcome means a second opinion was sent without saying agree or disagree.
	ErrNoOutcome = fault.New(fault.Invalid, "Choose whether you agree or disagree.")
	// ErrNoReview means there is no second opinion to give: none was asked, it was given
	// already, or the member asking for it tries to give it.
	ErrNoReview = fault.Wrap(fault.Conflict, "There is no second opinion to give here: none was asked, it was given already, or you asked for it yourself.", db.ErrConflict)
)

// MaxText bounds the secretariat's texts on a decision (notes, revision reason, review note).
const MaxText = 2000

// entryIn loads entry id for actor in tx with its category in ed: db.ErrNotFound unless the
// actor is of the secretariat of the entry's edition (authz, and SQL in Get) and the entry is of ed.
func entryIn(ctx context.Context, tx pgx.Tx, actor authz.Actor, ed *edition.Edition, id int64) (Entry, *edition.Category, error) {
	e, err := Get(ctx, tx, actor.UserID, id)
	if err != nil {
		return Entry{}, nil, err
	}
	if !authz.CanManageApplications(actor, e.EditionID) || e.EditionID != ed.ID {
		return Entry{}, nil, db.ErrNotFound
	}
	if cat, ok := ed.CategoryByID(e.CategoryID); ok {
		return e, cat, nil
	}
	return Entry{}, nil, db.ErrNotFound
}

// validReason checks the reason of an ineligible decision: one of the category's reasons, and
// "another reason" explained in text (DOMAIN.md "Round 1": ineligible, with a reason).
func validReason(errs *field.Errors, cat *edition.Category, reason, text, missing string) {
	if ReasonLabel(cat, reason) == "" {
		errs.Add("reason", missing)
	} else if reason == ReasonOther && strings.TrimSpace(text) == "" {
		errs.Add("reason_text", "Explain the other reason.")
	}
}

// Decide stores actor's decision on entry id of ed, with its audit entry. The rules (DOMAIN.md
// "Round 1": eligible or ineligible, with a reason): an ineligible entry needs one of the
// category's reasons, "another reason" an explanation; changing a final decision needs the
// reason for the change (deciding after a clarification does not); the texts are bounded. A
// broken rule is a field.Errors; ErrRoundClosed once the round is closed; db.ErrNotFound unless
// the actor screens the entry.
func (s *Service) Decide(ctx context.Context, actor authz.Actor, ed *edition.Edition, id int64, in Input) error {
	return db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		e, cat, err := entryIn(ctx, tx, actor, ed, id)
		if err != nil {
			return err
		}
		rec, err := DecisionOf(ctx, tx, e.ID)
		hasDecision := err == nil
		if err != nil && !errors.Is(err, db.ErrNotFound) {
			return err
		}
		var errs field.Errors
		switch in.Decision {
		case Eligible, Clarification:
			in.ReasonKey = ""
		case Ineligible:
			validReason(&errs, cat, in.ReasonKey, in.ReasonText, "Choose the reason why the entry is ineligible.")
		default:
			errs.Add("decision", "Choose a decision.")
		}
		changed := hasDecision && rec.Decision.Final() && (rec.Decision != in.Decision || rec.ReasonKey != in.ReasonKey)
		if changed && strings.TrimSpace(in.RevisionReason) == "" {
			errs.Add("revision_reason", "Say why the decision changes: it was "+strings.ToLower(rec.Decision.Label())+".")
		}
		for _, t := range []struct{ name, text string }{{"reason_text", in.ReasonText}, {"revision_reason", in.RevisionReason}, {"review_note", in.ReviewNote}} {
			if len([]rune(t.text)) > MaxText {
				errs.Add(t.name, "Use at most 2,000 characters.")
			}
		}
		if errs.Any() {
			return errs
		}
		if err := Decide(ctx, tx, actor.UserID, e, ed.ID, in, s.Now()); err != nil {
			return err
		}
		details := map[string]any{"decision": string(in.Decision), "reason": in.ReasonKey, "checklist": in.Checklist}
		if changed {
			details["revision_reason"] = strings.TrimSpace(in.RevisionReason)
			details["previous"] = string(rec.Decision)
		}
		if in.AskReview {
			details["second_opinion_asked"] = true
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: "screening.decide", ObjectType: "application",
			ObjectID: strconv.FormatInt(e.ID, 10), Details: details})
	})
}

// Bulk is a decision on many entries of one category at once: Action is "eligible",
// "ineligible" (with Reason, and Text for "another reason") or "review" (ask for a second opinion).
type Bulk struct {
	IDs    []int64
	Action string
	Reason string
	Text   string
}

// Decided is what a bulk decision did: Done entries changed, Skipped left as they were.
type Decided struct {
	Done, Skipped int
}

// DecideMany applies b to the selected entries of category cat of ed, each with its audit
// entry, in one transaction. Rules: at least one entry and at most a queue page (PerPage); a
// decision never replaces a final one (a change of decision needs its own reason, on the
// entry's page, see Decide), and only a decided entry can get a second opinion: such entries,
// and those not of cat or not the actor's to screen, are skipped. An ineligible decision needs
// a reason as in Decide. A broken rule is a field.Errors; ErrRoundClosed once the round is closed.
func (s *Service) DecideMany(ctx context.Context, actor authz.Actor, ed *edition.Edition, cat *edition.Category, b Bulk) (Decided, error) {
	var errs field.Errors
	switch {
	case len(b.IDs) == 0:
		errs.Add("ids", "Select at least one entry.")
	case len(b.IDs) > PerPage:
		errs.Add("ids", "Select at most "+strconv.Itoa(PerPage)+" entries at once.")
	}
	switch b.Action {
	case "eligible", "review":
	case "ineligible":
		validReason(&errs, cat, b.Reason, b.Text, "Choose the reason why the selected entries are ineligible.")
	default:
		errs.Add("action", "Choose what to do with the selected entries.")
	}
	if errs.Any() {
		return Decided{}, errs
	}
	now := s.Now()
	var out Decided
	err := db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		out = Decided{}
		for _, id := range b.IDs {
			e, c, err := entryIn(ctx, tx, actor, ed, id)
			if errors.Is(err, db.ErrNotFound) || (err == nil && c.ID != cat.ID) {
				out.Skipped++
				continue
			}
			if err != nil {
				return err
			}
			details := map[string]any{"bulk": true}
			action := "screening.decide"
			if b.Action == "review" {
				if e.Decision == Undecided {
					out.Skipped++
					continue
				}
				if err := AskReview(ctx, tx, actor.UserID, id, "", now); err != nil {
					return err
				}
				action = "screening.review_ask"
			} else {
				if e.Decision.Final() {
					out.Skipped++
					continue
				}
				in := Input{Decision: Decision(b.Action), ReasonKey: b.Reason, ReasonText: b.Text}
				if prev, err := DecisionOf(ctx, tx, id); err == nil {
					in.Checklist = prev.Checklist
				} else if !errors.Is(err, db.ErrNotFound) {
					return err
				}
				if err := Decide(ctx, tx, actor.UserID, e, ed.ID, in, now); err != nil {
					return err
				}
				details["decision"], details["reason"] = b.Action, in.ReasonKey
			}
			if err := audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: action, ObjectType: "application",
				ObjectID: strconv.FormatInt(id, 10), Details: details}); err != nil {
				return err
			}
			out.Done++
		}
		return nil
	})
	return out, err
}

// GiveReview records actor's second opinion on the decision on entry id of ed, outcome "agree"
// or "disagree" with a note, with its audit entry. Rules: decisions and their reviews no longer
// change once the round is closed (ErrRoundClosed); the outcome is required (ErrNoOutcome); a
// second opinion is given once, when asked, by another member than the one who asked
// (ErrNoReview).
func (s *Service) GiveReview(ctx context.Context, actor authz.Actor, ed *edition.Edition, id int64, outcome, note string) error {
	return db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		e, _, err := entryIn(ctx, tx, actor, ed, id)
		if err != nil {
			return err
		}
		if closed, err := Closed(ctx, tx, ed.ID); err != nil {
			return err
		} else if closed {
			return ErrRoundClosed
		}
		if outcome != "agree" && outcome != "disagree" {
			return ErrNoOutcome
		}
		if err := Review(ctx, tx, actor.UserID, e.ID, outcome == "agree", note, s.Now()); errors.Is(err, db.ErrConflict) {
			return ErrNoReview
		} else if err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: "screening.review", ObjectType: "application",
			ObjectID: strconv.FormatInt(e.ID, 10), Details: map[string]any{"outcome": outcome, "note": strings.TrimSpace(note)}})
	})
}

// CloseRound closes round 1 of ed for actor, with its audit entry, and queues every
// applicant's outcome email for the date the schedule announces it (OutcomeDate). Rules
// (DOMAIN.md "Round 1", "Schedule"): the round closes only when every entry has a final
// decision (ErrUndecided), once (ErrRoundClosed). It returns the number of entries notified.
func (s *Service) CloseRound(ctx context.Context, actor authz.Actor, ed *edition.Edition) (int, error) {
	if !authz.CanManageApplications(actor, ed.ID) {
		return 0, authz.ErrForbidden
	}
	now := s.Now()
	var n int
	err := db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		entries, err := Close(ctx, tx, actor.UserID, ed.ID, now)
		if err != nil {
			return err
		}
		eligible := 0
		for _, e := range entries {
			if e.Decision == Eligible {
				eligible++
			}
			for _, to := range e.Addressees() {
				if _, err := s.Outbox.Queue(ctx, tx, s.outcomeEmail(ed, to, now)); err != nil {
					return err
				}
			}
		}
		n = len(entries)
		return audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: "screening.close", ObjectType: "edition",
			ObjectID: strconv.FormatInt(ed.ID, 10),
			Details:  map[string]any{"entries": len(entries), "eligible": eligible, "emails_after": OutcomeDate(ed, now)}})
	})
	if err != nil {
		return 0, fmt.Errorf("screening: close round: %w", err)
	}
	return n, nil
}

// OutcomeDate is when applicants learn the screening outcome: the end of the screening window
// (the applicant's status timeline reveals it then), or now (the zero time) when that has passed.
func OutcomeDate(ed *edition.Edition, now time.Time) time.Time {
	if at := ed.Schedule.Screening.End; now.Before(at) {
		return at
	}
	return time.Time{}
}

// ClosedAt is when round 1 of the edition was closed; nil while it is open.
func ClosedAt(ctx context.Context, q db.DBTX, editionID int64) (*time.Time, error) {
	var at *time.Time
	err := q.QueryRow(ctx, `SELECT closed_at FROM screening_rounds WHERE edition_id = $1`, editionID).Scan(&at)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("screening: closed at: %w", err)
	}
	return at, nil
}

// outcomeEmail tells the applicant of e the outcome of round 1, scheduled for its announcement.
// An ineligible entry's email gives the reason from the list, never the secretariat's notes.
func (s *Service) outcomeEmail(ed *edition.Edition, e Entry, now time.Time) notify.Message {
	cat, _ := ed.CategoryByID(e.CategoryID)
	what := "your application"
	home := "/application/status"
	if e.Kind == "nomination" {
		what = "your nomination (" + strings.TrimPrefix(e.Title, "Nomination of ") + ")"
		home = "/nominations/" + strconv.FormatInt(e.ID, 10)
		if e.UserID == 0 { // the candidate, who has no account here
			home = "/editions/" + ed.Slug
		}
	}
	v := emails.ActionEmail{Meta: s.Site.Meta(ed), Greeting: "Dear " + e.Applicant + ",", ActionLabel: "See the status",
		ActionURL: s.Site.URL(home)}
	values := wording.Values{wording.ApplicantName: e.Applicant, wording.EditionName: ed.Name, wording.Entry: what,
		wording.Category: cat.Name, wording.Link: v.ActionURL}
	subject, key := "", "screening-eligible"
	if e.Decision == Eligible {
		values[wording.ScoringWindow] = timefmt.Window(ed.Schedule.Scoring.Start, ed.Schedule.Scoring.End, ed.TimeZone)
		values[wording.AnnouncedOn] = timefmt.Instant(ed.Schedule.SemiFinalistsAnnounced, ed.TimeZone)
		v.Title = "Your entry is eligible"
		subject = "Round 1 of the " + ed.Name + ": your entry is eligible"
		v.Paragraphs = []string{"The secretariat has screened " + what + " in the " + cat.Name + " category and found it eligible.",
			"It now goes to the Evaluation Committee, which scores the entries " + values[wording.ScoringWindow] +
				". The semi-finalists are announced on " + values[wording.AnnouncedOn] + "."}
	} else {
		key = "screening-ineligible"
		values[wording.Reason], values[wording.ContactEmail] = strings.ToLower(ReasonLabel(cat, e.ReasonKey)), ed.ContactEmail
		v.Title = "Your entry is not eligible"
		subject = "Round 1 of the " + ed.Name + ": the outcome of the screening"
		v.Paragraphs = []string{"The secretariat has screened " + what + " in the " + cat.Name + " category. We are sorry to tell you that it is not eligible: " +
			values[wording.Reason] + ".",
			"Thank you for your interest in the prize. If you have questions, write to " + ed.ContactEmail + "."}
	}
	m := emails.ActionMessage("screening-outcome", e.Email, e.Applicant, subject, e.UserID, v)
	m.SendAfter = OutcomeDate(ed, now)
	m.Wording = s.Site.Wording(ed, key, values)
	return m
}
