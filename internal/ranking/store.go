package ranking

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/db"
	"prizeportal/internal/deputy"
)

// Errors of the round's state machine (DOMAIN.md "Round 2"), each with the message the user
// sees (409); a use case words a shared one its own way (fault.Reword), naming the category
// where the text needs it.
var (
	ErrClosed      = fault.New(fault.Conflict, "The round is already closed.")
	ErrOpen        = fault.New(fault.Conflict, "Close the round first.")
	ErrMethodUnset = fault.New(fault.Conflict, "Choose the aggregation method before closing the round: it is recorded before anyone sees a score.")
	ErrConfirmed   = fault.New(fault.Conflict, "The list is confirmed: it can no longer change.")
	ErrTooEarly    = fault.New(fault.Conflict, "Round 2 cannot close before the end of its scoring window unless every sheet is submitted.")
	ErrNotProposed = fault.New(fault.Conflict, "Propose the semi-finalists first.")
	ErrTiePending  = fault.New(fault.Conflict, "The list cannot be confirmed yet: decide the tie at the cut first.")
	ErrNotTied     = fault.New(fault.Conflict, "That entry is not one of the entries tied at the cut.")
	ErrNoSeat      = fault.New(fault.Conflict, "The tie at the cut is already decided.")
	ErrNotEntry    = fault.New(fault.Conflict, "That entry is not a round-2 entry of the category.")
	ErrAlready     = fault.New(fault.Conflict, "That entry is already a semi-finalist.")
)

// lockRound returns the round's state with its row locked for the transaction (creating the
// row with the default method when missing).
func lockRound(ctx context.Context, tx pgx.Tx, editionID int64) (State, error) {
	if _, err := tx.Exec(ctx, `INSERT INTO scoring_rounds (edition_id) VALUES ($1) ON CONFLICT (edition_id) DO NOTHING`, editionID); err != nil {
		return State{}, fmt.Errorf("ranking: lock: %w", err)
	}
	if _, err := tx.Exec(ctx, `SELECT 1 FROM scoring_rounds WHERE edition_id = $1 FOR UPDATE`, editionID); err != nil {
		return State{}, fmt.Errorf("ranking: lock: %w", err)
	}
	return Round(ctx, tx, editionID)
}

// SetMethod records the aggregation method chosen by the head, before the scores are unsealed
// (DOMAIN.md "Round 2"). It returns the method in force before; ErrClosed once the round is closed.
func SetMethod(ctx context.Context, tx pgx.Tx, editionID int64, m Method, actor int64, now time.Time) (Method, error) {
	if !m.Valid() {
		return "", fmt.Errorf("ranking: method %q: %w", m, db.ErrConflict)
	}
	st, err := lockRound(ctx, tx, editionID)
	if err != nil {
		return "", err
	}
	if st.Closed() {
		return st.Method, ErrClosed
	}
	if _, err := tx.Exec(ctx, `UPDATE scoring_rounds SET method = $2, method_set_by = $3, method_set_at = $4 WHERE edition_id = $1`,
		editionID, string(m), actor, now); err != nil {
		return st.Method, fmt.Errorf("ranking: set method: %w", err)
	}
	return st.Method, nil
}

// Close closes round 2, which unseals the scores: refused (ErrMethodUnset) until the head has
// chosen the method explicitly, so the choice is always on the record before anyone sees a score.
func Close(ctx context.Context, tx pgx.Tx, editionID, actor int64, now time.Time) (State, error) {
	st, err := lockRound(ctx, tx, editionID)
	if err != nil {
		return st, err
	}
	switch {
	case st.Closed():
		return st, ErrClosed
	case !st.MethodSet:
		return st, ErrMethodUnset
	}
	if _, err := tx.Exec(ctx, `UPDATE scoring_rounds SET closed_at = $2, closed_by = $3 WHERE edition_id = $1`, editionID, now, actor); err != nil {
		return st, fmt.Errorf("ranking: close: %w", err)
	}
	st.ClosedAt, st.ClosedBy = &now, actor
	return st, nil
}

// Progress counts a category's round-2 work without revealing a score (what the sealed ranking
// page shows).
type Progress struct {
	CategoryID int64
	Entries    int // round-2 entries
	Scored     int // entries with at least one submitted sheet
	Submitted  int // submitted sheets
	Drafts     int // sheets still in draft
	Assigned   int // active assignments
	Missing    int // active assignments whose sheet is not submitted
}

