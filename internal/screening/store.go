package screening

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/db"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
)

// Entry is one entry of the round as the queue lists it.
type Entry struct {
	ID         int64
	EditionID  int64
	UserID     int64  // the applicant's (or nominator's) account
	Kind       string // "project" or "nomination"
	CategoryID int64
	Category   string
	EntityType string
	// Country, City and Organisation are the participant's (entry_participants): the
	// applicant's, or a nomination's candidate's.
	Country string
	City    string
	// Applicant and Email are the account holder's: the applicant, or the nominator.
	Applicant string
	Email     string
	// Candidate and CandidateEmail are a nomination's candidate, "" for a project.
	Candidate      string
	CandidateEmail string
	Organisation   string
	Title          string
	SubmittedAt    time.Time
	Decision       Decision
	ReasonKey      string
	DecidedAt      *time.Time
	// ReviewPending says a second opinion was asked for and not given yet.
	ReviewPending bool
	// Flags are the kinds of the portal's flags on the entry (entry_flags), such as "conflict".
	Flags []string
	// Incomplete says the entry is a submitted nomination without a letter that counts or
	// enough endorsements (IncompleteSQL): it stays in the round and is decided like any entry,
	// "ineligible: incomplete" once the letters' deadline has passed.
	Incomplete bool
	// CoNominators are the nominators of the nominations merged into a nomination (Service.Merge),
	// by their account, oldest merge first.
	CoNominators []CoNominator
	// Merged is, on an addressee copy for a co-nominator (Addressees), their own nomination
	// merged into this one: the page they follow it on.
	Merged int64
}

// CoNominator is the nominator of a nomination merged into another, who is told its outcome as
// its nominator is.
type CoNominator struct {
	Nomination int64  `json:"nomination"` // theirs, merged
	UserID     int64  `json:"user_id"`
	Name       string `json:"name"`
	Email      string `json:"email"`
}

// Filter chooses and orders the entries of the queue. Category is required: the queue is per
// category.
type Filter struct {
	EditionID  int64
	CategoryID int64
	EntityType string // "" for any
	Country    string // ISO code, "" for any
	// Status is "" (any), "undecided", "eligible", "ineligible", "clarification", "review"
	// (a second opinion pending) or "overdue" (a clarification unanswered past its deadline at Now).
	Status string
	// Flag is "" (any), "flagged" (any flag) or a flag kind.
	Flag string
	// Sort is "submitted" (default, oldest first), "applicant" or "country".
	Sort string
	// Nominations says the category takes Leadership nominations: its entries are filtered and
	// sorted by their candidate's country and name (the candidate is the participant).
	Nominations bool
	Page        int
	// Now is the time the "overdue" status is judged at.
	Now time.Time
}

// PerPage is how many entries a queue page shows.
const PerPage = 50

// Queue is one page of the queue.
type Queue struct {
	Entries []Entry
	Total   int
	Page    int
	Pages   int
}

// staffFilter is the SQL form of authz.CanManageApplications on applications a.
const staffFilter = `EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = @staff
	AND g.role = 'secretariat' AND g.edition_id = a.edition_id)`

// entriesWhere selects the entries of the round: every submitted application, project or
// nomination. An incomplete nomination is an entry too (IncompleteSQL): round 1 decides every
// entry from its submission, and one still waiting for its letter gets an outcome.
const entriesWhere = `a.status = 'submitted'`

// The conditions on an application a that the queue filters by and the staff home counts with
// (internal/dashboard), so that a count and the list it links to agree: an entry of the round
// (EntriesSQL), not decided yet (UndecidedSQL), with a clarification still unanswered past its
// deadline at @now (OverdueSQL).
const (
	EntriesSQL   = entriesWhere
	UndecidedSQL = `NOT EXISTS (SELECT 1 FROM screening_decisions x WHERE x.application_id = a.id)`
	OverdueSQL   = `EXISTS (SELECT 1 FROM clarifications k WHERE k.application_id = a.id AND k.answered_at IS NULL AND k.deadline <= @now)`
	// IncompleteSQL: a nomination without the candidate's consent or without a letter that
	// counts or enough endorsements (nomination_complete, migration 00015).
	IncompleteSQL = `(a.kind = 'nomination' AND NOT nomination_complete(a.id))`
)

