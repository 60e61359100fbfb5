package ballot

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/authz"
	"prizeportal/internal/db"
	"prizeportal/internal/deputy"
	"prizeportal/internal/edition"
	"prizeportal/internal/ranking"
	"prizeportal/internal/voting"
)

// memberSQL is true when @member holds the council role of @edition.
const memberSQL = `EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = @member AND g.edition_id = @edition AND g.role = 'council')`

// chairSQL is true when @member is the recorded chair of @edition and still on its council.
const chairSQL = `EXISTS (SELECT 1 FROM council_chairs ch JOIN role_grants g ON g.user_id = ch.user_id
	AND g.edition_id = ch.edition_id AND g.role = 'council' WHERE ch.edition_id = @edition AND ch.user_id = @member)`

// candidateSQL lists the confirmed semi-finalists of @category (s = semi_finalists).
const candidateSQL = `SELECT s.application_id FROM semi_finalists s
	JOIN semi_finalist_lists l ON l.edition_id = s.edition_id AND l.category_id = s.category_id
	WHERE s.category_id = @category`

// Council lists the council of editionID by name, the chair flagged.
func Council(ctx context.Context, q db.DBTX, editionID int64) ([]Member, error) {
	return db.List(ctx, q, "ballot: council", func(row pgx.CollectableRow) (Member, error) {
		var m Member
		err := row.Scan(&m.ID, &m.Name, &m.Email, &m.Chair)
		return m, err
	}, `
		SELECT u.id, u.name, u.email, EXISTS (SELECT 1 FROM council_chairs ch WHERE ch.edition_id = g.edition_id AND ch.user_id = u.id)
		FROM role_grants g JOIN users u ON u.id = g.user_id
		WHERE g.edition_id = $1 AND g.role = 'council' ORDER BY lower(u.name), u.email, u.id`, editionID)
}

// IsMember reports whether userID is on the council of editionID.
func IsMember(ctx context.Context, q db.DBTX, editionID, userID int64) (bool, error) {
	var ok bool
	err := q.QueryRow(ctx, `SELECT `+memberSQL, pgx.NamedArgs{"member": userID, "edition": editionID}).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("ballot: member: %w", err)
	}
	return ok, nil
}

// IsChair reports whether userID is the chair of the council of editionID.
func IsChair(ctx context.Context, q db.DBTX, editionID, userID int64) (bool, error) {
	var ok bool
	err := q.QueryRow(ctx, `SELECT `+chairSQL, pgx.NamedArgs{"member": userID, "edition": editionID}).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("ballot: chair: %w", err)
	}
	return ok, nil
}

// SetChair records member as the chair of editionID's council (ErrNotMember unless they are on
// it) and returns the previous chair (0 for none).
func SetChair(ctx context.Context, tx pgx.Tx, editionID, member, by int64, now time.Time) (int64, error) {
	ok, err := IsMember(ctx, tx, editionID, member)
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, ErrNotMember
	}
	var before int64
	err = tx.QueryRow(ctx, `SELECT user_id FROM council_chairs WHERE edition_id = $1 FOR UPDATE`, editionID).Scan(&before)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return 0, fmt.Errorf("ballot: set chair: %w", err)
	}
	_, err = tx.Exec(ctx, `INSERT INTO council_chairs (edition_id, user_id, set_by, set_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (edition_id) DO UPDATE SET user_id = EXCLUDED.user_id, set_by = EXCLUDED.set_by, set_at = EXCLUDED.set_at`,
		editionID, member, by, now)
	if err != nil {
		return 0, fmt.Errorf("ballot: set chair: %w", err)
	}
	return before, nil
}