// ProgressOf counts the round-2 work of every category of edition editionID, in SQL.
func ProgressOf(ctx context.Context, q db.DBTX, editionID int64) ([]Progress, error) {
	return db.List(ctx, q, "ranking: progress", func(r pgx.CollectableRow) (Progress, error) {
		var p Progress
		err := r.Scan(&p.CategoryID, &p.Entries, &p.Scored, &p.Submitted, &p.Drafts, &p.Assigned, &p.Missing)
		return p, err
	}, `
		SELECT c.id,
		       (SELECT count(*) FROM round2_entries e WHERE e.category_id = c.id AND e.edition_id = $1)::int,
		       (SELECT count(DISTINCT s.application_id) FROM score_sheets s JOIN round2_entries e ON e.application_id = s.application_id
		         WHERE e.category_id = c.id AND e.edition_id = $1 AND s.status = 'submitted')::int,
		       (SELECT count(*) FROM score_sheets s JOIN round2_entries e ON e.application_id = s.application_id
		         WHERE e.category_id = c.id AND e.edition_id = $1 AND s.status = 'submitted')::int,
		       (SELECT count(*) FROM score_sheets s JOIN round2_entries e ON e.application_id = s.application_id
		         WHERE e.category_id = c.id AND e.edition_id = $1 AND s.status = 'draft')::int,
		       (SELECT count(*) FROM assignments a JOIN round2_entries e ON e.application_id = a.application_id
		         WHERE e.category_id = c.id AND e.edition_id = $1 AND a.ended_at IS NULL)::int,
		       (SELECT count(*) FROM assignments a JOIN round2_entries e ON e.application_id = a.application_id
		         WHERE e.category_id = c.id AND e.edition_id = $1 AND a.ended_at IS NULL AND NOT EXISTS (
		           SELECT 1 FROM score_sheets s WHERE s.application_id = a.application_id AND s.evaluator_id = a.evaluator_id
		             AND s.status = 'submitted'))::int
		FROM categories c WHERE c.edition_id = $1 ORDER BY c.position, c.id`, editionID)
}

// Sources of a semi-finalist (semi_finalists.source).
const (
	SourceRanking  = "ranking"  // in the top N by the chosen method
	SourceTie      = "tie"      // chosen by the head among entries tied at the cut
	SourceAddition = "addition" // added by the organisers by exception, with a reason
)

// SemiFinalist is one entry of a category's list.
type SemiFinalist struct {
	ApplicationID int64
	CategoryID    int64
	Source        string
	Rank          int // 0 for an addition
	Reason        string
	AddedBy       string // name; "" for the automatic proposal
	AddedByID     int64
	AddedAt       time.Time
	Kind          string
	Title         string
	Organisation  string
	City          string
	Country       string
}

// List is the semi-finalist list of a category.
type List struct {
	CategoryID    int64
	Entries       []SemiFinalist // by source (ranking, tie, addition), rank, title
	ConfirmedAt   *time.Time
	ConfirmedBy   string
	ConfirmedByID int64
}

// Confirmed reports whether the head confirmed the list.
func (l *List) Confirmed() bool { return l != nil && l.ConfirmedAt != nil }

// TieDecisions counts the entries chosen to settle a tie at the cut.
func (l *List) TieDecisions() int {
	n := 0
	for _, e := range l.Entries {
		if e.Source == SourceTie {
			n++
		}
	}
	return n
}

// Has reports whether application id is on the list.
func (l *List) Has(id int64) bool {
	return slices.ContainsFunc(l.Entries, func(e SemiFinalist) bool { return e.ApplicationID == id })
}

// Lists returns the semi-finalist list of every category of edition editionID that has one
// (entries or a confirmation), by category id. With confirmedOnly, only the confirmed lists.
func Lists(ctx context.Context, q db.DBTX, editionID int64, confirmedOnly bool) (map[int64]*List, error) {
	return lists(ctx, q, editionID, confirmedOnly, "")
}

// PublicLists are the confirmed lists of edition editionID as the public page shows them: none
// when the edition does not publish them (its publication settings, read again in SQL).
func PublicLists(ctx context.Context, q db.DBTX, editionID int64) (map[int64]*List, error) {
	return lists(ctx, q, editionID, true, ` AND EXISTS (SELECT 1 FROM editions e WHERE e.id = l.edition_id AND e.semi_finalists_public)`)
}