const queueFrom = `applications a JOIN users u ON u.id = a.user_id JOIN categories c ON c.id = a.category_id
	LEFT JOIN nominations n ON n.application_id = a.id
	LEFT JOIN screening_decisions d ON d.application_id = a.id`

// where is the WHERE clause of the queue for f: fixed fragments chosen in Go (never user text),
// so that each filter gives the planner a plain condition it can serve from an index.
func (f Filter) where() string {
	w := []string{`a.edition_id = @edition`, `a.category_id = @category`, entriesWhere, staffFilter}
	if f.EntityType != "" {
		w = append(w, `u.entity_type = @entity`)
	}
	if f.Country != "" {
		w = append(w, f.place().country+` = @country`)
	}
	switch f.Status {
	case "":
	case "undecided":
		w = append(w, UndecidedSQL)
	case "overdue":
		w = append(w, OverdueSQL)
	case "review":
		w = append(w, `d.review_requested_at IS NOT NULL AND d.reviewed_at IS NULL`)
	default:
		w = append(w, `d.decision = @status`)
	}
	switch f.Flag {
	case "":
	case "incomplete":
		w = append(w, IncompleteSQL)
	case "flagged":
		w = append(w, `(EXISTS (SELECT 1 FROM entry_flags f WHERE f.application_id = a.id) OR (a.kind = 'nomination' AND `+repeatedSQL+`))`)
	case FlagSameCandidate:
		w = append(w, `a.kind = 'nomination' AND `+repeatedSQL)
	default:
		w = append(w, `EXISTS (SELECT 1 FROM entry_flags f WHERE f.application_id = a.id AND f.kind = @flag)`)
	}
	return strings.Join(w, " AND ")
}

// entryColumns are an entry's columns for scanEntry. The participant's place and organisation are
// entry_participants' (a nomination's candidate's), written out on the tables the queue joins
// already, so that its filters and sorts stay on their indexes.
const entryColumns = `a.id, a.edition_id, a.user_id, a.kind, a.category_id, c.name, u.entity_type,
	coalesce(n.candidate_country, u.country), coalesce(n.candidate_city, u.city), u.name, u.email,
	coalesce(n.candidate_name, ''), coalesce(n.candidate_email, ''), coalesce(n.candidate_organisation, u.organisation),
	CASE WHEN a.kind = 'nomination' THEN 'Nomination of ' || n.candidate_name
	     ELSE coalesce(a.answers->'project_title'->>'text', '') END,
	a.submitted_at, coalesce(d.decision, ''), coalesce(d.reason_key, ''), d.decided_at,
	coalesce(d.review_requested_at IS NOT NULL AND d.reviewed_at IS NULL, false),
	ARRAY(SELECT f.kind FROM entry_flags f WHERE f.application_id = a.id
	      UNION SELECT '` + FlagSameCandidate + `' WHERE a.kind = 'nomination' AND ` + repeatedSQL + ` ORDER BY 1), ` + IncompleteSQL + `,
	coalesce(CASE WHEN a.kind = 'nomination' THEN (SELECT json_agg(json_build_object('nomination', m.id, 'user_id', m.user_id, 'name', mu.name, 'email', mu.email) ORDER BY m.merged_at, m.id)
	          FROM applications m JOIN users mu ON mu.id = m.user_id WHERE m.merged_into = a.id) END, '[]'::json)`

// repeatedSQL is true when nomination a names a candidate another submitted nomination of its
// edition names too (nomination_repeats).
const repeatedSQL = `EXISTS (SELECT 1 FROM nomination_repeats r WHERE r.application_id = a.id)`

func scanEntry(row pgx.Row) (Entry, error) {
	var (
		e        Entry
		decision string
	)
	err := row.Scan(&e.ID, &e.EditionID, &e.UserID, &e.Kind, &e.CategoryID, &e.Category, &e.EntityType, &e.Country, &e.City, &e.Applicant,
		&e.Email, &e.Candidate, &e.CandidateEmail, &e.Organisation, &e.Title, &e.SubmittedAt, &decision, &e.ReasonKey, &e.DecidedAt,
		&e.ReviewPending, &e.Flags, &e.Incomplete, &e.CoNominators)
	e.Decision = Decision(decision)
	return e, err
}

