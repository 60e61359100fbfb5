package scoring

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/blocks/numfmt"
	"prizeportal/internal/blocks/usecase"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/application"
	"prizeportal/internal/audit"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/blocks/timefmt"
	"prizeportal/internal/clarify"
	"prizeportal/internal/committee"
	"prizeportal/internal/contextdata"
	"prizeportal/internal/db"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
	"prizeportal/internal/notify/wording"
)

// Service holds the use cases of round 2's score sheets (DOMAIN.md "Round 2"): an evaluator's
// declaration or recusal, the saves and the submission of their sheet, and the reminders to
// evaluators with unfinished sheets. Each method that writes opens its transaction, checks the
// rule it documents, records the audit entry and queues the email.
type Service struct {
	usecase.Deps
}

// Place is an entry assigned to an evaluator with its edition and category: what the use cases
// of the evaluator's sheet act on.
type Place struct {
	Entry    Entry
	Edition  *edition.Edition
	Category *edition.Category
}

// Round is where round 2 of the place's edition stands at now (edition.RoundsAt), its closing as
// the entry was loaded.
func (p Place) Round(now time.Time) edition.Round {
	return p.Edition.RoundsAt(now, edition.Closures{Scoring: p.Entry.ClosedAt}).Scoring
}

// Scorable reports whether the sheet can change at now: round 2 is open, inside its window and
// not closed (DOMAIN.md "Round 2"; edition.PhaseOpen).
func (p Place) Scorable(now time.Time) bool { return p.Round(now).Open() }

// windowRefusal refuses a change to a sheet of place p at now outside the scoring window
// (ErrOutsideWindow, saying when it opens or when it ended); nil inside it. A closed round is
// refused by the store (ErrRoundClosed).
func windowRefusal(p Place, now time.Time) error {
	r, loc := p.Round(now), p.Edition.TimeZone
	switch r.Phase {
	case edition.PhaseUpcoming:
		return fault.Wrap(fault.Forbidden, "Scoring opens on "+timefmt.Start(r.Opens, loc)+
			": the sheet can be filled in from then. Until then you can read the entry and recuse yourself if you find a conflict of interest.", ErrOutsideWindow)
	case edition.PhaseDue:
		return fault.Wrap(fault.Forbidden, "The scoring window ended on "+timefmt.End(r.Window.End, loc)+
			": the sheet can no longer change. Your changes were not saved.", ErrOutsideWindow)
	}
	return nil
}

// MustDeclare reports whether the evaluator must first declare that they have no conflict of
// interest with the entry (or recuse): they have not, and the round is open.
func (p Place) MustDeclare() bool { return !p.Entry.Declared && !p.Entry.Closed() }

// CommentsRequired reports whether a submitted sheet needs a comment on every criterion (an
// edition setting).
func (p Place) CommentsRequired() bool { return p.Edition.Scoring.CriterionCommentsRequired }

// Place loads entry app for actor, when it is assigned to them (in SQL, see activeFilter;
// db.ErrNotFound otherwise), with its edition and category.
func (s *Service) Place(ctx context.Context, actor authz.Actor, app int64) (Place, error) {
	e, err := AssignedEntry(ctx, s.Pool, actor.UserID, app)
	if err != nil {
		return Place{}, err
	}
	ed, cat, err := categoryOf(ctx, s.Pool, e.EditionID, e.CategoryID)
	if err != nil {
		return Place{}, err
	}
	return Place{Entry: e, Edition: ed, Category: cat}, nil
}

// categoryOf loads edition id with its category cat (db.ErrNotFound when it has none such).
func categoryOf(ctx context.Context, q db.DBTX, id, cat int64) (*edition.Edition, *edition.Category, error) {
	ed, err := edition.ByID(ctx, q, id)
	if err != nil {
		return nil, nil, err
	}
	for i := range ed.Categories {
		if ed.Categories[i].ID == cat {
			return ed, &ed.Categories[i], nil
		}
	}
	return nil, nil, db.ErrNotFound
}