// lists reads the lists of Lists, listCond (a fixed piece of SQL on semi_finalist_lists l)
// limiting the confirmed ones; an entry without a list row is then left out with confirmedOnly.
func lists(ctx context.Context, q db.DBTX, editionID int64, confirmedOnly bool, listCond string) (map[int64]*List, error) {
	out := map[int64]*List{}
	rows, err := q.Query(ctx, `
		SELECT l.category_id, l.confirmed_at, u.name, u.id
		FROM semi_finalist_lists l JOIN users u ON u.id = l.confirmed_by WHERE l.edition_id = $1`+listCond, editionID)
	if err != nil {
		return nil, fmt.Errorf("ranking: lists: %w", err)
	}
	for rows.Next() {
		l := &List{}
		var at time.Time
		if err := rows.Scan(&l.CategoryID, &at, &l.ConfirmedBy, &l.ConfirmedByID); err != nil {
			rows.Close()
			return nil, fmt.Errorf("ranking: lists: %w", err)
		}
		l.ConfirmedAt = &at
		out[l.CategoryID] = l
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("ranking: lists: %w", err)
	}
	sfs, err := db.List(ctx, q, "ranking: lists", func(r pgx.CollectableRow) (SemiFinalist, error) {
		var e SemiFinalist
		err := r.Scan(&e.ApplicationID, &e.CategoryID, &e.Source, &e.Rank, &e.Reason, &e.AddedBy, &e.AddedByID, &e.AddedAt, &e.Kind,
			&e.Title, &e.Organisation, &e.City, &e.Country)
		return e, err
	}, `
		SELECT s.application_id, s.category_id, s.source, coalesce(s.rank, 0), s.reason, coalesce(u.name, ''), coalesce(s.added_by, 0), s.added_at, a.kind,
		       CASE WHEN a.kind = 'nomination' THEN 'Nomination of ' || coalesce(n.candidate_name, '')
		            ELSE coalesce(a.answers -> 'project_title' ->> 'text', '') END,
		       p.organisation, p.city, p.country
		FROM semi_finalists s
		JOIN applications a ON a.id = s.application_id
		JOIN entry_participants p ON p.application_id = a.id
		LEFT JOIN nominations n ON n.application_id = a.id
		LEFT JOIN users u ON u.id = s.added_by
		WHERE s.edition_id = $1
		ORDER BY s.category_id, array_position(ARRAY['ranking', 'tie', 'addition'], s.source), s.rank NULLS LAST, 9, s.application_id`, editionID)
	if err != nil {
		return nil, err
	}
	for _, e := range sfs {
		l := out[e.CategoryID]
		if l == nil {
			l = &List{CategoryID: e.CategoryID}
			out[e.CategoryID] = l
		}
		l.Entries = append(l.Entries, e)
	}
	if confirmedOnly {
		for id, l := range out {
			if !l.Confirmed() {
				delete(out, id)
			}
		}
	}
	return out, nil
}

// categoryList locks nothing but reads one category's list inside tx.
func categoryList(ctx context.Context, tx pgx.Tx, editionID, categoryID int64) (*List, error) {
	lists, err := Lists(ctx, tx, editionID, false)
	if err != nil {
		return nil, err
	}
	if l := lists[categoryID]; l != nil {
		return l, nil
	}
	return &List{CategoryID: categoryID}, nil
}

// closedRound locks the round and checks it is closed.
func closedRound(ctx context.Context, tx pgx.Tx, editionID int64) error {
	st, err := lockRound(ctx, tx, editionID)
	if err != nil {
		return err
	}
	if !st.Closed() {
		return ErrOpen
	}
	return nil
}

// openList locks the round of editionID, checks it is closed (ErrOpen) and reads the list of
// category categoryID, which must not be confirmed yet (ErrConfirmed, with the list): the
// common start of a change to a list.
func openList(ctx context.Context, tx pgx.Tx, editionID, categoryID int64) (*List, error) {
	if err := closedRound(ctx, tx, editionID); err != nil {
		return nil, err
	}
	l, err := categoryList(ctx, tx, editionID, categoryID)
	if err != nil {
		return nil, err
	}
	if l.Confirmed() {
		return l, ErrConfirmed
	}
	return l, nil
}

