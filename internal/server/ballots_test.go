package server_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/ranking/rankingtest"
)

// votingDay is within seoul-2023's voting window (14–28 July 2023, Asia/Seoul).
var votingDay = time.Date(2023, 7, 20, 3, 0, 0, 0, time.UTC)

// ballotWorld is seoul-2023 with a council (members[0] the chair), a secretariat member, an
// evaluator, an applicant, and confirmed semi-finalists in tech-innovacity.
type ballotWorld struct {
	e           *env
	edID        int64
	members     []int64
	secretariat int64
	evaluator   int64
	applicant   int64
	entries     []int64 // by title: "Entry A", "Entry B", ...
}

// newBallotWorld seeds round 2's result directly in SQL: entries found eligible, the
// semi_finalists rows and the confirmed semi_finalist_lists row of tech-innovacity.
func newBallotWorld(t *testing.T, now time.Time, councilSize, entries int) *ballotWorld {
	t.Helper()
	e := newEnvAt(t, now, nil, "seoul-2023")
	w := &ballotWorld{e: e}
	ctx := context.Background()
	e.pool.QueryRow(ctx, `SELECT id FROM editions WHERE slug = 'seoul-2023'`).Scan(&w.edID)
	for i := range councilSize {
		w.members = append(w.members, rankingtest.Evaluator(t, e.pool, w.edID, fmt.Sprintf("cm%d", i+1), "council"))
	}
	w.secretariat = rankingtest.Evaluator(t, e.pool, w.edID, "sec", "secretariat")
	w.evaluator = rankingtest.Evaluator(t, e.pool, w.edID, "ev", "evaluator")
	w.applicant = rankingtest.Evaluator(t, e.pool, w.edID, "app", "applicant")
	for i := range entries {
		letter := string(rune('a' + i))
		w.entries = append(w.entries, rankingtest.Entry(t, e.pool, w.edID, "tech-innovacity", "entry"+letter, "Entry "+strings.ToUpper(letter)))
	}
	for i, id := range w.entries {
		w.exec(t, `INSERT INTO semi_finalists (application_id, edition_id, category_id, source, rank, added_at)
			SELECT $1, $2, category_id, 'ranking', $3, now() FROM applications WHERE id = $1`, id, w.edID, i+1)
	}
	w.exec(t, `INSERT INTO semi_finalist_lists (edition_id, category_id, confirmed_by, confirmed_at)
		SELECT $1, id, $2, now() FROM categories WHERE edition_id = $1 AND key = 'tech-innovacity'`, w.edID, w.secretariat)
	if councilSize > 0 {
		w.exec(t, `INSERT INTO council_chairs (edition_id, user_id, set_by, set_at) VALUES ($1, $2, $3, now())`, w.edID, w.members[0], w.secretariat)
	}
	return w
}

func (w *ballotWorld) exec(t *testing.T, sql string, args ...any) {
	t.Helper()
	dbtest.Exec(t, w.e.pool, sql, args...)
}

func (w *ballotWorld) url(action string) string {
	p := "/council/ballots/tech-innovacity"
	if action != "" {
		p += "/" + action
	}
	return p + "?edition=" + fmt.Sprint(w.edID)
}

// ranks is a ballot form giving entries[i] ranks[i] (0: abstain with a conflict).
func (w *ballotWorld) ranks(ranks ...int) url.Values {
	v := url.Values{}
	for i, r := range ranks {
		id := fmt.Sprint(w.entries[i])
		if r == 0 {
			v.Set("abstain-"+id, "yes")
			v.Set("conflict-"+id, "I sit on its board")
		} else {
			v.Set("rank-"+id, fmt.Sprint(r))
		}
	}
	return v
}

func (w *ballotWorld) vote(t *testing.T, member int64, ranks ...int) {
	t.Helper()
	if r := w.e.signedInClient(t, member).post(w.url(""), w.ranks(ranks...)); r.status != 303 {
		t.Fatalf("member %d voting: %d %s", member, r.status, r.body)
	}
}