// Papers are what an evaluator reads beside their sheet: the entry as submitted (its last
// submitted version), the clarifications asked in round 1 when they may read them
// (SeesClarifications, authz.CanSeeClarifications: from the start of round 2) and the context
// data of the entry's country and city.
type Papers struct {
	Submitted          application.Version
	SeesClarifications bool
	Clarifications     []clarify.Clarification
	Context            []contextdata.Indicator
}

// Desk is everything the evaluator's page of an entry shows, loaded once: the place, their sheet
// (zero before the declaration) and the papers (loaded only once the sheet is shown, that is
// unless MustDeclare).
type Desk struct {
	Place
	Sheet  Sheet
	Papers Papers
}

// Desk loads the page of entry app for actor, its evaluator (db.ErrNotFound for anyone else).
func (s *Service) Desk(ctx context.Context, actor authz.Actor, app int64) (Desk, error) {
	p, err := s.Place(ctx, actor, app)
	if err != nil || p.MustDeclare() {
		return Desk{Place: p}, err
	}
	return s.DeskOf(ctx, actor, p)
}

// DeskOf loads the sheet and the papers of place p, already loaded for actor.
func (s *Service) DeskOf(ctx context.Context, actor authz.Actor, p Place) (Desk, error) {
	sheet, err := SheetOf(ctx, s.Pool, actor.UserID, p.Entry.ID)
	if err != nil && !errors.Is(err, db.ErrNotFound) {
		return Desk{}, err
	}
	papers, err := s.Papers(ctx, actor, p)
	if err != nil {
		return Desk{}, err
	}
	return Desk{Place: p, Sheet: sheet, Papers: papers}, nil
}

// Papers loads the papers of place p for actor, its evaluator.
func (s *Service) Papers(ctx context.Context, actor authz.Actor, p Place) (Papers, error) {
	var out Papers
	var err error
	if out.Submitted, err = application.SubmittedVersion(ctx, s.Pool, p.Entry.ID); err != nil {
		return Papers{}, err
	}
	now := s.Now()
	if authz.CanSeeClarifications(actor, p.Edition.ID, now, p.Edition.Schedule.Scoring.Start) {
		out.SeesClarifications = true
		if out.Clarifications, err = clarify.Thread(ctx, s.Pool, actor.UserID, p.Entry.ID, now); err != nil {
			return Papers{}, err
		}
	}
	if out.Context, err = contextdata.ForEntry(ctx, s.Pool, p.Entry.ID); err != nil {
		return Papers{}, err
	}
	return out, nil
}

// Declare records that actor, the evaluator of place p, has no conflict of interest with its
// entry (DOMAIN.md "Round 2": evaluators declare on opening an entry), audited the first time;
// declaring again changes nothing. ErrRoundClosed once the round is closed.
func (s *Service) Declare(ctx context.Context, actor authz.Actor, p Place) error {
	return db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		sheet, err := Declare(ctx, tx, actor.UserID, p.Entry.ID, s.Now())
		if err != nil || p.Entry.Declared {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: "scoring.declare", ObjectType: "score_sheet",
			ObjectID: strconv.FormatInt(sheet.ID, 10),
			Details:  map[string]any{"application": p.Entry.ID, "edition": p.Edition.ID, "no_conflict": true}})
	})
}