// categoryResult is the ranking of category categoryID computed inside tx (db.ErrNotFound when
// the edition has no such category).
func categoryResult(ctx context.Context, tx pgx.Tx, editionID, categoryID int64) (*Category, error) {
	res, err := Compute(ctx, tx, editionID)
	if err != nil {
		return nil, err
	}
	c := res.Category(categoryID)
	if c == nil {
		return nil, db.ErrNotFound
	}
	return c, nil
}

// Propose fills the semi-finalist list of every category not yet confirmed that actor decides
// for (deputy.Decided: the head, or the deputy head where the head is conflicted with an entry
// of it) with its top N by the chosen method (source ranking, with the rank), after the round
// is closed. Entries tied at the
// cut are left out: the head decides among them (DecideTie). Proposing again replaces the
// ranking rows and keeps tie decisions and additions. It returns the ranking it used and the
// number of entries proposed.
func Propose(ctx context.Context, tx pgx.Tx, editionID, actor int64, now time.Time) (Result, int, error) {
	if err := closedRound(ctx, tx, editionID); err != nil {
		return Result{}, 0, err
	}
	res, err := Compute(ctx, tx, editionID)
	if err != nil {
		return res, 0, err
	}
	lists, err := Lists(ctx, tx, editionID, false)
	if err != nil {
		return res, 0, err
	}
	decides, err := deputy.Decided(ctx, tx, editionID, authz.PostHead, actor)
	if err != nil {
		return res, 0, err
	}
	total := 0
	for _, c := range res.Categories {
		if lists[c.ID].Confirmed() || !slices.Contains(decides, c.ID) {
			continue
		}
		if _, err := tx.Exec(ctx, `DELETE FROM semi_finalists WHERE edition_id = $1 AND category_id = $2 AND source = 'ranking'`, editionID, c.ID); err != nil {
			return res, 0, fmt.Errorf("ranking: propose: %w", err)
		}
		for _, e := range c.Entries {
			rank := e.By[res.Method].Rank
			if rank > c.SemiFinalists || (c.Tie != nil && rank == c.Tie.Rank) {
				continue
			}
			tag, err := tx.Exec(ctx, `INSERT INTO semi_finalists (application_id, edition_id, category_id, source, rank, added_by, added_at)
				VALUES ($1, $2, $3, 'ranking', $4, $5, $6) ON CONFLICT (application_id) DO NOTHING`,
				e.ApplicationID, editionID, c.ID, rank, actor, now)
			if err != nil {
				return res, 0, fmt.Errorf("ranking: propose: %w", err)
			}
			total += int(tag.RowsAffected())
		}
	}
	return res, total, nil
}

// DecideTie records the head's choice of appID among the entries tied at the cut of category
// categoryID, with a reason (source tie). Refused when the entry is not tied (ErrNotTied), every
// seat of the tie is taken (ErrNoSeat), or the list is confirmed.
func DecideTie(ctx context.Context, tx pgx.Tx, editionID, categoryID, appID int64, reason string, actor int64, now time.Time) (*Tie, error) {
	l, err := openList(ctx, tx, editionID, categoryID)
	if err != nil {
		return nil, err
	}
	c, err := categoryResult(ctx, tx, editionID, categoryID)
	if err != nil {
		return nil, err
	}
	if c.Tie == nil || !slices.Contains(c.Tie.Entries, appID) {
		return c.Tie, ErrNotTied
	}
	if l.TieDecisions() >= c.Tie.Seats {
		return c.Tie, ErrNoSeat
	}
	if err := insertChosen(ctx, tx, appID, editionID, categoryID, SourceTie, &c.Tie.Rank, reason, actor, now); err != nil {
		return c.Tie, err
	}
	return c.Tie, nil
}

