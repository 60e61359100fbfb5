package ranking

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/audit"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/blocks/timefmt"
	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/db"
	"prizeportal/internal/deputy"
	"prizeportal/internal/edition"
	"prizeportal/internal/notify"
)

// Service holds the use cases of the end of round 2 (DOMAIN.md "Round 2"): the committee head
// chooses the aggregation method while the scores are sealed, closes the round, proposes the
// semi-finalists, decides ties at the cut and confirms each category's list; the organisers (the
// secretariat or the head) may add an entry by exception. Each method opens its transaction,
// checks the rule it documents, records the audit entry and queues the emails.
type Service struct {
	usecase.Deps
}

// Board is what the ranking page of an edition shows: the round's state and progress and, once
// the round is closed (the scores are unsealed), the ranking and the semi-finalist lists.
type Board struct {
	// Round is where round 2 stands (edition.Round); Early says the head may close it before the
	// end of its window (every sheet is in), CloseRefusal why it cannot close yet ("" when it can).
	Round        edition.Round
	Early        bool
	CloseRefusal string
	State        State
	Progress     []Progress
	Result       Result
	Lists        map[int64]*List
	// Seats says, per category, who decides for its list (the head, or their deputy where the
	// head is conflicted with one of its entries: internal/deputy).
	Seats  map[int64]authz.Seat
	reader authz.Actor
}

// Decides reports whether the reader of the board decides for the list of category id: the
// head, or the deputy head where the head is conflicted with one of its entries.
func (b Board) Decides(id int64) bool { return b.Seats[id].Decides(b.reader) }

// Refusal is why the reader, the head or the deputy head, does not decide for the list of
// category id, naming who does ("" when they do, or hold neither post), carried for the reader's
// language (authz.Seat.RefusalText).
func (b Board) Refusal(id int64) string {
	st, ok := b.Seats[id]
	if !ok || b.reader.UserID != st.HolderID && b.reader.UserID != st.DeputyID {
		return ""
	}
	return st.RefusalText(b.reader)
}

// Note is what the record of category id's list says of the deputy head who confirmed it or
// chose an entry in the head's place (authz.Seat.Note; "" when the head did).
func (b Board) Note(id int64) string {
	l := b.Lists[id]
	if l == nil {
		return ""
	}
	st := b.Seats[id]
	if n := st.Note(l.ConfirmedByID); n != "" {
		return n
	}
	for _, e := range l.Entries {
		if n := st.Note(e.AddedByID); n != "" {
			return n
		}
	}
	return ""
}

// Board loads the ranking page of edition ed for actor, an organiser, or the deputy head where
// the head is conflicted (only the categories they decide for; authz.ErrForbidden otherwise).
// Until the head records a method, the state's method is the one the edition's definition
// proposes (scoring.method).
func (s *Service) Board(ctx context.Context, actor authz.Actor, ed *edition.Edition) (Board, error) {
	if !authz.RankingDeciders.Serves(actor, ed.ID) {
		return Board{}, authz.ErrForbidden
	}
	b := Board{reader: actor}
	var err error
	if b.Seats, err = deputy.Seats(ctx, s.Pool, ed.ID, authz.PostHead); err != nil {
		return Board{}, err
	}
	staff := authz.RankingStaff.Serves(actor, ed.ID)
	if !staff && !deputises(b.Seats, actor) {
		return Board{}, authz.ErrForbidden
	}
	if b.State, err = Round(ctx, s.Pool, ed.ID); err != nil {
		return Board{}, err
	}
	if m := Method(ed.Scoring.Method); !b.State.MethodSet && m.Valid() {
		// The edition's default is proposed; the head still records the method before closing
		// (Close refuses until then: DOMAIN.md "Round 2").
		b.State.Method = m
	}
	if b.Progress, err = ProgressOf(ctx, s.Pool, ed.ID); err != nil {
		return Board{}, err
	}
	b.Round = ed.RoundsAt(s.Now(), edition.Closures{Scoring: b.State.ClosedAt}).Scoring
	if !b.State.Closed() {
		var refusal error
		if b.Early, refusal = Closable(ed, b.Round, b.Progress); refusal != nil {
			f, _ := fault.As(refusal)
			b.CloseRefusal = f.Message
		}
		return b, nil
	}
	if b.Result, err = Compute(ctx, s.Pool, ed.ID); err != nil {
		return Board{}, err
	}
	if b.Lists, err = Lists(ctx, s.Pool, ed.ID, false); err != nil {
		return Board{}, err
	}
	if !staff {
		// A deputy sees the categories they decide for.
		b.Result.Categories = slices.DeleteFunc(b.Result.Categories, func(c Category) bool { return !b.Seats[c.ID].Decides(actor) })
	}
	return b, nil
}