// Recuse ends actor's assignment to the entry of place p with their reason (required, at most
// MaxReason characters: field.Errors on "reason"), while the round is open (ErrRoundClosed):
// their sheet is deleted, since a recused evaluator's scores never count, and the committee
// ends the assignment, audits it and gives the entry another evaluator (committee.Recuse).
func (s *Service) Recuse(ctx context.Context, actor authz.Actor, p Place, reason string) error {
	reason = strings.TrimSpace(reason)
	switch {
	case reason == "":
		return field.Errors{{Field: "reason", Message: i18n.M("Say why you recuse yourself.")}}
	case utf8.RuneCountInString(reason) > MaxReason:
		return field.Errors{{Field: "reason", Message: i18n.M("Use at most 2,000 characters.")}}
	}
	err := db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		closed, _, err := Closed(ctx, tx, p.Edition.ID)
		if err != nil {
			return err
		}
		if closed {
			return ErrRoundClosed
		}
		if err := DeleteSheet(ctx, tx, actor.UserID, p.Entry.ID); err != nil {
			return err
		}
		_, err = committee.Recuse(ctx, tx, actor.UserID, p.Entry.ID, reason, s.Now())
		return err
	})
	return fault.Reword(err, "The scoring round is closed: you can no longer recuse yourself.", ErrRoundClosed)
}

// Form is a sheet as posted: what was typed, the problems found in reading it (Parse) and the
// version of the sheet the page was loaded at.
type Form struct {
	Input
	Problems field.Errors
	Base     int
}

// ReadForm reads a posted sheet of category cat (get returns the value of a field).
func ReadForm(cat *edition.Category, get func(string) string) Form {
	in, errs := Parse(cat, get)
	base, _ := strconv.Atoi(get("version"))
	return Form{Input: in, Problems: errs, Base: base}
}

// Save saves f as actor's draft of the entry of place p, audited, and returns the sheet saved.
// DOMAIN.md "Round 2": drafts are kept as typed (the scores off the scale left out, f.Problems
// for the page to show) until the round closes. The store's refusals (Save: db.ErrNotFound,
// ErrRoundClosed, ErrNotDeclared, ErrSubmitted, db.ErrConflict when the sheet was saved since
// f.Base) come with the sheet as it stands.
func (s *Service) Save(ctx context.Context, actor authz.Actor, p Place, f Form) (Sheet, error) {
	sheet, err := s.save(ctx, actor, p, f, true)
	return sheet, sheetRefusal(err, false)
}

// Autosave is Save as the sheet's page does it while the evaluator types: not audited, since
// only the saves the evaluator asks for are on the record.
func (s *Service) Autosave(ctx context.Context, actor authz.Actor, p Place, f Form) (Sheet, error) {
	sheet, err := s.save(ctx, actor, p, f, false)
	return sheet, sheetRefusal(err, true)
}

// sheetRefusal words a refused change to a sheet for the evaluator (auto: an autosave, which
// stops): a closed round is final (403, nothing saved), as is a change outside the scoring
// window (403, windowRefusal's message); a sheet saved since the page was loaded
// is a conflict the evaluator resolves by saving again.
func sheetRefusal(err error, auto bool) error {
	if errors.Is(err, ErrOutsideWindow) {
		return err
	}
	if errors.Is(err, ErrRoundClosed) {
		return fault.Wrap(fault.Forbidden, "The scoring round is closed: the sheet can no longer change. Your changes were not saved.", err)
	}
	stale := i18n.M("This sheet was saved in another tab or window after you opened it, so your changes were not saved yet. Your entries are in the form below: save again to keep them.")
	if auto {
		stale = i18n.M("This sheet was saved in another tab or window. Autosave has stopped: press Save draft to keep your changes.")
	}
	return fault.Reword(err, stale, db.ErrConflict)
}

// standing returns actor's sheet of place p as it stands (zero when there is none) with refusal.
func (s *Service) standing(ctx context.Context, actor authz.Actor, p Place, refusal error) (Sheet, error) {
	sheet, err := SheetOf(ctx, s.Pool, actor.UserID, p.Entry.ID)
	if err != nil && !errors.Is(err, db.ErrNotFound) {
		return sheet, err
	}
	return sheet, refusal
}