// ClearChair ends member's chairing of editionID's council, in tx, and reports whether they
// were its chair; the council has no chair until one is set again.
func ClearChair(ctx context.Context, tx pgx.Tx, editionID, member int64) (bool, error) {
	tag, err := tx.Exec(ctx, `DELETE FROM council_chairs WHERE edition_id = $1 AND user_id = $2`, editionID, member)
	if err != nil {
		return false, fmt.Errorf("ballot: clear chair: %w", err)
	}
	return tag.RowsAffected() == 1, nil
}

// Candidates lists the confirmed semi-finalists of categoryID of editionID, by title.
func Candidates(ctx context.Context, q db.DBTX, editionID, categoryID int64) ([]Candidate, error) {
	lists, err := ranking.Lists(ctx, q, editionID, true)
	if err != nil {
		return nil, fmt.Errorf("ballot: candidates: %w", err)
	}
	l := lists[categoryID]
	if l == nil {
		return nil, nil
	}
	out := make([]Candidate, 0, len(l.Entries))
	for _, e := range l.Entries {
		out = append(out, Candidate{ApplicationID: e.ApplicationID, Title: e.Title, Organisation: e.Organisation, City: e.City, Country: e.Country})
	}
	slices.SortFunc(out, func(a, b Candidate) int {
		if c := strings.Compare(strings.ToLower(a.Title), strings.ToLower(b.Title)); c != 0 {
			return c
		}
		return int(a.ApplicationID - b.ApplicationID)
	})
	return out, nil
}

// Mine returns member's own ballot in categoryID (nil when they have none). It is the only way
// to read a ballot's ranks before the vote closes: the query is filtered by member.
func Mine(ctx context.Context, q db.DBTX, categoryID, member int64) (*Ballot, error) {
	b := &Ballot{}
	err := q.QueryRow(ctx, `SELECT id, cast_at, updated_at FROM ballots WHERE category_id = $1 AND member_id = $2`,
		categoryID, member).Scan(&b.ID, &b.CastAt, &b.UpdatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("ballot: mine: %w", err)
	}
	b.Lines, err = db.List(ctx, q, "ballot: mine", pgx.RowToStructByPos[Line], `SELECT r.application_id, coalesce(r.rank, 0), r.conflict
		FROM ballot_ranks r JOIN ballots b ON b.id = r.ballot_id
		WHERE r.ballot_id = $1 AND b.member_id = $2 ORDER BY r.application_id`, b.ID, member)
	if err != nil {
		return nil, err
	}
	return b, nil
}

// Voted returns, per category of editionID, the members who have cast a ballot (who, never how).
func Voted(ctx context.Context, q db.DBTX, editionID int64) (map[int64][]int64, error) {
	rows, err := q.Query(ctx, `SELECT category_id, member_id FROM ballots WHERE edition_id = $1 ORDER BY category_id, member_id`, editionID)
	if err != nil {
		return nil, fmt.Errorf("ballot: voted: %w", err)
	}
	out := map[int64][]int64{}
	var cat, member int64
	_, err = pgx.ForEachRow(rows, []any{&cat, &member}, func() error {
		out[cat] = append(out[cat], member)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("ballot: voted: %w", err)
	}
	return out, nil
}

// StatusOf returns the state of categoryID's vote in editionID under the edition's settings v.
func StatusOf(ctx context.Context, q db.DBTX, editionID, categoryID int64, v edition.Voting) (Status, error) {
	var st Status
	err := q.QueryRow(ctx, `SELECT
		(SELECT count(*) FROM role_grants WHERE edition_id = $1 AND role = 'council'),
		(SELECT count(*) FROM ballots b JOIN role_grants g ON g.user_id = b.member_id AND g.edition_id = b.edition_id AND g.role = 'council'
		 WHERE b.edition_id = $1 AND b.category_id = $2),
		EXISTS (SELECT 1 FROM vote_results WHERE category_id = $2)`, editionID, categoryID).Scan(&st.Council, &st.Cast, &st.Closed)
	if err != nil {
		return st, fmt.Errorf("ballot: status: %w", err)
	}
	st.Quorum = v.QuorumOf(st.Council)
	return st, nil
}

// LockCategory serialises the changes of categoryID's vote (ballots, close, decision, winners)
// and of its awards afterwards (internal/award), in tx.
func LockCategory(ctx context.Context, tx pgx.Tx, categoryID int64) error {
	var id int64
	err := tx.QueryRow(ctx, `SELECT id FROM categories WHERE id = $1 FOR UPDATE`, categoryID).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return db.ErrNotFound
	}
	return err
}