// deputises reports whether actor decides for a category of seats in the head's place.
func deputises(seats map[int64]authz.Seat, actor authz.Actor) bool {
	for _, st := range seats {
		if st.Deputised() && st.Decides(actor) {
			return true
		}
	}
	return false
}

// decider runs fn in a transaction for actor when they decide for the list of category cat of
// ed (deputy.Check: the head, or the deputy head where the head is conflicted with an entry of
// cat; authz.ErrForbidden otherwise, with the reason), with the audit detail acting_as.
func (s *Service) decider(ctx context.Context, actor authz.Actor, ed *edition.Edition, cat *edition.Category, fn func(tx pgx.Tx, details map[string]any) error) error {
	if !authz.RankingCategoryActors.Acts(actor, ed.ID) {
		return authz.ErrForbidden
	}
	return db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		if err := deputy.Check(ctx, tx, actor, ed.ID, cat.ID, authz.PostHead, authz.ErrForbidden); err != nil {
			return err
		}
		details := map[string]any{"category": cat.Key}
		if err := deputy.Record(ctx, tx, ed.ID, cat.ID, authz.PostHead, actor, details); err != nil {
			return err
		}
		return fn(tx, details)
	})
}

// head runs fn in a transaction for actor, the committee head of ed (authz.ErrForbidden
// otherwise).
func (s *Service) head(ctx context.Context, actor authz.Actor, ed *edition.Edition, fn func(tx pgx.Tx) error) error {
	if !authz.IsCommitteeHead(actor, ed.ID) {
		return authz.ErrForbidden
	}
	return db.InTx(ctx, s.Pool, fn)
}

// SetMethod records the head's choice of aggregation method m for edition ed (DOMAIN.md
// "Round 2": chosen before anyone sees a score), audited: field.Errors on "method" when m is not one of
// Methods, ErrClosed once the round is closed.
func (s *Service) SetMethod(ctx context.Context, actor authz.Actor, ed *edition.Edition, m Method) error {
	if !authz.IsCommitteeHead(actor, ed.ID) {
		return authz.ErrForbidden
	}
	if !m.Valid() {
		return field.Errors{{Field: "method", Message: "Choose one of the four methods."}}
	}
	err := db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		before, err := SetMethod(ctx, tx, ed.ID, m, actor.UserID, s.Now())
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: "ranking.method", ObjectType: "edition",
			ObjectID: strconv.FormatInt(ed.ID, 10), Details: map[string]any{"from": string(before), "to": string(m)}})
	})
	return fault.Reword(err, "The round is closed: the method can no longer change.", ErrClosed)
}

// MaxCloseReason is the longest reason for closing round 2 before the end of its window.
const MaxCloseReason = 1000

// Sheets counts the round-2 sheets of progress: those submitted, those left in draft, and the
// active assignments whose sheet is not submitted.
func Sheets(progress []Progress) (submitted, drafts, missing int) {
	for _, p := range progress {
		submitted += p.Submitted
		drafts += p.Drafts
		missing += p.Missing
	}
	return submitted, drafts, missing
}

// Closable says whether round 2 of ed, at r (edition.Round) with progress, may close now
// (DOMAIN.md "Round 2"; the schedule steers the round): from the end of the scoring window; inside
// it only when every active assignment's sheet is submitted, and then early (the head gives a
// reason); never before the window opens. The refusal (ErrTooEarly) says why and from when.
func Closable(ed *edition.Edition, r edition.Round, progress []Progress) (early bool, err error) {
	loc := ed.TimeZone
	submitted, _, missing := Sheets(progress)
	switch r.Phase {
	case edition.PhaseUpcoming:
		return false, fault.Wrap(fault.Conflict, "Round 2 has not started: scoring opens on "+timefmt.Start(r.Opens, loc)+
			". The round can close at the end of its window, "+timefmt.End(r.Window.End, loc)+", or earlier once every sheet is submitted.", ErrTooEarly)
	case edition.PhaseOpen:
		if submitted == 0 || missing > 0 {
			return false, fault.Wrap(fault.Conflict, fmt.Sprintf("The scoring window runs until %s and %d of %d sheets are submitted. "+
				"The round can close before the end of its window only once every sheet is submitted.", timefmt.End(r.Window.End, loc), submitted, submitted+missing), ErrTooEarly)
		}
		return true, nil
	}
	return false, nil
}