func (s *Service) save(ctx context.Context, actor authz.Actor, p Place, f Form, audited bool) (Sheet, error) {
	if err := windowRefusal(p, s.Now()); err != nil {
		return s.standing(ctx, actor, p, err)
	}
	var sheet Sheet
	err := db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		var err error
		if sheet, err = Save(ctx, tx, actor.UserID, p.Entry.ID, p.Category, f.Base, f.Input, s.Now()); err != nil || !audited {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: "scoring.save", ObjectType: "score_sheet",
			ObjectID: strconv.FormatInt(sheet.ID, 10),
			Details:  map[string]any{"application": p.Entry.ID, "edition": p.Edition.ID, "version": sheet.Version, "scored": len(sheet.Scores)}})
	})
	return sheet, err
}

// Submit submits (or resubmits, revising it) actor's sheet of the entry of place p as posted in
// f, audited, and returns the sheet submitted. DOMAIN.md "Round 2": a sheet is submitted with
// every indicator scored on the category's scale and, when the edition requires it, a comment
// on every criterion; it may be revised and resubmitted until the round closes. When f breaks
// these rules the error holds the field.Errors to show; a draft then keeps what was typed (saved,
// unaudited, as Autosave does) while a submitted sheet stays as it was submitted, and the sheet
// returned is the one that stands. The store's refusals come as with Save (joined with the
// field.Errors when the draft could not be saved).
func (s *Service) Submit(ctx context.Context, actor authz.Actor, p Place, f Form) (Sheet, error) {
	if err := windowRefusal(p, s.Now()); err != nil {
		return s.standing(ctx, actor, p, err)
	}
	errs := f.Problems
	if !errs.Any() {
		errs = Validate(p.Category, f.Input, p.CommentsRequired())
	}
	if errs.Any() {
		if p.Entry.Status == Submitted {
			sheet, err := SheetOf(ctx, s.Pool, actor.UserID, p.Entry.ID)
			if err != nil {
				return Sheet{}, err
			}
			return sheet, errs
		}
		sheet, err := s.save(ctx, actor, p, f, false) // kept as typed, unaudited, as Autosave does
		if err != nil {
			return sheet, errors.Join(sheetRefusal(err, false), errs)
		}
		return sheet, errs
	}
	var sheet Sheet
	err := db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		var err error
		if sheet, err = Submit(ctx, tx, actor.UserID, p.Entry.ID, p.Category, f.Base, f.Input, s.Now()); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: "scoring.submit", ObjectType: "score_sheet",
			ObjectID: strconv.FormatInt(sheet.ID, 10),
			Details:  map[string]any{"application": p.Entry.ID, "edition": p.Edition.ID, "version": sheet.Version, "revised": p.Entry.Status == Submitted}})
	})
	return sheet, sheetRefusal(err, false)
}

// Report is one page of the progress of an edition's round 2: when the round closed (nil while
// it is open) and a page of the evaluators' completion or, ByEntry, of the entries' coverage.
type Report struct {
	ClosedAt *time.Time
	// ByEntry lists the entries; otherwise the evaluators, only those behind when Behind.
	// Round is where round 2 stands (edition.Round).
	Round      edition.Round
	ByEntry    bool
	Behind     bool
	Evaluators Page[EvaluatorProgress]
	Entries    Page[EntryProgress]
}

// Progress loads page page of the progress of edition ed's round 2 for actor, its secretariat
// or committee head (Evaluators and Entries repeat it in SQL: nothing for anyone else): by
// entry, or by evaluator (only those behind, BehindSQL, when behind).
func (s *Service) Progress(ctx context.Context, actor authz.Actor, ed *edition.Edition, byEntry, behind bool, page int) (Report, error) {
	rep := Report{ByEntry: byEntry, Behind: behind && !byEntry}
	closed, at, err := Closed(ctx, s.Pool, ed.ID)
	if err != nil {
		return Report{}, err
	}
	if closed {
		rep.ClosedAt = &at
	}
	rep.Round = ed.RoundsAt(s.Now(), edition.Closures{Scoring: rep.ClosedAt}).Scoring
	if byEntry {
		rep.Entries, err = Entries(ctx, s.Pool, actor.UserID, ed.ID, page)
	} else {
		rep.Evaluators, err = Evaluators(ctx, s.Pool, actor.UserID, ed.ID, rep.Behind, page)
	}
	if err != nil {
		return Report{}, err
	}
	return rep, nil
}