// ClosedCategories lists the categories of edition editionID whose vote the chair has closed
// (their result protocol exists), for member, a council member of the edition (checked in SQL:
// none for anyone else).
func ClosedCategories(ctx context.Context, q db.DBTX, editionID, member int64) ([]int64, error) {
	return db.List(ctx, q, "ballot: closed categories", pgx.RowTo[int64], `
		SELECT v.category_id FROM vote_results v
		WHERE v.edition_id = $1 AND EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = $2 AND g.edition_id = $1 AND g.role = 'council')
		ORDER BY v.category_id`, editionID, member)
}

func closed(ctx context.Context, q db.DBTX, categoryID int64) (bool, error) {
	var ok bool
	err := q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM vote_results WHERE category_id = $1)`, categoryID).Scan(&ok)
	return ok, err
}

// Save records member's ballot in categoryID of editionID (a line per confirmed semi-finalist,
// every one of them exactly once) and reports whether it is their first. It is refused with
// ErrNotMember off the edition's council, ErrClosed once the vote is closed, and ErrCandidates
// when the lines are not the category's semi-finalists; a rank must be >= 1 and an abstention
// must state its conflict. The caller checks the voting window.
func Save(ctx context.Context, tx pgx.Tx, editionID, categoryID, member int64, lines []Line, now time.Time) (bool, error) {
	if err := LockCategory(ctx, tx, categoryID); err != nil {
		return false, fmt.Errorf("ballot: save: %w", err)
	}
	if ok, err := IsMember(ctx, tx, editionID, member); err != nil || !ok {
		if err == nil {
			err = ErrNotMember
		}
		return false, err
	}
	if c, err := closed(ctx, tx, categoryID); err != nil || c {
		if err == nil {
			return false, ErrClosed
		}
		return false, fmt.Errorf("ballot: save: %w", err)
	}
	ids := make([]int64, 0, len(lines))
	ranks := make([]*int32, 0, len(lines))
	conflicts := make([]string, 0, len(lines))
	for _, l := range lines {
		conflict := strings.TrimSpace(l.Conflict)
		switch {
		case l.Rank < 0, l.Rank == 0 && conflict == "", utf8.RuneCountInString(conflict) > MaxConflict:
			return false, fmt.Errorf("ballot: save: invalid line for entry %d", l.ApplicationID)
		}
		ids = append(ids, l.ApplicationID)
		if l.Rank > 0 {
			r := int32(l.Rank)
			ranks = append(ranks, &r)
			conflict = ""
		} else {
			ranks = append(ranks, nil)
		}
		conflicts = append(conflicts, conflict)
	}
	var matches int
	err := tx.QueryRow(ctx, `SELECT count(*) FROM (`+candidateSQL+`) c
		WHERE c.application_id = ANY(@ids) AND cardinality(@ids) = (SELECT count(*) FROM (`+candidateSQL+`) x)
		AND cardinality(@ids) = (SELECT count(DISTINCT i) FROM unnest(@ids::bigint[]) i)`,
		pgx.NamedArgs{"category": categoryID, "ids": ids}).Scan(&matches)
	if err != nil {
		return false, fmt.Errorf("ballot: save: %w", err)
	}
	if matches != len(ids) || len(ids) == 0 {
		return false, ErrCandidates
	}
	var (
		id      int64
		created bool
	)
	err = tx.QueryRow(ctx, `
		INSERT INTO ballots (edition_id, category_id, member_id, cast_at, updated_at)
		SELECT c.edition_id, c.id, @member, @now, @now FROM categories c
		WHERE c.id = @category AND c.edition_id = @edition AND `+memberSQL+`
		ON CONFLICT (category_id, member_id) DO UPDATE SET updated_at = EXCLUDED.updated_at
		RETURNING id, (xmax = 0)`,
		pgx.NamedArgs{"member": member, "edition": editionID, "category": categoryID, "now": now}).Scan(&id, &created)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, ErrNotMember
	}
	if err != nil {
		return false, fmt.Errorf("ballot: save: %w", err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM ballot_ranks WHERE ballot_id = $1`, id); err != nil {
		return false, fmt.Errorf("ballot: save: %w", err)
	}
	_, err = tx.Exec(ctx, `INSERT INTO ballot_ranks (ballot_id, application_id, rank, conflict)
		SELECT $1, x.id, x.rank, x.conflict FROM unnest($2::bigint[], $3::int[], $4::text[]) AS x(id, rank, conflict)`,
		id, ids, ranks, conflicts)
	if err != nil {
		return false, fmt.Errorf("ballot: save: %w", err)
	}
	return created, nil
}