func TestBallotValidation(t *testing.T) {
	t.Parallel()
	w := newBallotWorld(t, votingDay, 3, 3)
	c := w.e.signedInClient(t, w.members[1])
	if r := c.get(w.url("")); r.status != 200 || !strings.Contains(r.body, "Rank the semi-finalists") || !strings.Contains(r.body, "Entry B") {
		t.Fatalf("ballot page: %d", r.status)
	}
	a, b, cc := fmt.Sprint(w.entries[0]), fmt.Sprint(w.entries[1]), fmt.Sprint(w.entries[2])
	form := url.Values{"rank-" + a: {"9"}, "rank-" + b: {"2"}, "abstain-" + b: {"yes"}, "conflict-" + b: {"Typed conflict text"}, "abstain-" + cc: {"yes"}}
	r := c.post(w.url(""), form)
	if r.status != 422 {
		t.Fatalf("invalid ballot: %d", r.status)
	}
	for _, want := range []string{
		"There is a problem",
		"The rank of Entry A must be a whole number from 1 to 3.",
		"Either rank Entry B or abstain on it, not both.",
		"State your conflict with Entry C to abstain on it.",
		`value="9"`, "Typed conflict text", // nothing typed is lost
		`href="#f-rank-` + a + `"`,
	} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the 422 page lacks %q", want)
		}
	}
	if r := c.post(w.url(""), url.Values{}); r.status != 422 || !strings.Contains(r.body, "Rank Entry A (1 = best), or abstain on it") {
		t.Errorf("empty ballot: %d", r.status)
	}
	var n int
	w.e.pool.QueryRow(context.Background(), `SELECT count(*) FROM ballots`).Scan(&n)
	if n != 0 {
		t.Fatalf("%d ballots saved by invalid posts", n)
	}
	// Ties are allowed; the ballot can change until the close.
	w.vote(t, w.members[1], 1, 1, 2)
	if r := c.get(w.url("")); !strings.Contains(r.body, "You cast your ballot on") {
		t.Errorf("the page does not say the ballot is cast")
	}
	w.vote(t, w.members[1], 2, 1, 0)
	var rank *int
	var conflict string
	w.e.pool.QueryRow(context.Background(), `SELECT rank, conflict FROM ballot_ranks WHERE application_id = $1`, w.entries[2]).Scan(&rank, &conflict)
	if rank != nil || conflict != "I sit on its board" {
		t.Errorf("changed ballot: rank %v, conflict %q", rank, conflict)
	}
	// The audit says a ballot was cast, never its ranks.
	var details string
	w.e.pool.QueryRow(context.Background(), `SELECT details::text FROM audit_log WHERE action = 'ballot.cast' ORDER BY id DESC LIMIT 1`).Scan(&details)
	if details == "" || strings.Contains(details, "rank") {
		t.Errorf("audit details %q", details)
	}
}

// TestBallotAbstainOnConflict: an entry the conflict rules bar the member from is pre-marked
// abstained, and a rank for it is refused.
func TestBallotAbstainOnConflict(t *testing.T) {
	t.Parallel()
	w := newBallotWorld(t, votingDay, 3, 3)
	m := w.members[2]
	w.exec(t, `INSERT INTO conflict_declarations (edition_id, evaluator_id, kind, name, created_at) VALUES ($1, $2, 'organisation', 'Org entryb', now())`, w.edID, m)
	c := w.e.signedInClient(t, m)
	r := c.get(w.url(""))
	if !strings.Contains(r.body, "a conflict of interest is on record") || strings.Contains(r.body, `name="rank-`+fmt.Sprint(w.entries[1])+`"`) {
		t.Fatalf("the conflicted entry is not pre-marked as abstained")
	}
	r = c.post(w.url(""), w.ranks(1, 2, 3))
	if r.status != 422 || !strings.Contains(r.body, "you cannot rank it, you abstain on it") {
		t.Fatalf("rank on a conflicted entry: %d", r.status)
	}
	form := w.ranks(1, 0, 2)
	form.Del("conflict-" + fmt.Sprint(w.entries[1]))
	if r := c.post(w.url(""), form); r.status != 303 {
		t.Fatalf("abstaining: %d %s", r.status, r.body)
	}
	var rank *int
	var conflict string
	w.e.pool.QueryRow(context.Background(), `SELECT rank, conflict FROM ballot_ranks WHERE application_id = $1`, w.entries[1]).Scan(&rank, &conflict)
	if rank != nil || !strings.Contains(conflict, "Org entryb") {
		t.Errorf("conflicted line: rank %v, conflict %q", rank, conflict)
	}
}