// collectEntry is scanEntry for pgx.CollectRows.
func collectEntry(row pgx.CollectableRow) (Entry, error) { return scanEntry(row) }

func (f Filter) args(staff int64) pgx.NamedArgs {
	return pgx.NamedArgs{"staff": staff, "edition": f.EditionID, "category": f.CategoryID, "entity": f.EntityType,
		"country": f.Country, "status": f.Status, "flag": f.Flag, "now": f.Now}
}

// orderBy is the ORDER BY of the queue's sort (always ending with the id, so pages are stable).
func (f Filter) orderBy() string {
	switch f.Sort {
	case "applicant":
		return `lower(` + f.place().name + `), a.id`
	case "country":
		return f.place().country + `, lower(` + f.place().name + `), a.id`
	}
	return `a.submitted_at, a.id`
}

// queuePlace names the columns of the participant's country and name in the queue's tables.
type queuePlace struct{ country, name string }

// place is where the entries of f's category keep their participant's country and name: the
// candidate's on the nomination in a Leadership category, the account's otherwise.
func (f Filter) place() queuePlace {
	if f.Nominations {
		return queuePlace{country: "n.candidate_country", name: "n.candidate_name"}
	}
	return queuePlace{country: "u.country", name: "u.name"}
}

// QueueQuery returns the SQL and arguments of a queue page, for EXPLAIN in tests.
func QueueQuery(staff int64, f Filter) (string, pgx.NamedArgs) {
	args := f.args(staff)
	args["limit"], args["offset"] = PerPage, (max(f.Page, 1)-1)*PerPage
	return `SELECT ` + entryColumns + ` FROM ` + queueFrom + ` WHERE ` + f.where() +
		` ORDER BY ` + f.orderBy() + ` LIMIT @limit OFFSET @offset`, args
}

// ListQueue returns a page of the queue for staff. Counting and paging run in SQL.
func ListQueue(ctx context.Context, q db.DBTX, staff int64, f Filter) (Queue, error) {
	f.Page = max(f.Page, 1)
	out := Queue{Page: f.Page}
	if err := q.QueryRow(ctx, `SELECT count(*) FROM `+queueFrom+` WHERE `+f.where(), f.args(staff)).Scan(&out.Total); err != nil {
		return Queue{}, fmt.Errorf("screening: queue: %w", err)
	}
	out.Pages = db.PageCount(out.Total, PerPage)
	sql, args := QueueQuery(staff, f)
	rows, err := q.Query(ctx, sql, args)
	if err != nil {
		return Queue{}, fmt.Errorf("screening: queue: %w", err)
	}
	if out.Entries, err = pgx.CollectRows(rows, collectEntry); err != nil {
		return Queue{}, fmt.Errorf("screening: queue: %w", err)
	}
	return out, nil
}

// Get returns entry id for staff; db.ErrNotFound when it is not an entry of the round of an
// edition staff serves.
func Get(ctx context.Context, q db.DBTX, staff, id int64) (Entry, error) {
	e, err := scanEntry(q.QueryRow(ctx, `SELECT `+entryColumns+` FROM `+queueFrom+`
		WHERE a.id = @id AND `+entriesWhere+` AND `+staffFilter, pgx.NamedArgs{"staff": staff, "id": id}))
	return db.One(e, err, "screening: get")
}

// incompleteUndecided lists the incomplete nominations of category categoryID of the edition
// without a final decision, for staff.
func incompleteUndecided(ctx context.Context, q db.DBTX, staff, editionID, categoryID int64) ([]int64, error) {
	return db.List(ctx, q, "screening: incomplete nominations", pgx.RowTo[int64], `
		SELECT a.id FROM applications a LEFT JOIN screening_decisions d ON d.application_id = a.id
		WHERE a.edition_id = @edition AND a.category_id = @category AND `+entriesWhere+` AND `+IncompleteSQL+`
		  AND `+staffFilter+` AND (d.decision IS NULL OR d.decision = 'clarification')
		ORDER BY a.id`, pgx.NamedArgs{"staff": staff, "edition": editionID, "category": categoryID})
}