// Close closes round 2 of edition ed for actor, its head, which unseals the scores: refused
// until the method is chosen (ErrMethodUnset), once closed (ErrClosed), and by the schedule
// (Closable, ErrTooEarly): before the end of the scoring window only once every sheet is
// submitted, with reason (field.Errors on "reason" without one). The audit entry records the
// method, the sheets submitted and left in draft, and the reason of an early close.
func (s *Service) Close(ctx context.Context, actor authz.Actor, ed *edition.Edition, reason string) error {
	reason = strings.TrimSpace(reason)
	return s.head(ctx, actor, ed, func(tx pgx.Tx) error {
		now := s.Now()
		st, err := lockRound(ctx, tx, ed.ID)
		if err != nil {
			return err
		}
		switch {
		case st.Closed():
			return ErrClosed
		case !st.MethodSet:
			return ErrMethodUnset
		}
		progress, err := ProgressOf(ctx, tx, ed.ID)
		if err != nil {
			return err
		}
		early, err := Closable(ed, ed.RoundsAt(now, edition.Closures{}).Scoring, progress)
		if err != nil {
			return err
		}
		if early {
			var errs field.Errors
			if reason == "" {
				errs.Add("reason", "Say why the round closes before the end of its scoring window: the reason is on the record.")
			} else if utf8.RuneCountInString(reason) > MaxCloseReason {
				errs.Add("reason", fmt.Sprintf("Keep the reason to %d characters.", MaxCloseReason))
			}
			if errs.Any() {
				return errs
			}
		}
		if st, err = Close(ctx, tx, ed.ID, actor.UserID, now); err != nil {
			return err
		}
		submitted, drafts, _ := Sheets(progress)
		details := map[string]any{"method": string(st.Method), "submitted_sheets": submitted, "draft_sheets": drafts}
		if early {
			details["early"], details["reason"] = true, reason
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: "ranking.close", ObjectType: "edition",
			ObjectID: strconv.FormatInt(ed.ID, 10), Details: details})
	})
}

// Propose proposes the top N of every unconfirmed category of edition ed (Propose) that actor
// decides for (the head, or the deputy head where the head is conflicted with an entry of the
// category: authz.Seat; authz.ErrForbidden with the reason when there is none), once the round
// is closed (ErrOpen), audited with the categories proposed and those tied at the cut. It
// returns the number of entries proposed.
func (s *Service) Propose(ctx context.Context, actor authz.Actor, ed *edition.Edition) (int, error) {
	if !authz.RankingCategoryActors.Acts(actor, ed.ID) {
		return 0, authz.ErrForbidden
	}
	var n int
	err := db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		seats, err := deputy.Seats(ctx, tx, ed.ID, authz.PostHead)
		if err != nil {
			return err
		}
		var refusal error = authz.ErrForbidden
		decides := false
		for _, c := range ed.Categories {
			if st, ok := seats[c.ID]; ok && st.Decides(actor) {
				decides = true
			} else if ok && (st.HolderID == actor.UserID || st.DeputyID == actor.UserID) {
				refusal = st.MayDecide(actor)
			}
		}
		if !decides {
			return refusal
		}
		res, proposed, err := Propose(ctx, tx, ed.ID, actor.UserID, s.Now())
		if err != nil {
			return err
		}
		n = proposed
		ties, cats := []string{}, []string{}
		for _, c := range res.Categories {
			if !seats[c.ID].Decides(actor) {
				continue
			}
			cats = append(cats, c.Key)
			if c.Tie != nil {
				ties = append(ties, c.Key)
			}
		}
		details := map[string]any{"method": string(res.Method), "proposed": proposed, "ties": ties, "categories": cats}
		if deputises(seats, actor) {
			details["acting_as"] = "deputy"
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: "ranking.propose", ObjectType: "edition",
			ObjectID: strconv.FormatInt(ed.ID, 10), Details: details})
	})
	return n, fault.Reword(err, "Close the round first: the semi-finalists are proposed from the unsealed scores.", ErrOpen)
}

// checkChoice refuses a tie decision or an addition without an entry (app) or a reason (missing
// is the reason's message), with field.Errors on "entry" and "reason", before anything else is
// checked: the reason is recorded with the choice (DOMAIN.md "Round 2").
func checkChoice(app int64, reason, missing string) error {
	var errs field.Errors
	if app <= 0 {
		errs.Add("entry", "Choose the entry.")
	}
	if strings.TrimSpace(reason) == "" {
		errs.Add("reason", missing)
	}
	if errs.Any() {
		return errs
	}
	return nil
}