// Add adds appID, a round-2 entry of category categoryID, to the list by exception (the
// guidelines' exception, DOMAIN.md "Round 2"), with the organisers' reason (source addition).
func Add(ctx context.Context, tx pgx.Tx, editionID, categoryID, appID int64, reason string, actor int64, now time.Time) error {
	if _, err := openList(ctx, tx, editionID, categoryID); err != nil {
		return err
	}
	var ok bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM round2_entries WHERE application_id = $1 AND edition_id = $2 AND category_id = $3)`,
		appID, editionID, categoryID).Scan(&ok); err != nil {
		return fmt.Errorf("ranking: add: %w", err)
	}
	if !ok {
		return ErrNotEntry
	}
	return insertChosen(ctx, tx, appID, editionID, categoryID, SourceAddition, nil, reason, actor, now)
}

func insertChosen(ctx context.Context, tx pgx.Tx, appID, editionID, categoryID int64, source string, rank *int, reason string, actor int64, now time.Time) error {
	_, err := tx.Exec(ctx, `INSERT INTO semi_finalists (application_id, edition_id, category_id, source, rank, reason, added_by, added_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, appID, editionID, categoryID, source, rank, reason, actor, now)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return ErrAlready
	}
	if err != nil {
		return fmt.Errorf("ranking: %s: %w", source, err)
	}
	return nil
}

// Confirm records the head's confirmation of category categoryID's list: refused before a
// proposal (ErrNotProposed), while a tie at the cut is undecided (ErrTiePending), or twice. It
// returns the confirmed list.
func Confirm(ctx context.Context, tx pgx.Tx, editionID, categoryID, actor int64, now time.Time) (*List, error) {
	l, err := openList(ctx, tx, editionID, categoryID)
	if err != nil {
		return l, err
	}
	c, err := categoryResult(ctx, tx, editionID, categoryID)
	if err != nil {
		return nil, err
	}
	if len(l.Entries) == 0 {
		return l, ErrNotProposed
	}
	if c.Tie != nil && l.TieDecisions() < c.Tie.Seats {
		return l, ErrTiePending
	}
	if _, err := tx.Exec(ctx, `INSERT INTO semi_finalist_lists (edition_id, category_id, confirmed_by, confirmed_at) VALUES ($1, $2, $3, $4)`,
		editionID, categoryID, actor, now); err != nil {
		return l, fmt.Errorf("ranking: confirm: %w", err)
	}
	return categoryList(ctx, tx, editionID, categoryID)
}

// Recipient is who is told about a round-2 entry in the announcement emails: its account, or a
// nomination's candidate (UserID 0; entry_addressees).
type Recipient struct {
	ApplicationID int64
	UserID        int64
	Name          string
	Email         string
	Kind          string
	Title         string
	SemiFinalist  bool
}

// Recipients lists every round-2 entry of a category with its account, then a nomination's
// candidate (the candidate is the participant; the nominator's account gets the copy), and
// whether it is on the category's semi-finalist list.
func Recipients(ctx context.Context, q db.DBTX, editionID, categoryID int64) ([]Recipient, error) {
	return db.List(ctx, q, "ranking: recipients", func(r pgx.CollectableRow) (Recipient, error) {
		var x Recipient
		err := r.Scan(&x.ApplicationID, &x.UserID, &x.Name, &x.Email, &x.Kind, &x.Title, &x.SemiFinalist)
		return x, err
	}, `
		SELECT a.id, coalesce(r.user_id, 0), r.name, r.email, a.kind,
		       CASE WHEN a.kind = 'nomination' THEN 'Nomination of ' || coalesce(n.candidate_name, '')
		            ELSE coalesce(a.answers -> 'project_title' ->> 'text', '') END,
		       EXISTS (SELECT 1 FROM semi_finalists s WHERE s.application_id = a.id)
		FROM round2_entries e
		JOIN applications a ON a.id = e.application_id
		JOIN entry_addressees r ON r.application_id = a.id
		LEFT JOIN nominations n ON n.application_id = a.id
		WHERE e.edition_id = $1 AND e.category_id = $2
		ORDER BY a.id, r.candidate`, editionID, categoryID)
}

// Outcome tells whether application appID is a semi-finalist: nil while it is unknown (not a
// round-2 entry, or its category's list not confirmed yet), else true or false. The caller shows
// it to the applicant only from the announcement (edition.Schedule.SemiFinalistsAnnounced).
func Outcome(ctx context.Context, q db.DBTX, appID int64) (*bool, error) {
	var semi bool
	err := q.QueryRow(ctx, `
		SELECT EXISTS (SELECT 1 FROM semi_finalists s WHERE s.application_id = e.application_id)
		FROM round2_entries e
		JOIN semi_finalist_lists l ON l.edition_id = e.edition_id AND l.category_id = e.category_id
		WHERE e.application_id = $1`, appID).Scan(&semi)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("ranking: outcome: %w", err)
	}
	return &semi, nil
}