// Counted returns the ballots of categoryID for the count and the protocol: anonymous (no
// member), in the random but stable order of the vote's seed, abstentions left out of Ranks.
// Refused with ErrNotClosed while the vote is open: the query itself requires the result.
func Counted(ctx context.Context, q db.DBTX, categoryID int64) ([]voting.Ballot, error) {
	c, err := closed(ctx, q, categoryID)
	if err != nil {
		return nil, fmt.Errorf("ballot: counted: %w", err)
	}
	if !c {
		return nil, ErrNotClosed
	}
	return countedTx(ctx, q, categoryID)
}

// countedTx reads the ballots of a closed vote (vote_results is required in the query).
func countedTx(ctx context.Context, q db.DBTX, categoryID int64) ([]voting.Ballot, error) {
	return db.List(ctx, q, "ballot: counted", func(row pgx.CollectableRow) (voting.Ballot, error) {
		var raw map[string]int
		if err := row.Scan(&raw); err != nil {
			return voting.Ballot{}, err
		}
		b := voting.Ballot{Ranks: make(map[int64]int, len(raw))}
		for k, r := range raw {
			var id int64
			if _, err := fmt.Sscan(k, &id); err != nil {
				return voting.Ballot{}, err
			}
			b.Ranks[id] = r
		}
		return b, nil
	}, `
		SELECT coalesce(jsonb_object_agg(r.application_id::text, r.rank) FILTER (WHERE r.rank IS NOT NULL), '{}')
		FROM ballots b JOIN vote_results v ON v.category_id = b.category_id
		JOIN role_grants g ON g.user_id = b.member_id AND g.edition_id = b.edition_id AND g.role = 'council'
		LEFT JOIN ballot_ranks r ON r.ballot_id = b.id
		WHERE b.category_id = $1
		GROUP BY b.id, v.seed ORDER BY md5(v.seed || b.id::text), b.id`, categoryID)
}

// candidateIDs lists the ids of categoryID's confirmed semi-finalists.
func candidateIDs(ctx context.Context, q db.DBTX, categoryID int64) ([]int64, error) {
	rows, err := q.Query(ctx, candidateSQL+` ORDER BY s.application_id`, pgx.NamedArgs{"category": categoryID})
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}

// CommitteeScores returns the committee's aggregate of round 2 per entry of categoryID, under
// the method the committee head chose (internal/ranking): the first link of the tie-break chain.
// Under the z-score method it is the mean z (the ranking key, before rescaling and clamping).
func CommitteeScores(ctx context.Context, q db.DBTX, editionID, categoryID int64) (map[int64]float64, error) {
	res, err := ranking.Compute(ctx, q, editionID)
	if err != nil {
		return nil, fmt.Errorf("ballot: committee scores: %w", err)
	}
	out := map[int64]float64{}
	c := res.Category(categoryID)
	if c == nil {
		return out, nil
	}
	for _, e := range c.Entries {
		if res.Method == ranking.ZScore {
			out[e.ApplicationID] = e.MeanZ
		} else {
			out[e.ApplicationID] = e.By[res.Method].Value
		}
	}
	return out, nil
}