// Remind emails a reminder to each of the evaluators ids of edition ed (one page of the
// progress list at most: field.Errors on "ids" otherwise) who has unfinished sheets, for actor,
// its secretariat or committee head (Member repeats it in SQL); the others are skipped and
// counted. Each reminder is audited with its email, in one transaction.
func (s *Service) Remind(ctx context.Context, actor authz.Actor, ed *edition.Edition, ids []int64) (sent, skipped int, err error) {
	if len(ids) == 0 || len(ids) > PerPage {
		return 0, 0, field.Errors{{Field: "ids", Message: i18n.M("Select the evaluators to remind.")}}
	}
	err = db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		sent, skipped = 0, 0
		for _, id := range ids {
			p, err := Member(ctx, tx, actor.UserID, ed.ID, id)
			if errors.Is(err, db.ErrNotFound) || (err == nil && p.Unfinished() == 0) {
				skipped++
				continue
			}
			if err != nil {
				return err
			}
			if _, err := s.Outbox.Queue(ctx, tx, s.reminderEmail(ed, p.ID, p.Name, p.Email, p.Unfinished(), "")); err != nil {
				return err
			}
			if err := audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: "scoring.remind", ObjectType: "user",
				ObjectID: strconv.FormatInt(p.ID, 10), Details: map[string]any{"edition": ed.ID, "unfinished": p.Unfinished()}}); err != nil {
				return err
			}
			sent++
		}
		return nil
	})
	if err != nil {
		return 0, 0, err
	}
	return sent, skipped, nil
}

// SendReminders emails each evaluator with unfinished sheets three days and one day before the
// end of the scoring window (edition.Schedule.Scoring.End), each stage once per evaluator and
// edition: the audit entry (ReminderAction) recorded with the email is the record. Each reminder
// is claimed, audited and queued in its own transaction (usecase.EachInTx), so one failure does
// not hold up the others. Run periodically by the worker (ReminderTask).
func (s *Service) SendReminders(ctx context.Context) error {
	due, err := DueReminders(ctx, s.Pool, s.Now())
	if err != nil {
		return err
	}
	return usecase.EachInTx(ctx, s.Pool, due, func(tx pgx.Tx, d Due) error {
		ed, err := edition.ByID(ctx, s.Pool, d.EditionID)
		if err != nil {
			return err
		}
		when := "in three days"
		if d.Stage == Stage1Day {
			when = "within a day"
		}
		ok, err := ClaimReminder(ctx, tx, d)
		if err != nil || !ok {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Entry{ActorLabel: "system", Action: ReminderAction, ObjectType: "user",
			ObjectID: strconv.FormatInt(d.EvaluatorID, 10), Details: map[string]any{"edition": d.EditionID, "stage": d.Stage, "unfinished": d.Unfinished}}); err != nil {
			return err
		}
		_, err = s.Outbox.Queue(ctx, tx, s.reminderEmail(ed, d.EvaluatorID, d.Name, d.Email, d.Unfinished, when))
		return err
	})
}