// TestBallotSecrecy: before the close a member sees who has voted, not how; the protocol does
// not exist; the secretariat sees who, not how.
func TestBallotSecrecy(t *testing.T) {
	t.Parallel()
	w := newBallotWorld(t, votingDay, 3, 3)
	w.vote(t, w.members[1], 3, 1, 2)
	b := w.e.signedInClient(t, w.members[2])
	r := b.get(w.url(""))
	if r.status != 200 || !strings.Contains(r.body, "Evaluator cm2") || !strings.Contains(r.body, "<strong>voted</strong>") {
		t.Fatalf("b's page: %d", r.status)
	}
	for _, n := range []string{"1", "2", "3"} {
		if strings.Contains(r.body, `value="`+n+`"`) {
			t.Errorf("b's page carries a rank %s: another member's ballot leaks", n)
		}
	}
	if r := b.get(w.url("protocol")); r.status != 404 {
		t.Errorf("protocol before close: %d, want 404", r.status)
	}
	if r := w.e.signedInClient(t, w.secretariat).get(w.url("protocol.pdf")); r.status != 404 {
		t.Errorf("secretariat's protocol PDF before close: %d, want 404", r.status)
	}
	r = w.e.signedInClient(t, w.secretariat).get("/council?edition=" + fmt.Sprint(w.edID))
	if r.status != 200 || !strings.Contains(r.body, "Voted: Evaluator cm2") {
		t.Errorf("council page: %d", r.status)
	}
}

// TestBallotRoutesForbidden: applicants, evaluators and the secretariat (except the protocol)
// never reach a ballot; a council member of another edition neither.
func TestBallotRoutesForbidden(t *testing.T) {
	t.Parallel()
	w := newBallotWorld(t, votingDay, 3, 3)
	head := rankingtest.Evaluator(t, w.e.pool, w.edID, "head", "committee_head")
	routes := []struct{ method, action string }{
		{"GET", ""}, {"POST", ""}, {"POST", "close"}, {"POST", "tiebreak"}, {"POST", "confirm"}, {"GET", "protocol"}, {"GET", "protocol.pdf"},
	}
	for who, id := range map[string]int64{"applicant": w.applicant, "evaluator": w.evaluator, "head": head, "secretariat": w.secretariat} {
		c := w.e.signedInClient(t, id)
		for _, rt := range routes {
			var r reply
			if rt.method == "GET" {
				r = c.get(w.url(rt.action))
			} else {
				r = c.post(w.url(rt.action), w.ranks(1, 2, 3))
			}
			want := 403
			if who == "secretariat" && strings.HasPrefix(rt.action, "protocol") {
				want = 404 // allowed, but the vote is open
			}
			if r.status != want {
				t.Errorf("%s %s %s: %d, want %d", who, rt.method, rt.action, r.status, want)
			}
		}
	}
	// A council grant whose SQL membership is gone (the grant of another edition) is refused.
	other := rankingtest.Evaluator(t, w.e.pool, w.edID, "other", "applicant")
	w.exec(t, `INSERT INTO editions (slug, name, year, contact_email, time_zone, applications_open, application_deadline,
		screening_start, screening_end, scoring_start, scoring_end, semi_finalists_announced, voting_start, voting_end,
		winners_announced, ceremony_start, ceremony_end, source)
		SELECT 'other', 'Other', year, contact_email, time_zone, applications_open, application_deadline, screening_start,
		screening_end, scoring_start, scoring_end, semi_finalists_announced, voting_start, voting_end, winners_announced,
		ceremony_start, ceremony_end, '' FROM editions WHERE id = $1`, w.edID)
	w.exec(t, `INSERT INTO role_grants (user_id, role, edition_id) SELECT $1, 'council', id FROM editions WHERE slug = 'other'`, other)
	c := w.e.signedInClient(t, other)
	if r := c.get(w.url("")); r.status != 403 {
		t.Errorf("council member of another edition: %d, want 403", r.status)
	}
}