func newSeed() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Close closes categoryID's vote in ed for chair: refused with ErrNotChair unless they decide
// for the category (deputy.Check: the recorded chair, or the deputy chair where the chair is
// conflicted with an entry of it; the refusal then names the deputy), ErrClosed when it is closed, ErrNoQuorum without the quorum. It counts the
// ballots under ed.Voting.Method with the committee scores as the first tie-break, stores the
// result and returns the count.
func Close(ctx context.Context, tx pgx.Tx, ed *edition.Edition, categoryID, chair int64, scores map[int64]float64, now time.Time) (voting.Result, error) {
	if err := LockCategory(ctx, tx, categoryID); err != nil {
		return voting.Result{}, fmt.Errorf("ballot: close: %w", err)
	}
	if err := deputy.Check(ctx, tx, authz.Actor{UserID: chair}, ed.ID, categoryID, authz.PostChair, ErrNotChair); err != nil {
		return voting.Result{}, err
	}
	st, err := StatusOf(ctx, tx, ed.ID, categoryID, ed.Voting)
	if err != nil {
		return voting.Result{}, err
	}
	if st.Closed {
		return voting.Result{}, ErrClosed
	}
	if !st.Quorate() {
		return voting.Result{}, ErrNoQuorum
	}
	cands, err := candidateIDs(ctx, tx, categoryID)
	if err != nil {
		return voting.Result{}, fmt.Errorf("ballot: close: %w", err)
	}
	used := map[int64]float64{}
	for _, id := range cands {
		if s, ok := scores[id]; ok {
			used[id] = s
		}
	}
	rawScores, err := json.Marshal(used)
	if err != nil {
		return voting.Result{}, fmt.Errorf("ballot: close: %w", err)
	}
	_, err = tx.Exec(ctx, `INSERT INTO vote_results (edition_id, category_id, method, council, quorum, ballots, scores,
			final_order, seed, closed_by, closed_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, '{}', $8, $9, $10)`,
		ed.ID, categoryID, ed.Voting.Method, st.Council, st.Quorum, st.Cast, rawScores, newSeed(), chair, now)
	if err != nil {
		return voting.Result{}, fmt.Errorf("ballot: close: %w", err)
	}
	return recount(ctx, tx, categoryID)
}

// recount counts the closed vote of categoryID again (its frozen ballots, stored scores and the
// chair's decision) and stores the order, the tie-breaks and what is unresolved.
func recount(ctx context.Context, tx pgx.Tx, categoryID int64) (voting.Result, error) {
	res, err := Count(ctx, tx, categoryID)
	if err != nil {
		return res, err
	}
	unresolved, err := json.Marshal(nonNil(res.Unresolved))
	if err != nil {
		return res, fmt.Errorf("ballot: count: %w", err)
	}
	tieBreaks := res.TieBreaks
	if tieBreaks == nil {
		tieBreaks = []string{}
	}
	_, err = tx.Exec(ctx, `UPDATE vote_results SET final_order = $2, tie_breaks = $3, unresolved = $4 WHERE category_id = $1`,
		categoryID, res.Order, tieBreaks, unresolved)
	if err != nil {
		return res, fmt.Errorf("ballot: count: %w", err)
	}
	return res, nil
}

func nonNil(v [][]int64) [][]int64 {
	if v == nil {
		return [][]int64{}
	}
	return v
}