// Record is the stored decision on an entry, with its second opinion.
type Record struct {
	Decision          Decision
	ReasonKey         string
	ReasonText        string
	Checklist         map[string]string
	DecidedBy         int64
	DecidedByName     string
	DecidedAt         time.Time
	Revision          int
	RevisionReason    string
	ReviewRequestedBy *int64
	ReviewRequestedAt *time.Time
	ReviewNote        string
	ReviewedBy        *int64
	ReviewedByName    string
	ReviewedAt        *time.Time
	ReviewOutcome     string
}

// DecisionOf returns the decision on entry id; db.ErrNotFound when there is none. The caller has
// checked access (Get).
func DecisionOf(ctx context.Context, q db.DBTX, id int64) (Record, error) {
	var (
		r        Record
		decision string
		reviewer *string
	)
	err := q.QueryRow(ctx, `
		SELECT d.decision, d.reason_key, d.reason_text, d.checklist, d.decided_by, u.name, d.decided_at, d.revision,
		       d.revision_reason, d.review_requested_by, d.review_requested_at, d.review_note, d.reviewed_by, r.name,
		       d.reviewed_at, d.review_outcome
		FROM screening_decisions d JOIN users u ON u.id = d.decided_by LEFT JOIN users r ON r.id = d.reviewed_by
		WHERE d.application_id = $1`, id).Scan(&decision, &r.ReasonKey, &r.ReasonText, &r.Checklist, &r.DecidedBy,
		&r.DecidedByName, &r.DecidedAt, &r.Revision, &r.RevisionReason, &r.ReviewRequestedBy, &r.ReviewRequestedAt,
		&r.ReviewNote, &r.ReviewedBy, &reviewer, &r.ReviewedAt, &r.ReviewOutcome)
	if err = db.Found(err, "screening: decision"); err != nil {
		return Record{}, err
	}
	r.Decision = Decision(decision)
	if reviewer != nil {
		r.ReviewedByName = *reviewer
	}
	return r, nil
}

// Input is a decision as the secretariat makes it.
type Input struct {
	Decision   Decision
	ReasonKey  string
	ReasonText string
	Checklist  map[string]string
	// RevisionReason explains a change of an earlier decision (required then).
	RevisionReason string
	// AskReview asks another secretariat member for a second opinion.
	AskReview  bool
	ReviewNote string
}