// TestBallotWindow: before the window the page is read-only and a post is refused.
func TestBallotWindow(t *testing.T) {
	t.Parallel()
	w := newBallotWorld(t, time.Date(2023, 7, 10, 3, 0, 0, 0, time.UTC), 3, 3)
	c := w.e.signedInClient(t, w.members[1])
	r := c.get(w.url(""))
	if r.status != 200 || !strings.Contains(r.body, "Voting opens on") || strings.Contains(r.body, "Cast my ballot") {
		t.Errorf("before the window: %d", r.status)
	}
	if r := c.post(w.url(""), w.ranks(1, 2, 3)); r.status != 409 || !strings.Contains(r.body, "only within the voting window") {
		t.Errorf("posting before the window: %d", r.status)
	}
	if r := w.e.signedInClient(t, w.members[0]).post(w.url("close"), nil); r.status != 409 {
		t.Errorf("closing before the window: %d", r.status)
	}
}

// TestBallotChair: only the chair closes (with the quorum), decides the tie and confirms the
// winners; the protocol is for the council and the secretariat after the close.
func TestBallotChair(t *testing.T) {
	t.Parallel()
	w := newBallotWorld(t, votingDay, 3, 3)
	chair, member := w.e.signedInClient(t, w.members[0]), w.e.signedInClient(t, w.members[1])
	a, b, c := w.entries[0], w.entries[1], w.entries[2]
	w.vote(t, w.members[0], 1, 2, 3)
	if r := chair.post(w.url("close"), nil); r.status != 409 || !strings.Contains(r.body, "quorum is not reached") {
		t.Fatalf("close without quorum: %d", r.status)
	}
	w.vote(t, w.members[1], 2, 1, 3)
	if r := member.post(w.url("close"), nil); r.status != 403 {
		t.Errorf("a member closing: %d, want 403", r.status)
	}
	if r := chair.post(w.url("close"), nil); r.status != 303 || !strings.Contains(r.location, "/protocol") {
		t.Fatalf("chair closing: %d %s", r.status, r.body)
	}
	if r := w.e.signedInClient(t, w.members[2]).post(w.url(""), w.ranks(1, 2, 3)); r.status != 409 {
		t.Errorf("voting after the close: %d, want 409", r.status)
	}
	// A and B are 1:1 and have no committee score: the chair decides. No voter is named.
	r := w.e.signedInClient(t, w.members[2]).get(w.url("protocol"))
	if r.status != 200 || !strings.Contains(r.body, "Ballot 1") || !strings.Contains(r.body, "Ballot 2") ||
		!strings.Contains(r.body, "remain tied") || strings.Contains(r.body, "Evaluator cm2") {
		t.Fatalf("protocol: %d", r.status)
	}
	if r := member.post(w.url("tiebreak"), url.Values{}); r.status != 403 {
		t.Errorf("a member deciding: %d", r.status)
	}
	if r := chair.post(w.url("confirm"), nil); r.status != 409 {
		t.Errorf("confirming with a tie: %d", r.status)
	}
	bad := url.Values{fmt.Sprintf("order-%d", a): {"1"}, fmt.Sprintf("order-%d", b): {"1"}}
	if r := chair.post(w.url("tiebreak"), bad); r.status != 422 || !strings.Contains(r.body, "given twice") || !strings.Contains(r.body, "Give the reason") {
		t.Errorf("invalid decision: %d", r.status)
	}
	good := url.Values{fmt.Sprintf("order-%d", a): {"2"}, fmt.Sprintf("order-%d", b): {"1"}, "reason": {"B's reach in the discussion"}}
	if r := chair.post(w.url("tiebreak"), good); r.status != 303 {
		t.Fatalf("decision: %d %s", r.status, r.body)
	}
	r = w.e.signedInClient(t, w.secretariat).get(w.url("protocol"))
	if r.status != 200 || !strings.Contains(r.body, "B&#39;s reach in the discussion") {
		t.Fatalf("secretariat's protocol: %d", r.status)
	}
	if i, j := strings.Index(r.body, "<li>Entry B"), strings.Index(r.body, "<li>Entry A"); i < 0 || j < i {
		t.Errorf("final order: B should come before A")
	}
	if r := chair.post(w.url("confirm"), nil); r.status != 303 {
		t.Fatalf("confirm: %d %s", r.status, r.body)
	}
	rows, _ := w.e.pool.Query(context.Background(), `SELECT application_id, place, prize_name FROM awards ORDER BY place`)
	var got []string
	for rows.Next() {
		var id int64
		var place int
		var name string
		rows.Scan(&id, &place, &name)
		got = append(got, fmt.Sprint(id, place, name))
	}
	want := []string{fmt.Sprint(b, 1, "First Prize"), fmt.Sprint(a, 2, "Second Prize"), fmt.Sprint(c, 3, "Third Prize")}
	if strings.Join(got, ";") != strings.Join(want, ";") {
		t.Errorf("awards = %v, want %v", got, want)
	}
	if r := member.get(w.url("protocol.pdf")); r.status != 200 || !strings.HasPrefix(r.body, "%PDF-") {
		t.Errorf("protocol PDF: %d", r.status)
	}
	var n int
	w.e.pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action IN ('vote.close', 'vote.tiebreak', 'vote.confirm')`).Scan(&n)
	if n != 3 {
		t.Errorf("%d audit entries for close, tie-break and confirm, want 3", n)
	}
}

// TestCouncilChair: the secretariat records the chair among the council's members.
func TestCouncilChair(t *testing.T) {
	t.Parallel()
	w := newBallotWorld(t, votingDay, 3, 2)
	c := w.e.signedInClient(t, w.secretariat)
	path := "/council?edition=" + fmt.Sprint(w.edID)
	if r := c.post(path, url.Values{"chair": {fmt.Sprint(w.evaluator)}}); r.status != 422 || !strings.Contains(r.body, "Choose a member of this edition") {
		t.Errorf("an evaluator as chair: %d", r.status)
	}
	if r := c.post(path, url.Values{"chair": {""}}); r.status != 422 {
		t.Errorf("no chair: %d", r.status)
	}
	if r := c.post(path, url.Values{"chair": {fmt.Sprint(w.members[2])}}); r.status != 303 {
		t.Fatalf("setting the chair: %d", r.status)
	}
	var chair int64
	w.e.pool.QueryRow(context.Background(), `SELECT user_id FROM council_chairs WHERE edition_id = $1`, w.edID).Scan(&chair)
	if chair != w.members[2] {
		t.Errorf("chair = %d, want %d", chair, w.members[2])
	}
	if r := c.get(path); !strings.Contains(r.body, "<strong>, chair</strong>") || strings.Count(r.body, ", chair") != 1 {
		t.Errorf("the council page does not show the chair")
	}
}

// TestBallotBorda: under the edition's borda method the protocol shows the points and no
// strongest paths. Ballots (A, B, C): 1 2 3 and 2 1 1 give A 2+0 = 2, B 1+0.5 = 1.5,
// C 0+0.5 = 0.5: the order is A, B, C.
func TestBallotBorda(t *testing.T) {
	t.Parallel()
	w := newBallotWorld(t, votingDay, 3, 3)
	w.exec(t, `UPDATE editions SET voting = '{"method": "borda"}' WHERE id = $1`, w.edID)
	w.vote(t, w.members[0], 1, 2, 3)
	w.vote(t, w.members[1], 2, 1, 1)
	chair := w.e.signedInClient(t, w.members[0])
	if r := chair.post(w.url("close"), nil); r.status != 303 {
		t.Fatalf("close: %d %s", r.status, r.body)
	}
	r := chair.get(w.url("protocol"))
	if r.status != 200 || !strings.Contains(r.body, "Borda count") || !strings.Contains(r.body, "Borda points") ||
		strings.Contains(r.body, "Strongest paths") || !strings.Contains(r.body, `<td class="num">1.5</td>`) {
		t.Fatalf("borda protocol: %d", r.status)
	}
	if !orderIs(r.body[strings.Index(r.body, "order-title"):], "Entry A", "Entry B", "Entry C") {
		t.Errorf("borda order is not A, B, C")
	}
}