// Count counts the closed vote of categoryID from its frozen ballots, the stored committee
// scores and the chair's decision: the protocol's matrix, points and order (ErrNotClosed while
// the vote is open).
func Count(ctx context.Context, q db.DBTX, categoryID int64) (voting.Result, error) {
	r, err := ResultOf(ctx, q, categoryID)
	if err != nil {
		return voting.Result{}, err
	}
	if r == nil {
		return voting.Result{}, ErrNotClosed
	}
	ballots, err := countedTx(ctx, q, categoryID)
	if err != nil {
		return voting.Result{}, err
	}
	cands, err := candidateIDs(ctx, q, categoryID)
	if err != nil {
		return voting.Result{}, fmt.Errorf("ballot: count: %w", err)
	}
	res, err := voting.Count(voting.Method(r.Method), cands, ballots, voting.TieBreak{Score: r.Scores, Decision: r.Decision})
	if err != nil {
		return res, fmt.Errorf("ballot: count: %w", err)
	}
	return res, nil
}

// ResultOf returns the stored result of categoryID's vote, nil while it is open.
func ResultOf(ctx context.Context, q db.DBTX, categoryID int64) (*Result, error) {
	r := &Result{CategoryID: categoryID}
	var scores map[string]float64
	var unresolved [][]int64
	err := q.QueryRow(ctx, `
		SELECT v.method, v.council, v.quorum, v.ballots, v.scores, v.decision, v.decision_reason, coalesce(d.name, ''),
		       v.decided_at, v.final_order, v.tie_breaks, v.unresolved, c.name, v.closed_at
		FROM vote_results v JOIN users c ON c.id = v.closed_by LEFT JOIN users d ON d.id = v.decided_by
		WHERE v.category_id = $1`, categoryID).Scan(&r.Method, &r.Council, &r.Quorum, &r.Ballots, &scores, &r.Decision,
		&r.DecisionReason, &r.DecidedBy, &r.DecidedAt, &r.Order, &r.TieBreaks, &unresolved, &r.ClosedBy, &r.ClosedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("ballot: result: %w", err)
	}
	r.Unresolved = unresolved
	r.Scores = make(map[int64]float64, len(scores))
	for k, s := range scores {
		var id int64
		if _, err := fmt.Sscan(k, &id); err != nil {
			return nil, fmt.Errorf("ballot: result: %w", err)
		}
		r.Scores[id] = s
	}
	return r, nil
}

// Decide records the chair's order of the candidates still tied in categoryID's closed vote
// (order lists every one of them, earlier first) with the reason, and recounts. Refused with
// ErrNotChair (as Close: deputy.Check), ErrNotClosed, ErrNoTie when nothing is tied, ErrConfirmed once the winners are
// confirmed, and ErrCandidates when order is not exactly the tied candidates.
func Decide(ctx context.Context, tx pgx.Tx, editionID, categoryID, chair int64, order []int64, reason string, now time.Time) (voting.Result, error) {
	if err := LockCategory(ctx, tx, categoryID); err != nil {
		return voting.Result{}, fmt.Errorf("ballot: decide: %w", err)
	}
	if err := deputy.Check(ctx, tx, authz.Actor{UserID: chair}, editionID, categoryID, authz.PostChair, ErrNotChair); err != nil {
		return voting.Result{}, err
	}
	r, err := ResultOf(ctx, tx, categoryID)
	if err != nil {
		return voting.Result{}, err
	}
	if r == nil {
		return voting.Result{}, ErrNotClosed
	}
	if err := notConfirmed(ctx, tx, categoryID); err != nil {
		return voting.Result{}, err
	}
	if r.Resolved() {
		return voting.Result{}, ErrNoTie
	}
	var tied []int64
	for _, g := range r.Unresolved {
		tied = append(tied, g...)
	}
	got := slices.Clone(order)
	slices.Sort(got)
	slices.Sort(tied)
	if !slices.Equal(got, tied) {
		return voting.Result{}, ErrCandidates
	}
	_, err = tx.Exec(ctx, `UPDATE vote_results SET decision = $2, decision_reason = $3, decided_by = $4, decided_at = $5
		WHERE category_id = $1`, categoryID, order, strings.TrimSpace(reason), chair, now)
	if err != nil {
		return voting.Result{}, fmt.Errorf("ballot: decide: %w", err)
	}
	return recount(ctx, tx, categoryID)
}