// reminderEmail asks evaluator name to finish their unfinished sheets of ed; when names when
// ("in three days", "within a day") for an automatic reminder ("scoring-reminder" of the email
// registry), "" for one sent by the secretariat ("scoring-reminder-secretariat").
func (s *Service) reminderEmail(ed *edition.Edition, id int64, name, email string, unfinished int, when string) notify.Message {
	end := timefmt.End(ed.Schedule.Scoring.End, ed.TimeZone)
	values := wording.Values{wording.Name: name, wording.EditionName: ed.Name, wording.Deadline: end,
		wording.Sheets: numfmt.Count(unfinished, "score sheet", "score sheets"), wording.Entries: numfmt.Count(unfinished, "entry", "entries"),
		wording.Have: "have", wording.Link: s.Site.URL("/scoring")}
	if unfinished == 1 {
		values[wording.Have] = "has"
	}
	key, lead := "scoring-reminder-secretariat", "A reminder from the "+ed.Name+":"
	if when != "" {
		values[wording.EndsIn] = when
		key, lead = "scoring-reminder", "The scoring round of the "+ed.Name+" ends "+when+"."
	}
	m := emails.ActionMessage("scoring-reminder", email, name, "Reminder: "+values[wording.Sheets]+" to submit by "+end, id,
		emails.ActionEmail{Meta: s.Site.Meta(ed), Title: "Score sheets to finish", Greeting: "Dear " + name + ",",
			Paragraphs: []string{
				lead + " " + values[wording.Entries] + " assigned to you " + values[wording.Have] + " no submitted score sheet yet.",
				"Please score them and submit your sheets by " + end + ".",
			},
			ActionLabel: "Open your entries", ActionURL: values[wording.Link]})
	// the values as the reader's language shows them (English: the texts above)
	values[wording.Deadline] = i18n.End(ed.Schedule.Scoring.End, ed.TimeZone)
	values[wording.Sheets] = i18n.Msg("{{.Count}} score sheets", "Count", i18n.Number(unfinished))
	values[wording.Entries] = i18n.Msg("{{.Count}} entries", "Count", i18n.Number(unfinished))
	if unfinished == 1 {
		values[wording.Sheets] = i18n.Msg("{{.Count}} score sheet", "Count", i18n.Number(unfinished))
		values[wording.Entries] = i18n.Msg("{{.Count}} entry", "Count", i18n.Number(unfinished))
	}
	switch when {
	case "in three days":
		values[wording.EndsIn] = i18n.M("in three days")
	case "within a day":
		values[wording.EndsIn] = i18n.M("within a day")
	}
	m.Wording = s.Site.Wording(ed, key, values)
	return m
}

// Review is every sheet of an entry as its edition's committee head reads them once the round is
// closed, with the entry's title, edition and category.
type Review struct {
	Title    string
	Edition  *edition.Edition
	Category *edition.Category
	Sheets   []HeadSheet
}

// Review loads every sheet of entry app for actor, the committee head of its edition, once the
// round is closed (DOMAIN.md "Round 2": nobody sees another's scores while the round is open):
// db.ErrNotFound for anyone else, authz.ErrForbidden while the scores are sealed and
// ErrConflicted when the head is in conflict with the entry (no one judges an entry they are
// tied to). EntrySheets repeats the rules in SQL.
func (s *Service) Review(ctx context.Context, actor authz.Actor, app int64) (Review, error) {
	title, edID, catID, err := EntryTitle(ctx, s.Pool, app)
	if err != nil {
		return Review{}, err
	}
	if !actor.Has(authz.RoleCommitteeHead, edID) {
		return Review{}, db.ErrNotFound
	}
	closed, _, err := Closed(ctx, s.Pool, edID)
	if err != nil {
		return Review{}, err
	}
	if !closed {
		return Review{}, authz.ErrForbidden
	}
	conflicted, _, err := committee.Conflicted(ctx, s.Pool, actor.UserID, app)
	if err != nil {
		return Review{}, err
	}
	if conflicted {
		return Review{}, ErrConflicted
	}
	ed, cat, err := categoryOf(ctx, s.Pool, edID, catID)
	if err != nil {
		return Review{}, err
	}
	out := Review{Title: title, Edition: ed, Category: cat}
	if out.Sheets, err = EntrySheets(ctx, s.Pool, actor.UserID, app); err != nil {
		return Review{}, err
	}
	return out, nil
}