// Closed reports whether the round of the edition is closed.
func Closed(ctx context.Context, q db.DBTX, editionID int64) (bool, error) {
	var closed bool
	if err := q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM screening_rounds WHERE edition_id = $1)`, editionID).Scan(&closed); err != nil {
		return false, fmt.Errorf("screening: closed: %w", err)
	}
	return closed, nil
}

// Decide stores staff's decision on entry e (already loaded with Get) in tx. A decision that
// changes an earlier one keeps a new revision; the caller validated in (Validate). ErrRoundClosed
// once the round is closed.
func Decide(ctx context.Context, tx pgx.Tx, staff int64, e Entry, editionID int64, in Input, now time.Time) error {
	// Lock the round row's absence: closing takes the same lock.
	if err := lockRound(ctx, tx, editionID); err != nil {
		return err
	}
	if closed, err := Closed(ctx, tx, editionID); err != nil {
		return err
	} else if closed {
		return ErrRoundClosed
	}
	checklist := in.Checklist
	if checklist == nil {
		checklist = map[string]string{}
	}
	reason := in.ReasonKey
	if in.Decision != Ineligible {
		reason = ""
	}
	var reqBy *int64
	var reqAt *time.Time
	if in.AskReview {
		reqBy, reqAt = &staff, &now
	}
	_, err := tx.Exec(ctx, `
		INSERT INTO screening_decisions (application_id, decision, reason_key, reason_text, checklist, decided_by, decided_at,
		                                 review_requested_by, review_requested_at, review_note)
		VALUES (@id, @decision, @reason, @text, @checklist, @staff, @now, @reqBy, @reqAt, @note)
		ON CONFLICT (application_id) DO UPDATE SET decision = @decision, reason_key = @reason, reason_text = @text,
		       checklist = @checklist, decided_by = @staff, decided_at = @now,
		       revision = screening_decisions.revision + CASE WHEN screening_decisions.decision <> @decision
		                  OR screening_decisions.reason_key <> @reason THEN 1 ELSE 0 END,
		       revision_reason = @revision,
		       review_requested_by = @reqBy, review_requested_at = @reqAt, review_note = @note,
		       reviewed_by = NULL, reviewed_at = NULL, review_outcome = ''`,
		pgx.NamedArgs{"id": e.ID, "decision": string(in.Decision), "reason": reason, "text": strings.TrimSpace(in.ReasonText),
			"checklist": checklist, "staff": staff, "now": now, "reqBy": reqBy, "reqAt": reqAt,
			"note": strings.TrimSpace(in.ReviewNote), "revision": strings.TrimSpace(in.RevisionReason)})
	if err != nil {
		return fmt.Errorf("screening: decide: %w", err)
	}
	return nil
}

// Review records a second opinion by staff on entry id: agree or disagree, with a note. The
// member who asked for it cannot give it (db.ErrConflict), nor can anyone when none was asked.
func Review(ctx context.Context, tx pgx.Tx, staff, id int64, agree bool, note string, now time.Time) error {
	outcome := "disagree"
	if agree {
		outcome = "agree"
	}
	tag, err := tx.Exec(ctx, `
		UPDATE screening_decisions SET reviewed_by = $2, reviewed_at = $3, review_outcome = $4,
		       review_note = CASE WHEN $5 = '' THEN review_note ELSE review_note || E'\n' || $5 END
		WHERE application_id = $1 AND review_requested_at IS NOT NULL AND reviewed_at IS NULL
		  AND review_requested_by <> $2`, id, staff, now, outcome, strings.TrimSpace(note))
	if err != nil {
		return fmt.Errorf("screening: review: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return db.ErrConflict
	}
	return nil
}

// AskReview asks for a second opinion on the decision on entry id (db.ErrNotFound when there
// is no decision). The caller has checked access (Get).
func AskReview(ctx context.Context, tx pgx.Tx, staff, id int64, note string, now time.Time) error {
	tag, err := tx.Exec(ctx, `
		UPDATE screening_decisions SET review_requested_by = $2, review_requested_at = $3, review_note = $4,
		       reviewed_by = NULL, reviewed_at = NULL, review_outcome = ''
		WHERE application_id = $1`, id, staff, now, strings.TrimSpace(note))
	if err != nil {
		return fmt.Errorf("screening: ask review: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return db.ErrNotFound
	}
	return nil
}

// Count is the number of entries of one category with one decision.
type Count struct {
	CategoryID int64
	Category   string
	Decision   Decision
	Entries    int
}

// Summary counts the entries of the edition per category and decision, for staff.
func Summary(ctx context.Context, q db.DBTX, staff, editionID int64) ([]Count, error) {
	return db.List(ctx, q, "screening: summary", func(row pgx.CollectableRow) (Count, error) {
		var c Count
		err := row.Scan(&c.CategoryID, &c.Category, &c.Decision, &c.Entries)
		return c, err
	}, `
		SELECT c.id, c.name, coalesce(d.decision, ''), count(*)
		FROM applications a JOIN categories c ON c.id = a.category_id
		LEFT JOIN screening_decisions d ON d.application_id = a.id
		WHERE a.edition_id = @edition AND `+entriesWhere+` AND `+staffFilter+`
		GROUP BY c.id, c.name, c.position, coalesce(d.decision, '')
		ORDER BY c.position, c.id, coalesce(d.decision, '')`, pgx.NamedArgs{"staff": staff, "edition": editionID})
}

// Close records the round of editionID closed by staff at now and returns every entry with its
// decision, for the caller to notify the applicants; ErrRoundClosed when it is closed already.
// The caller checked that nothing is pending (PendingAt) under the round's lock, which Close
// takes too.
func Close(ctx context.Context, tx pgx.Tx, staff, editionID int64, now time.Time) ([]Entry, error) {
	if err := lockRound(ctx, tx, editionID); err != nil {
		return nil, err
	}
	if closed, err := Closed(ctx, tx, editionID); err != nil {
		return nil, err
	} else if closed {
		return nil, ErrRoundClosed
	}
	if _, err := tx.Exec(ctx, `INSERT INTO screening_rounds (edition_id, closed_at, closed_by) VALUES ($1, $2, $3)`,
		editionID, now, staff); err != nil {
		return nil, fmt.Errorf("screening: close: %w", err)
	}
	return db.List(ctx, tx, "screening: close", collectEntry, `SELECT `+entryColumns+` FROM `+queueFrom+`
		WHERE a.edition_id = @edition AND `+entriesWhere+` AND `+staffFilter+`
		ORDER BY a.id`, pgx.NamedArgs{"staff": staff, "edition": editionID})
}

// Outcome returns the round-1 outcome of application id for its applicant: whether it was found
// eligible, once the round of its edition is closed (decisions may change until then); nil
// before. The applicant's status timeline reveals it from the end of the screening window.
func Outcome(ctx context.Context, q db.DBTX, id int64) (*bool, error) {
	var decision *string
	err := q.QueryRow(ctx, `
		SELECT d.decision FROM applications a
		JOIN screening_rounds r ON r.edition_id = a.edition_id
		JOIN screening_decisions d ON d.application_id = a.id
		WHERE a.id = $1`, id).Scan(&decision)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("screening: outcome: %w", err)
	}
	eligible := *decision == string(Eligible)
	return &eligible, nil
}

// Pending is what still keeps round 1 of an edition from closing at an instant (DOMAIN.md
// "Round 1", "Schedule"; the phase model, edition.Round): the dates still ahead that could
// bring or complete entries, and the entries without a final decision.
type Pending struct {
	// Deadline is the end of the applications with their grace period (the round's
	// ClosableFrom) while it is ahead; zero once passed.
	Deadline time.Time
	// Extensions counts the deadline extensions still running; ExtendedUntil is the last one's end.
	Extensions    int
	ExtendedUntil time.Time
	// LettersDue is the latest deadline for letters of recommendation and endorsements still
	// ahead; zero once every category's has passed.
	LettersDue time.Time
	// Undecided counts the entries without a decision, Clarification those waiting for a
	// clarification; Incomplete the incomplete nominations among both.
	Undecided, Clarification, Incomplete int
}

// Any reports whether anything keeps the round from closing.
func (p Pending) Any() bool {
	return !p.Deadline.IsZero() || p.Extensions > 0 || !p.LettersDue.IsZero() || p.Undecided > 0 || p.Clarification > 0
}

// From is the earliest instant the dates allow the round to close: the last of the deadline,
// the extensions and the letters' deadline still ahead (zero when none is).
func (p Pending) From() time.Time {
	var at time.Time
	for _, t := range []time.Time{p.Deadline, p.ExtendedUntil, p.LettersDue} {
		if t.After(at) {
			at = t
		}
	}
	return at
}

// Text says exactly what is still open, with counts and dates in loc, and from when the round
// can close (the refusal to close).
func (p Pending) Text(loc *time.Location) string { return i18n.English(p.Message(loc)) }

// Message is Text carried for the reader's language (i18n.Msg), each part a whole clause.
func (p Pending) Message(loc *time.Location) string {
	var open []string
	if !p.Deadline.IsZero() {
		open = append(open, i18n.Msg("applications are accepted until {{.When}} (the deadline and its grace period)", "When", i18n.End(p.Deadline, loc)))
	}
	if p.Extensions == 1 {
		open = append(open, i18n.Msg("1 deadline extension runs until {{.When}}", "When", i18n.End(p.ExtendedUntil, loc)))
	} else if p.Extensions > 1 {
		open = append(open, i18n.Msg("{{.Count}} deadline extensions run until {{.When}}", "Count", p.Extensions, "When", i18n.End(p.ExtendedUntil, loc)))
	}
	if !p.LettersDue.IsZero() {
		open = append(open, i18n.Msg("letters of recommendation and endorsements are accepted until {{.When}}", "When", i18n.End(p.LettersDue, loc)))
	}
	if p.Undecided > 0 || p.Clarification > 0 {
		var parts []string
		if p.Undecided == 1 {
			parts = append(parts, i18n.Msg("1 entry has no decision", "Count", 1))
		} else if p.Undecided > 1 {
			parts = append(parts, i18n.Msg("{{.Count}} entries have no decision", "Count", p.Undecided))
		}
		if p.Clarification == 1 {
			parts = append(parts, i18n.Msg("1 entry waits for a clarification", "Count", 1))
		} else if p.Clarification > 1 {
			parts = append(parts, i18n.Msg("{{.Count}} entries wait for a clarification", "Count", p.Clarification))
		}
		s := parts[0]
		if len(parts) == 2 {
			s = i18n.Msg("{{.First}} and {{.Second}}", "First", parts[0], "Second", parts[1])
		}
		if p.Incomplete == 1 {
			s = i18n.Msg("{{.Entries}} (1 of them is an incomplete nomination, to be decided \"ineligible: incomplete\" once the letters' deadline has passed)", "Entries", s)
		} else if p.Incomplete > 1 {
			s = i18n.Msg("{{.Entries}} ({{.Count}} of them are incomplete nominations, to be decided \"ineligible: incomplete\" once the letters' deadline has passed)",
				"Entries", s, "Count", p.Incomplete)
		}
		open = append(open, s)
	}
	list := open[0]
	for _, o := range open[1:] {
		list = i18n.Msg("{{.First}}; {{.Next}}", "First", list, "Next", o)
	}
	if at := p.From(); !at.IsZero() {
		return i18n.Msg("The round cannot close yet: {{.Open}}. It can close from {{.When}}, once every entry has a final decision (eligible or ineligible).",
			"Open", list, "When", i18n.End(at, loc))
	}
	return i18n.Msg("The round cannot close yet: {{.Open}}. Every entry needs a final decision (eligible or ineligible) first.", "Open", list)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// PendingAt is what keeps round 1 of ed from closing at now, for staff (the SQL filter is the
// secretariat of ed): the round's ClosableFrom (edition.Round, the application deadline and its
// grace period), every extension granted in the edition, every category's letters' deadline, and
// every entry's decision, incomplete nominations included.
func PendingAt(ctx context.Context, q db.DBTX, staff int64, ed *edition.Edition, round edition.Round, now time.Time) (Pending, error) {
	var p Pending
	if now.Before(round.ClosableFrom) {
		p.Deadline = round.ClosableFrom
	}
	for _, c := range ed.Categories {
		if c.Nominations != nil && now.Before(c.Nominations.LetterDeadline) && c.Nominations.LetterDeadline.After(p.LettersDue) {
			p.LettersDue = c.Nominations.LetterDeadline
		}
	}
	var until *time.Time
	args := pgx.NamedArgs{"staff": staff, "edition": ed.ID, "now": now}
	err := q.QueryRow(ctx, `
		SELECT count(*), max(x.until) FROM application_extensions x JOIN applications a ON a.id = x.application_id
		WHERE a.edition_id = @edition AND x.until > @now AND `+staffFilter, args).Scan(&p.Extensions, &until)
	if err != nil {
		return Pending{}, fmt.Errorf("screening: pending: %w", err)
	}
	if until != nil {
		p.ExtendedUntil = *until
	}
	err = q.QueryRow(ctx, `
		SELECT count(*) FILTER (WHERE d.decision IS NULL), count(*) FILTER (WHERE d.decision = 'clarification'),
		       count(*) FILTER (WHERE `+IncompleteSQL+`)
		FROM applications a LEFT JOIN screening_decisions d ON d.application_id = a.id
		WHERE a.edition_id = @edition AND `+entriesWhere+` AND `+staffFilter+`
		  AND (d.decision IS NULL OR d.decision = 'clarification')`, args).Scan(&p.Undecided, &p.Clarification, &p.Incomplete)
	if err != nil {
		return Pending{}, fmt.Errorf("screening: pending: %w", err)
	}
	return p, nil
}

// lockRound takes the round's lock of editionID for tx: deciding and closing take it, so that
// no decision changes while the round closes.
func lockRound(ctx context.Context, tx pgx.Tx, editionID int64) error {
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('screening-round'), $1::int)`, editionID); err != nil {
		return fmt.Errorf("screening: lock round: %w", err)
	}
	return nil
}