// DecideTie records the head's choice of entry app among the entries of category cat tied at
// the cut, with a reason (checkChoice, then DecideTie and its refusals), audited with the tie.
func (s *Service) DecideTie(ctx context.Context, actor authz.Actor, ed *edition.Edition, cat *edition.Category, app int64, reason string) error {
	if err := checkChoice(app, reason, "Give the reason for choosing this entry: it is recorded."); err != nil {
		return err
	}
	err := s.decider(ctx, actor, ed, cat, func(tx pgx.Tx, details map[string]any) error {
		tie, err := DecideTie(ctx, tx, ed.ID, cat.ID, app, reason, actor.UserID, s.Now())
		if err != nil {
			return err
		}
		details["reason"], details["tied"], details["seats"] = reason, tie.Entries, tie.Seats
		return audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: "ranking.tie", ObjectType: "application",
			ObjectID: strconv.FormatInt(app, 10), Details: details})
	})
	return listRefusal(err, cat)
}

// listRefusal words err, a refused change to the list of category cat, with the category's name.
func listRefusal(err error, cat *edition.Category) error {
	err = fault.Reword(err, fmt.Sprintf("The %s list is confirmed: it can no longer change.", cat.Name), ErrConfirmed)
	return fault.Reword(err, fmt.Sprintf("That entry is not a round-2 entry of the %s category.", cat.Name), ErrNotEntry)
}

// Add adds entry app of category cat to its semi-finalists by exception, with the organisers'
// reason (DOMAIN.md "Round 2": very many submissions, or noteworthy factors outside the
// criteria), for actor, an organiser: the secretariat, or the one deciding for the category's
// list (decider: the head, or their deputy where the head is conflicted; authz.ErrForbidden
// otherwise); checkChoice, then Add and its refusals; audited.
func (s *Service) Add(ctx context.Context, actor authz.Actor, ed *edition.Edition, cat *edition.Category, app int64, reason string) error {
	if err := checkChoice(app, reason, "Give the reason for the exception: it is recorded."); err != nil {
		return err
	}
	add := func(tx pgx.Tx, details map[string]any) error {
		if err := Add(ctx, tx, ed.ID, cat.ID, app, reason, actor.UserID, s.Now()); err != nil {
			return err
		}
		details["reason"] = reason
		return audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: "ranking.addition", ObjectType: "application",
			ObjectID: strconv.FormatInt(app, 10), Details: details})
	}
	var err error
	if authz.Secretariat.Serves(actor, ed.ID) {
		err = db.InTx(ctx, s.Pool, func(tx pgx.Tx) error { return add(tx, map[string]any{"category": cat.Key}) })
	} else {
		err = s.decider(ctx, actor, ed, cat, add)
	}
	return listRefusal(err, cat)
}

// Announcement is when the semi-finalists of edition ed are announced: the schedule's instant.
// The public page shows the confirmed lists from then on, and the emails go out then.
func Announcement(ed *edition.Edition) time.Time { return ed.Schedule.SemiFinalistsAnnounced }

// Confirm confirms the list of category cat for actor, the head (Confirm and its refusals), and
// queues the email to every round 2 entry of the category, semi-finalist or not, tied to the
// announcement (notify.Message.Announces: it goes out when the announcement, as the edition says
// it then, comes; at once when it has passed); audited. It returns the number of emails and
// when they go out as the schedule stands now (zero: now).
func (s *Service) Confirm(ctx context.Context, actor authz.Actor, ed *edition.Edition, cat *edition.Category) (int, time.Time, error) {
	now := s.Now()
	sendAfter := Announcement(ed)
	if !now.Before(sendAfter) {
		sendAfter = time.Time{}
	}
	queued := 0
	err := s.decider(ctx, actor, ed, cat, func(tx pgx.Tx, details map[string]any) error {
		queued = 0
		l, err := Confirm(ctx, tx, ed.ID, cat.ID, actor.UserID, now)
		if err != nil {
			return err
		}
		recipients, err := Recipients(ctx, tx, ed.ID, cat.ID)
		if err != nil {
			return err
		}
		for _, rc := range recipients {
			m := s.outcomeEmail(ed, cat, rc)
			m.Announces = notify.At(ed.ID, edition.SemiFinalistsAnnounced, now)
			if _, err := s.Outbox.Queue(ctx, tx, m); err != nil {
				return err
			}
			queued++
		}
		ids := make([]int64, 0, len(l.Entries))
		for _, e := range l.Entries {
			ids = append(ids, e.ApplicationID)
		}
		details["semi_finalists"], details["emails"], details["emails_after"] = ids, queued, sendAfter
		return audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: "ranking.confirm", ObjectType: "edition",
			ObjectID: strconv.FormatInt(ed.ID, 10), Details: details})
	})
	if err != nil {
		err = fault.Reword(err, fmt.Sprintf("The %s list is already confirmed.", cat.Name), ErrConfirmed)
		return 0, time.Time{}, fault.Reword(err, fmt.Sprintf("The %s list cannot be confirmed yet: decide the tie at the cut first.", cat.Name), ErrTiePending)
	}
	return queued, sendAfter, nil
}