func notConfirmed(ctx context.Context, q db.DBTX, categoryID int64) error {
	var any bool
	if err := q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM awards WHERE category_id = $1)`, categoryID).Scan(&any); err != nil {
		return fmt.Errorf("ballot: awards: %w", err)
	}
	if any {
		return ErrConfirmed
	}
	return nil
}

// Winners gives the prizes of cat (by place, each place Count times) to the final order, best
// first: the awards the chair confirms. Fewer candidates than prizes leave the last places empty.
func Winners(cat *edition.Category, order []int64) []Award {
	prizes := slices.Clone(cat.Prizes)
	slices.SortFunc(prizes, func(a, b edition.Prize) int { return a.Place - b.Place })
	var out []Award
	k := 0
	for _, p := range prizes {
		for range p.Count {
			if k >= len(order) {
				return out
			}
			out = append(out, Award{ApplicationID: order[k], CategoryID: cat.ID, Place: p.Place, PrizeName: p.Name, Status: AwardConfirmed})
			k++
		}
	}
	return out
}

// Confirm records the winners of cat in ed from its closed, resolved vote for chair (Winners of
// the final order). Refused with ErrNotChair (as Close: deputy.Check), ErrNotClosed, ErrUnresolved while a tie waits
// for the chair, and ErrConfirmed when already done.
func Confirm(ctx context.Context, tx pgx.Tx, ed *edition.Edition, cat *edition.Category, chair int64, now time.Time) ([]Award, error) {
	if err := LockCategory(ctx, tx, cat.ID); err != nil {
		return nil, fmt.Errorf("ballot: confirm: %w", err)
	}
	if err := deputy.Check(ctx, tx, authz.Actor{UserID: chair}, ed.ID, cat.ID, authz.PostChair, ErrNotChair); err != nil {
		return nil, err
	}
	r, err := ResultOf(ctx, tx, cat.ID)
	if err != nil {
		return nil, err
	}
	if r == nil {
		return nil, ErrNotClosed
	}
	if !r.Resolved() {
		return nil, ErrUnresolved
	}
	if err := notConfirmed(ctx, tx, cat.ID); err != nil {
		return nil, err
	}
	awards := Winners(cat, r.Order)
	for i, a := range awards {
		err := tx.QueryRow(ctx, `INSERT INTO awards (application_id, edition_id, category_id, place, prize_name, status, confirmed_by, confirmed_at)
			VALUES ($1, $2, $3, $4, $5, 'confirmed', $6, $7) RETURNING id`,
			a.ApplicationID, ed.ID, cat.ID, a.Place, a.PrizeName, chair, now).Scan(&awards[i].ID)
		if err != nil {
			return nil, fmt.Errorf("ballot: confirm: %w", err)
		}
		awards[i].ConfirmedAt = now
	}
	return awards, nil
}

// Awards lists the awards of categoryID by place, then by the final order.
func Awards(ctx context.Context, q db.DBTX, categoryID int64) ([]Award, error) {
	return db.List(ctx, q, "ballot: awards", pgx.RowToStructByPos[Award], `
		SELECT a.id, a.application_id, a.category_id, a.place, a.prize_name, a.status, u.name, a.confirmed_at
		FROM awards a JOIN users u ON u.id = a.confirmed_by
		LEFT JOIN vote_results v ON v.category_id = a.category_id
		WHERE a.category_id = $1 ORDER BY a.place, array_position(v.final_order, a.application_id), a.id`, categoryID)
}
