package screening

import (
	"cmp"
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
	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/db"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/internal/nomination"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
	"prizeportal/internal/notify/wording"
	"prizeportal/internal/repository"
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

// incompleteRule refuses "ineligible: incomplete" for the entries of cat at now while its
// letters' deadline is ahead: until then the letter or the endorsements may still arrive.
func incompleteRule(cat *edition.Category, loc *time.Location, now time.Time) string {
	if cat.Nominations == nil {
		return i18n.M("Only a nomination can be incomplete.")
	}
	if d := cat.Nominations.LetterDeadline; now.Before(d) {
		return i18n.Msg("Letters of recommendation and endorsements are accepted until {{.When}}: an incomplete nomination can be found ineligible for it only after that.",
			"When", i18n.End(d, loc))
	}
	return ""
}

// Decide stores actor's decision on entry id of ed, with its audit entry. The rules (DOMAIN.md
// "Round 1": eligible or ineligible, with a reason): an ineligible entry needs one of the
// category's reasons, "another reason" an explanation; an incomplete nomination cannot be
// eligible, and "ineligible: incomplete" is only for an incomplete nomination once its letters'
// deadline has passed (incompleteRule); a decision of Eligible needs every checklist item
// answered, and an answer that differs from the portal's own check a note (checkAnswers);
// changing a final decision needs the
// reason for the change (deciding after a clarification does not); the texts are bounded. A
// broken rule is a field.Errors; ErrRoundClosed once the round is closed; db.ErrNotFound unless
// the actor screens the entry.
func (s *Service) Decide(ctx context.Context, actor authz.Actor, ed *edition.Edition, id int64, in Input) error {
	return db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		e, cat, err := entryIn(ctx, tx, actor, ed, id)
		if err != nil {
			return err
		}
		if closed, err := Closed(ctx, tx, ed.ID); err != nil {
			return err
		} else if closed {
			return ErrRoundClosed
		}
		portal, err := PortalAnswers(ctx, tx, actor, Staffed{Entry: e, Edition: ed, Category: cat})
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
			if in.Decision == Eligible && e.Incomplete {
				errs.Add("decision", "The nomination is incomplete (no letter of recommendation that counts, nor enough citizen endorsements): it cannot be found eligible.")
			}
		case Ineligible:
			validReason(&errs, cat, in.ReasonKey, in.ReasonText, i18n.M("Choose the reason why the entry is ineligible."))
			if in.ReasonKey == ReasonIncomplete {
				if !e.Incomplete {
					errs.Add("reason", "The entry is not an incomplete nomination: choose another reason.")
				} else if msg := incompleteRule(cat, ed.TimeZone, s.Now()); msg != "" {
					errs.Add("reason", msg)
				}
			}
		default:
			errs.Add("decision", "Choose a decision.")
		}
		checkAnswers(&errs, cat, in.Decision, in.Checklist, portal)
		changed := hasDecision && rec.Decision.Final() && (rec.Decision != in.Decision || rec.ReasonKey != in.ReasonKey)
		if changed && strings.TrimSpace(in.RevisionReason) == "" {
			errs.Add("revision_reason", revisionNeeded(rec.Decision))
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
// "ineligible" (with Reason, and Text for "another reason"), "review" (ask for a second opinion)
// or "incomplete" (every incomplete nomination of the category without a final decision,
// whatever IDs says, found "ineligible: incomplete").
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
// a reason as in Decide; as there, an incomplete nomination is never found eligible and only an
// incomplete one is found "ineligible: incomplete" (others are skipped), once the letters'
// deadline has passed (incompleteRule, a refusal before). A broken rule is a field.Errors;
// ErrRoundClosed once the round is closed.
func (s *Service) DecideMany(ctx context.Context, actor authz.Actor, ed *edition.Edition, cat *edition.Category, b Bulk) (Decided, error) {
	var errs field.Errors
	all := b.Action == "incomplete"
	switch {
	case all:
		b.Action, b.Reason, b.IDs = "ineligible", ReasonIncomplete, nil
	case len(b.IDs) == 0:
		errs.Add("ids", "Select at least one entry.")
	case len(b.IDs) > PerPage:
		errs.Add("ids", i18n.Msg("Select at most {{.Count}} entries at once.", "Count", PerPage))
	}
	switch b.Action {
	case "eligible", "review":
	case "ineligible":
		validReason(&errs, cat, b.Reason, b.Text, i18n.M("Choose the reason why the selected entries are ineligible."))
	default:
		errs.Add("action", "Choose what to do with the selected entries.")
	}
	if errs.Any() {
		return Decided{}, errs
	}
	now := s.Now()
	if b.Reason == ReasonIncomplete && b.Action == "ineligible" {
		if msg := incompleteRule(cat, ed.TimeZone, now); msg != "" {
			return Decided{}, fault.New(fault.Conflict, msg)
		}
	}
	var out Decided
	err := db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		out = Decided{}
		ids := b.IDs
		if all {
			var err error
			if ids, err = incompleteUndecided(ctx, tx, actor.UserID, ed.ID, cat.ID); err != nil {
				return err
			}
		}
		for _, id := range ids {
			e, c, err := entryIn(ctx, tx, actor, ed, id)
			if errors.Is(err, db.ErrNotFound) || (err == nil && c.ID != cat.ID) {
				out.Skipped++
				continue
			}
			if err != nil {
				return err
			}
			if (b.Action == "eligible" && e.Incomplete) || (b.Action == "ineligible" && b.Reason == ReasonIncomplete && !e.Incomplete) {
				out.Skipped++
				continue
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
				in := Input{Decision: Decision(b.Action), ReasonKey: b.Reason, ReasonText: b.Text, Checklist: map[string]string{}}
				if prev, err := DecisionOf(ctx, tx, id); err == nil {
					in.Checklist = prev.Checklist
				} else if !errors.Is(err, db.ErrNotFound) {
					return err
				}
				if in.Checklist == nil {
					in.Checklist = map[string]string{}
				}
				if in.Decision == Eligible {
					if err := s.confirmAll(ctx, tx, actor, Staffed{Entry: e, Edition: ed, Category: c}, in.Checklist); err != nil {
						return err
					}
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

// confirmAll answers every item of the checklist of st not answered yet, for a bulk decision of
// Eligible (which confirms the checklist): the portal's own answer where it checks the item,
// "yes" for the others.
func (s *Service) confirmAll(ctx context.Context, tx pgx.Tx, actor authz.Actor, st Staffed, answers map[string]string) error {
	portal, err := PortalAnswers(ctx, tx, actor, st)
	if err != nil {
		return err
	}
	for _, c := range Checklist(st.Category) {
		if answers[c.Key] == "" {
			answers[c.Key] = cmp.Or(portal[c.Key], "yes")
		}
	}
	return nil
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
// applicant's outcome email tied to the end of the screening window (notify.Message.Announces:
// it goes out when that instant, as the edition says it then, comes; OutcomeDate as it stands
// now is audited). Rules (DOMAIN.md "Round 1", "Schedule"; the phase model, edition.Round): once
// (ErrRoundClosed); only when nothing is pending (PendingAt: the application deadline with its
// grace period, every extension granted and the letters' deadline have passed, and every entry,
// incomplete nominations included, has a final decision), else a refusal wrapping ErrUndecided
// that says what is still open and from when the round can close; before the end of the
// screening window only with a reason (field "reason"), kept in the audit entry. It returns the
// number of entries notified.
func (s *Service) CloseRound(ctx context.Context, actor authz.Actor, ed *edition.Edition, reason string) (int, error) {
	if !authz.CanManageApplications(actor, ed.ID) {
		return 0, authz.ErrForbidden
	}
	now, reason := s.Now(), strings.TrimSpace(reason)
	var n int
	err := db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		if err := lockRound(ctx, tx, ed.ID); err != nil {
			return err
		}
		rounds, err := ed.LoadRounds(ctx, tx, now)
		if err != nil {
			return err
		}
		round := rounds.Screening
		if round.Closed() {
			return ErrRoundClosed
		}
		pending, err := PendingAt(ctx, tx, actor.UserID, ed, round, now)
		if err != nil {
			return err
		}
		if pending.Any() {
			return fault.Wrap(fault.Conflict, pending.Text(ed.TimeZone), ErrUndecided)
		}
		details := map[string]any{}
		if early := now.Before(round.Window.End); early {
			var errs field.Errors
			if reason == "" {
				errs.Add("reason", i18n.Msg("Say why round 1 closes before the end of its window, {{.When}}.", "When", i18n.End(round.Window.End, ed.TimeZone)))
			} else if len([]rune(reason)) > MaxText {
				errs.Add("reason", "Use at most 2,000 characters.")
			}
			if errs.Any() {
				return errs
			}
			details["early_reason"] = reason
		}
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
		details["entries"], details["eligible"], details["emails_after"] = len(entries), eligible, OutcomeDate(ed, now)
		return audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: "screening.close", ObjectType: "edition",
			ObjectID: strconv.FormatInt(ed.ID, 10), Details: details})
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

// outcomeEmail tells the applicant of e the outcome of round 1, tied to its announcement (the
// end of the screening window).
// An ineligible entry's email gives the reason from the list, never the secretariat's notes.
func (s *Service) outcomeEmail(ed *edition.Edition, e Entry, now time.Time) notify.Message {
	cat, _ := ed.CategoryByID(e.CategoryID)
	// the entry and the values as the reader's language shows them (the paragraphs below: their
	// English)
	entry := i18n.M("your application")
	home := "/application/status"
	if e.Kind == "nomination" {
		entry = i18n.Msg("your nomination ({{.Candidate}})", "Candidate", strings.TrimPrefix(e.Title, "Nomination of "))
		home = "/nominations/" + strconv.FormatInt(e.ID, 10)
		if e.UserID == 0 { // the candidate, who has no account here
			home = "/editions/" + ed.Slug
		} else if e.Merged != 0 { // a co-nominator, who follows it on their own nomination
			home = "/nominations/" + strconv.FormatInt(e.Merged, 10)
		}
	}
	v := emails.ActionEmail{Meta: s.Site.Meta(ed), Greeting: "Dear " + e.Applicant + ",", ActionLabel: "See the status",
		ActionURL: s.Site.URL(home)}
	what := i18n.English(entry)
	values := wording.Values{wording.ApplicantName: e.Applicant, wording.EditionName: ed.Name, wording.Entry: entry,
		wording.Category: cat.Name, wording.Link: v.ActionURL}
	subject, key := "", "screening-eligible"
	if e.Decision == Eligible {
		values[wording.ScoringWindow] = i18n.Window(ed.Schedule.Scoring.Start, ed.Schedule.Scoring.End, ed.TimeZone)
		values[wording.AnnouncedOn] = i18n.Instant(ed.Schedule.SemiFinalistsAnnounced, ed.TimeZone)
		v.Title = "Your entry is eligible"
		subject = "Round 1 of the " + ed.Name + ": your entry is eligible"
		v.Paragraphs = []string{"The secretariat has screened " + what + " in the " + cat.Name + " category and found it eligible.",
			"It now goes to the Evaluation Committee, which scores the entries " + i18n.English(values[wording.ScoringWindow]) +
				". The semi-finalists are announced on " + i18n.English(values[wording.AnnouncedOn]) + "."}
	} else {
		key = "screening-ineligible"
		values[wording.Reason], values[wording.ContactEmail] = reasonInSentence(cat, e.ReasonKey), ed.ContactEmail
		v.Title = "Your entry is not eligible"
		subject = "Round 1 of the " + ed.Name + ": the outcome of the screening"
		v.Paragraphs = []string{"The secretariat has screened " + what + " in the " + cat.Name + " category. We are sorry to tell you that it is not eligible: " +
			strings.ToLower(ReasonLabel(cat, e.ReasonKey)) + ".",
			"Thank you for your interest in the prize. If you have questions, write to " + ed.ContactEmail + "."}
	}
	m := emails.ActionMessage("screening-outcome", e.Email, e.Applicant, subject, e.UserID, v)
	m.Announces = notify.At(ed.ID, edition.ScreeningEnd, now)
	m.Wording = s.Site.Wording(ed, key, values)
	return m
}

// Repeat is another submitted nomination of the candidate of a nomination (nomination_repeats),
// as the secretariat's entry page lists it to merge.
type Repeat struct {
	ID        int64
	Nominator string
	Candidate string
	// Reason is how it matches: "email" (the same address) or "name" (the same name and
	// organisation).
	Reason      string
	SubmittedAt time.Time
	Decision    Decision
}

// Match says how r names the same candidate.
func (r Repeat) Match() string {
	if r.Reason == "email" {
		return i18n.M("same email address")
	}
	return i18n.M("same name and organisation")
}

// Repeats lists the other submitted nominations of the same candidate as nomination id, of its
// edition and category, for staff (the SQL filter is the secretariat of the edition), oldest
// first.
func Repeats(ctx context.Context, q db.DBTX, staff, id int64) ([]Repeat, error) {
	return db.List(ctx, q, "screening: repeats", func(row pgx.CollectableRow) (Repeat, error) {
		var r Repeat
		var decision string
		err := row.Scan(&r.ID, &r.Nominator, &r.Candidate, &r.Reason, &r.SubmittedAt, &decision)
		r.Decision = Decision(decision)
		return r, err
	}, `
		SELECT a.id, u.name, n.candidate_name, x.reason, a.submitted_at, coalesce(d.decision, '')
		FROM nomination_repeats x
		JOIN applications me ON me.id = x.application_id
		JOIN applications a ON a.id = x.other_id AND a.category_id = me.category_id
		JOIN nominations n ON n.application_id = a.id JOIN users u ON u.id = a.user_id
		LEFT JOIN screening_decisions d ON d.application_id = a.id
		WHERE x.application_id = @id AND `+staffFilter+`
		ORDER BY a.submitted_at, a.id`, pgx.NamedArgs{"staff": staff, "id": id})
}

// Merged is what a merge did, for the page that follows: the nomination merged, its nominator
// (now a co-nominator) and what moved.
type Merged struct {
	From      int64
	Nominator string
	nomination.Moved
}

// Summary says what the merge did, for the secretariat.
func (m Merged) Summary() string { return i18n.English(m.Message()) }

// Message is Summary carried for the reader's language (i18n.Msg).
func (m Merged) Message() string {
	letters := i18n.Msg("{{.Count}} letters of recommendation", "Count", m.Letters)
	if m.Letters == 1 {
		letters = i18n.Msg("1 letter of recommendation", "Count", 1)
	}
	switch {
	case m.LetterKept == "moved":
		letters = i18n.Msg("{{.Letters}} (its letter is now this entry's current letter)", "Letters", letters)
	case m.LetterKept == "kept" && m.Letters > 0:
		letters = i18n.Msg("{{.Letters}} (this entry keeps its own current letter; the other is kept as an earlier letter)", "Letters", letters)
	}
	endorsements := i18n.Msg("{{.Count}} citizen endorsements", "Count", m.Endorsements)
	if m.Endorsements == 1 {
		endorsements = i18n.Msg("1 citizen endorsement", "Count", 1)
	}
	switch {
	case m.Repeated == 1:
		return i18n.Msg("Nomination {{.ID}} was merged into this entry: {{.Letters}} and {{.Endorsements}} moved here; 1 citizen had endorsed both and counted once. {{.Nominator}} is now a co-nominator and was told by email.",
			"ID", m.From, "Letters", letters, "Endorsements", endorsements, "Nominator", m.Nominator)
	case m.Repeated > 1:
		return i18n.Msg("Nomination {{.ID}} was merged into this entry: {{.Letters}} and {{.Endorsements}} moved here; {{.Count}} citizens had endorsed both and counted once. {{.Nominator}} is now a co-nominator and was told by email.",
			"ID", m.From, "Letters", letters, "Endorsements", endorsements, "Count", m.Repeated, "Nominator", m.Nominator)
	}
	return i18n.Msg("Nomination {{.ID}} was merged into this entry: {{.Letters}} and {{.Endorsements}} moved here. {{.Nominator}} is now a co-nominator and was told by email.",
		"ID", m.From, "Letters", letters, "Endorsements", endorsements, "Nominator", m.Nominator)
}

// revisionNeeded asks why a final decision d changes.
func revisionNeeded(d Decision) string {
	if d == Eligible {
		return i18n.M("Say why the decision changes: it was eligible.")
	}
	return i18n.M("Say why the decision changes: it was ineligible.")
}

// MaxMergeReason bounds the reason of a merge, in characters.
const MaxMergeReason = 2000

// Merge merges nomination from into entry into of ed, for the secretariat member actor, with a
// reason (the issue text: the same candidate nominated several times is one entry, with all its
// letters and endorsements; DOMAIN.md "Leadership nominations"). In one transaction: the letters
// and endorsements of from move to into (nomination.MoveSupport: one current letter, and a
// citizen who endorsed both counts once), from gets the status "merged" with into as where it
// went (it leaves the queue and every count, and anything merged into it before follows it), its
// nominator becomes a co-nominator of into (entry_addressees: they get a copy of into's outcome
// emails) and is told by email, and the audit entry keeps both ids and the reason.
//
// Rules, each a refusal next to its field: from is another nomination (not into), submitted
// (not merged already), of the same category, naming the same candidate (nomination_repeats:
// the same email address, or the same name and organisation); neither has a round-1 decision
// (eligible, ineligible or a clarification asked: a decision is on one entry's own file, and a
// clarification waits for its nominator's answer; the secretariat merges first, then decides);
// the reason is given and bounded, and confirm is true. ErrRoundClosed once round 1 is closed;
// db.ErrNotFound unless actor screens into.
func (s *Service) Merge(ctx context.Context, actor authz.Actor, ed *edition.Edition, into, from int64, reason string, confirm bool) (Merged, error) {
	reason = strings.TrimSpace(reason)
	var out Merged
	err := db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		a, _, err := entryIn(ctx, tx, actor, ed, into)
		if err != nil {
			return err
		}
		if err := lockRound(ctx, tx, ed.ID); err != nil {
			return err
		}
		if closed, err := Closed(ctx, tx, ed.ID); err != nil {
			return err
		} else if closed {
			return ErrRoundClosed
		}
		var errs field.Errors
		if msg, err := mergeRefusal(ctx, tx, actor.UserID, a, from); err != nil {
			return err
		} else if msg != "" {
			errs.Add("merge_from", msg)
		}
		switch {
		case reason == "":
			errs.Add("merge_reason", "Say why the two nominations are one entry.")
		case len([]rune(reason)) > MaxMergeReason:
			errs.Add("merge_reason", "Use at most 2,000 characters.")
		}
		if !confirm {
			errs.Add("merge_confirm", "Confirm the merge: it cannot be undone.")
		}
		if errs.Any() {
			return errs
		}
		b, err := Get(ctx, tx, actor.UserID, from)
		if err != nil {
			return err
		}
		now := s.Now()
		moved, err := nomination.MoveSupport(ctx, tx, from, into, now)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `
			UPDATE applications SET status = 'merged', merged_into = $2, merged_at = $3, version = version + 1, updated_at = $3
			WHERE id = $1`, from, into, now); err != nil {
			return fmt.Errorf("screening: merge: %w", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE applications SET merged_into = $2 WHERE merged_into = $1`, from, into); err != nil {
			return fmt.Errorf("screening: merge: %w", err)
		}
		// The merged nomination leaves the best-practice repository, as a withdrawn entry does.
		if err := repository.Refresh(ctx, tx, from); err != nil {
			return err
		}
		out = Merged{From: from, Nominator: b.Applicant, Moved: moved}
		if _, err := s.Outbox.Queue(ctx, tx, s.mergedEmail(ed, a, b)); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: "screening.merge", ObjectType: "application",
			ObjectID: strconv.FormatInt(into, 10), Details: map[string]any{"into": into, "merged": from, "reason": reason,
				"letters": moved.Letters, "letter_kept": moved.LetterKept, "endorsements": moved.Endorsements,
				"repeated_endorsements": moved.Repeated, "co_nominator": b.UserID}})
	})
	if err != nil {
		return Merged{}, fmt.Errorf("screening: merge: %w", err)
	}
	return out, nil
}

// mergeRefusal says why nomination from cannot be merged into entry a (loaded and locked by the
// caller's transaction), or "" when it can: the rules of Merge. It locks both applications.
func mergeRefusal(ctx context.Context, tx pgx.Tx, staff int64, a Entry, from int64) (string, error) {
	if from <= 0 {
		return i18n.M("Choose the nomination to merge into this entry."), nil
	}
	if from == a.ID {
		return i18n.M("Choose another nomination: a nomination cannot be merged into itself."), nil
	}
	if a.Kind != "nomination" {
		return i18n.M("Only a nomination can take in another nomination."), nil
	}
	// Lock both, in the order of their ids, so that two merges of one pair never deadlock.
	locked, err := db.List(ctx, tx, "screening: merge", pgx.RowTo[int64],
		`SELECT id FROM applications WHERE id IN ($1, $2) ORDER BY id FOR UPDATE`, a.ID, from)
	if err != nil {
		return "", err
	}
	if len(locked) < 2 {
		return i18n.M("There is no such nomination in this edition."), nil
	}
	var (
		status, kind       string
		aStatus            string
		category           int64
		mergedInto         *int64
		inEdition, same    bool
		aDecided, bDecided bool
	)
	err = tx.QueryRow(ctx, `
		SELECT b.status, b.kind, b.category_id, b.merged_into,
		       b.edition_id = $3 AND EXISTS (SELECT 1 FROM role_grants g
		           WHERE g.user_id = $4 AND g.role = 'secretariat' AND g.edition_id = b.edition_id),
		       EXISTS (SELECT 1 FROM nomination_repeats x WHERE x.application_id = $2 AND x.other_id = b.id),
		       EXISTS (SELECT 1 FROM screening_decisions d WHERE d.application_id = $2),
		       EXISTS (SELECT 1 FROM screening_decisions d WHERE d.application_id = b.id),
		       (SELECT x.status FROM applications x WHERE x.id = $2)
		FROM applications b WHERE b.id = $1`, from, a.ID, a.EditionID, staff).
		Scan(&status, &kind, &category, &mergedInto, &inEdition, &same, &aDecided, &bDecided, &aStatus)
	if err = db.Found(err, "screening: merge"); err != nil {
		return "", err
	}
	switch {
	case aStatus != "submitted": // merged or withdrawn since the page was loaded
		return i18n.M("This nomination is no longer an entry of the round: it was merged or withdrawn meanwhile."), nil
	case !inEdition || kind != "nomination":
		return i18n.M("There is no such nomination in this edition."), nil
	case mergedInto != nil:
		return i18n.Msg("Nomination {{.ID}} was merged already, into nomination {{.Into}}.", "ID", from, "Into", *mergedInto), nil
	case status != "submitted":
		return i18n.Msg("Nomination {{.ID}} is not submitted: only a submitted nomination is an entry to merge.", "ID", from), nil
	case category != a.CategoryID:
		return i18n.Msg("Nomination {{.ID}} is in another category: only nominations of one category can be one entry.", "ID", from), nil
	case !same:
		return i18n.Msg("Nomination {{.ID}} does not name the same candidate (neither the same email address nor the same name and organisation).", "ID", from), nil
	case aDecided:
		return i18n.M("This entry has a round-1 decision already: nominations are merged before either is decided."), nil
	case bDecided:
		return i18n.Msg("Nomination {{.ID}} has a round-1 decision already: nominations are merged before either is decided.", "ID", from), nil
	}
	return "", nil
}

// mergedEmail tells the nominator of b that the secretariat merged it into entry a, the same
// candidate's nomination, where its letters and endorsements now count and whose outcome they
// are told as a co-nominator.
func (s *Service) mergedEmail(ed *edition.Edition, a, b Entry) notify.Message {
	link := s.Site.URL(nomination.Home(b.ID))
	v := emails.ActionEmail{Meta: s.Site.Meta(ed), Greeting: "Dear " + b.Applicant + ",", ActionLabel: "See your nomination",
		ActionURL: link, Title: "Your nomination was merged"}
	values := wording.Values{wording.Name: b.Applicant, wording.EditionName: ed.Name, wording.CandidateName: b.Candidate,
		wording.EntryNumber: strconv.FormatInt(a.ID, 10), wording.Link: link}
	v.Paragraphs = []string{
		b.Candidate + " was nominated more than once for the " + ed.Name + ". The secretariat has merged your nomination into nomination " +
			values[wording.EntryNumber] + " of the same candidate, so that the candidate is one entry.",
		"The letters of recommendation and the citizen endorsements of your nomination now count for that entry. You are its co-nominator: you receive a copy of its outcome emails.",
	}
	m := emails.ActionMessage("nomination-merged", b.Email, b.Applicant, "Your nomination of "+b.Candidate+" was merged", b.UserID, v)
	m.Wording = s.Site.Wording(ed, "nomination-merged", values)
	return m
}

// reasonsInSentence are the reasons for ineligibility (Reasons) in lower case, as the outcome
// email has always said them after "not eligible:" (every letter lowered).
var reasonsInSentence = map[string]string{
	CheckEntityType:  i18n.M("the entity type is not eligible for the category"),
	CheckComplete:    i18n.M("the application is incomplete"),
	CheckEnglish:     i18n.M("the application is not in english"),
	CheckDocuments:   i18n.M("the documents cannot be read"),
	CheckNotBarred:   i18n.M("the entity is represented among the organisers or evaluators"),
	CheckDuplicate:   i18n.M("the same project is entered in another category"),
	CheckLeadership:  i18n.M("the nomination does not meet the leadership rules"),
	ReasonIncomplete: i18n.M("the nomination was not complete by the deadline for letters (no letter of recommendation that counts, nor enough citizen endorsements)"),
	ReasonOther:      i18n.M("another reason (explained below)"),
}

// reasonInSentence is reason key of cat in lower case, carried for the reader's language.
func reasonInSentence(cat *edition.Category, key string) string {
	english := strings.ToLower(ReasonLabel(cat, key))
	if r, ok := reasonsInSentence[key]; ok && r == english {
		return r
	}
	return english
}
