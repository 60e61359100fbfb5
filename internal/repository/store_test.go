package repository_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/blocks/form"
	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition"
	"prizeportal/internal/edition/editiontest"
	"prizeportal/internal/i18n"
	"prizeportal/internal/repository"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// after2023 is after the 2023 winners announcement (31 July 2023) and before 2024's (1 August 2024).
var after2023 = time.Date(2024, 1, 10, 0, 0, 0, 0, time.UTC)

// world is a database with seoul-2023 and seoul-2024 and a secretariat member of 2023.
type world struct {
	pool  *pgxpool.Pool
	ed23  *edition.Edition
	ed24  *edition.Edition
	staff int64
	n     int
}

func newWorld(t testing.TB) *world {
	t.Helper()
	pool := dbtest.New(t)
	eds := editiontest.Import(t, pool, "seoul-2023", "seoul-2024")
	w := &world{pool: pool, ed23: eds[0], ed24: eds[1]}
	w.staff = w.user(t, "sec", "KR", w.ed23.ID, 0)
	w.exec(t, `INSERT INTO role_grants (user_id, role, edition_id) VALUES ($1, 'secretariat', $2)`, w.staff, w.ed23.ID)
	return w
}

func (w *world) exec(t testing.TB, sql string, args ...any) {
	t.Helper()
	dbtest.Exec(t, w.pool, sql, args...)
}

func (w *world) user(t testing.TB, login, country string, editionID, categoryID int64) int64 {
	t.Helper()
	var id int64
	var cat any
	if categoryID != 0 {
		cat = categoryID
	}
	if err := w.pool.QueryRow(context.Background(), `
		INSERT INTO users (login_id, email, name, password_hash, country, edition_id, category_id)
		VALUES ($1, $1 || '@example.org', 'User ' || $1, 'x', $2, $3, $4) RETURNING id`, login, country, editionID, cat).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// answers are the published basics of a project with the consent given.
func answers(title, summary string, more form.Answers) form.Answers {
	a := form.Answers{
		"project_title":       {Text: title},
		"summary":             {Text: summary},
		"sectors":             {Choices: []string{"mobility"}},
		"stage":               {Text: "implementing"},
		"lead_organisation":   {Text: "Org of " + title},
		"consent_publication": {Text: "yes"},
		"declare_accuracy":    {Text: "yes"},
	}
	for k, v := range more {
		a[k] = v
	}
	return a
}

// entry stores a submitted project of ed's category with answers and refreshes its case.
func (w *world) entry(t testing.TB, ed *edition.Edition, catKey, country string, a form.Answers) int64 {
	t.Helper()
	ctx := context.Background()
	w.n++
	cat, _ := ed.Category(catKey)
	u := w.user(t, fmt.Sprintf("app%d", w.n), country, ed.ID, cat.ID)
	raw, _ := json.Marshal(a)
	var id int64
	if err := w.pool.QueryRow(ctx, `
		INSERT INTO applications (user_id, edition_id, category_id, status, answers, submitted_version, submitted_at)
		VALUES ($1, $2, $3, 'submitted', $4, 1, now()) RETURNING id`, u, ed.ID, cat.ID, raw).Scan(&id); err != nil {
		t.Fatal(err)
	}
	w.exec(t, `INSERT INTO application_versions (application_id, number, answers, submitted_at) VALUES ($1, 1, $2, now())`, id, raw)
	if err := repository.Refresh(ctx, w.pool, id); err != nil {
		t.Fatal(err)
	}
	return id
}

func (w *world) search(t testing.TB, f repository.Filter) repository.Results {
	t.Helper()
	res, err := repository.Search(context.Background(), w.pool, f, after2023)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func ids(res repository.Results) []int64 {
	var out []int64
	for _, h := range res.Hits {
		out = append(out, h.ApplicationID)
	}
	return out
}

func snippetText(parts []repository.Part) (text string, marked []string) {
	for _, p := range parts {
		if p.Mark {
			marked = append(marked, p.Text)
		}
		text += p.Text
	}
	return text, marked
}

// TestSearchRankingAndSnippet: a word in the title ranks above the same word in the summary,
// which ranks above it in another answer; the snippet marks the words found (any case, and
// stemmed: "sensor" finds "sensors"); a case without the word is not found.
func TestSearchRankingAndSnippet(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	inBody := w.entry(t, w.ed23, "tech-innovacity", "KR", answers("Quiet streets", "Fewer cars in the centre.",
		form.Answers{"key_results": {Text: "Night buses now run every ten minutes."}}))
	inTitle := w.entry(t, w.ed23, "tech-innovacity", "KR", answers("Talking buses", "Stops announce arrivals.", nil))
	inSummary := w.entry(t, w.ed23, "tech-innovacity", "KR", answers("Smart stops", "Electric buses and shelters with sensors.", nil))
	w.entry(t, w.ed23, "tech-innovacity", "KR", answers("Clean water", "Pipes with sensors.", nil))

	res := w.search(t, repository.Filter{Query: "Buses"})
	if got, want := ids(res), []int64{inTitle, inSummary, inBody}; fmt.Sprint(got) != fmt.Sprint(want) || res.Total != 3 {
		t.Fatalf("ranking: %v (total %d), want %v", got, res.Total, want)
	}
	if !(res.Hits[0].Rank > res.Hits[1].Rank && res.Hits[1].Rank > res.Hits[2].Rank) {
		t.Errorf("ranks not decreasing: %v %v %v", res.Hits[0].Rank, res.Hits[1].Rank, res.Hits[2].Rank)
	}
	text, marked := snippetText(res.Hits[2].Snippet)
	if !strings.Contains(text, "Night buses now run every ten minutes") || fmt.Sprint(marked) != "[buses]" {
		t.Errorf("snippet %q marks %v", text, marked)
	}
	for _, p := range res.Hits[1].Snippet {
		if strings.Contains(p.Text, "qqmark") {
			t.Errorf("a sentinel is left in the snippet: %q", p.Text)
		}
	}
	// words in quotes, OR and minus (websearch syntax); no query lists everything
	if got := ids(w.search(t, repository.Filter{Query: `"electric buses"`})); fmt.Sprint(got) != fmt.Sprint([]int64{inSummary}) {
		t.Errorf("phrase: %v", got)
	}
	if got := ids(w.search(t, repository.Filter{Query: `sensor`})); len(got) != 2 {
		t.Errorf("stemmed: %v", got)
	}
	if got := ids(w.search(t, repository.Filter{Query: `buses -night`})); len(got) != 2 {
		t.Errorf("minus: %v", got)
	}
	if res := w.search(t, repository.Filter{}); res.Total != 4 || len(res.Hits[0].Snippet) != 1 || res.Hits[0].Snippet[0].Mark {
		t.Errorf("listing: %+v", res)
	}
	// the snippet is plain text parts (ts_headline drops tags), never HTML: the page escapes it
	html := w.entry(t, w.ed23, "tech-innovacity", "KR", answers("Markup", "Tram stops with <b>bold</b> signs & <script>alert(1)</script> screens.", nil))
	res = w.search(t, repository.Filter{Query: "tram"})
	if got := ids(res); len(got) != 1 || got[0] != html {
		t.Fatalf("tram: %v", got)
	}
	if text, marked := snippetText(res.Hits[0].Snippet); !strings.Contains(text, "signs & alert(1) screens") || fmt.Sprint(marked) != "[Tram]" {
		t.Errorf("markup snippet: %q %v", text, marked)
	}
}

// TestSearchKorean: a Korean word is found in a title, a summary or another answer, also inside
// a longer word (a particle attached: "서울시" finds "서울시는", "물" finds "물을") and a name
// ("김민지"), ranked by where it is and marked in the snippet; the websearch syntax works with
// Korean words; a Korean word that occurs nowhere finds nothing, and English words are found as
// before.
func TestSearchKorean(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	foundation := w.entry(t, w.ed23, "tech-innovacity", "KR", answers("스마트 서울 재단", "서울시는 시민과 함께 교통 데이터를 공개합니다.",
		form.Answers{"key_results": {Text: "김민지 팀장이 이끄는 디지털 사업이 시작되었습니다."}}))
	busan := w.entry(t, w.ed23, "tech-innovacity", "KR", answers("부산 교통", "버스 노선을 개편했습니다.",
		form.Answers{"key_results": {Text: "Bus lines were redrawn with a citizens' foundation (재단법인). 깨끗한 물을 공급합니다."}}))
	english := w.entry(t, w.ed23, "tech-innovacity", "FR", answers("Quiet streets", "Fewer cars in the centre.", nil))

	for _, c := range []struct {
		query string
		want  []int64
	}{
		{"스마트", []int64{foundation}},
		{"재단", []int64{foundation, busan}}, // the title ranks above another answer
		{"서울시", []int64{foundation}},
		{"김민지", []int64{foundation}},
		{"민지", []int64{foundation}},
		{"노선", []int64{busan}},
		{"물", []int64{busan}}, // one syllable: a prefix
		{"재단 -물", []int64{foundation}},
		{"교통 -버스", []int64{foundation}},
		{`"서울시는 시민과"`, []int64{foundation}},
		{`"서울시 교통"`, nil},
		{"부산 OR 스마트", sorted([]int64{busan, foundation})},
		{"재단 citizens", []int64{busan}},
		{"대전", nil},
		{"대전시청", nil},
		{"streets", []int64{english}},
	} {
		res := w.search(t, repository.Filter{Query: c.query})
		got := ids(res)
		if c.query == "부산 OR 스마트" {
			got = sorted(got)
		}
		if fmt.Sprint(got) != fmt.Sprint(c.want) || res.Total != len(c.want) {
			t.Errorf("%q: %v (total %d), want %v", c.query, got, res.Total, c.want)
		}
	}

	for _, c := range []struct {
		query, text string
		marked      []string
	}{
		{"서울시", "서울시는 시민과 함께 교통 데이터를 공개합니다.", []string{"서울시"}},
		{"김민지 디지털", "김민지 팀장이 이끄는 디지털 사업이", []string{"김민지", "디지털"}},
		{"교통 -버스", "교통 데이터를", []string{"교통"}},
	} {
		res := w.search(t, repository.Filter{Query: c.query})
		if len(res.Hits) == 0 {
			t.Fatalf("%q: nothing found", c.query)
		}
		text, marked := snippetText(res.Hits[0].Snippet)
		if !strings.Contains(text, c.text) || fmt.Sprint(marked) != fmt.Sprint(c.marked) || strings.Contains(text, "qqmark") {
			t.Errorf("%q: snippet %q marks %v, want %q marked %v", c.query, text, marked, c.text, c.marked)
		}
	}
	// a long text: the snippet starts a little before the word found
	long := strings.Repeat("도시 공원을 가꾸는 시민 모임이 있습니다. ", 20) + "마지막으로 정원사 학교를 열었습니다."
	gardener := w.entry(t, w.ed23, "tech-innovacity", "KR", answers("도시 정원", long, nil))
	res := w.search(t, repository.Filter{Query: "정원사"})
	if got := ids(res); fmt.Sprint(got) != fmt.Sprint([]int64{gardener}) {
		t.Fatalf("정원사: %v", got)
	}
	if text, marked := snippetText(res.Hits[0].Snippet); !strings.HasPrefix(text, "… ") ||
		!strings.Contains(text, "마지막으로 정원사 학교를 열었습니다.") || fmt.Sprint(marked) != "[정원사]" {
		t.Errorf("long snippet %q marks %v", text, marked)
	}
}

// TestSearchFilters: each filter alone, and combined with words; the 2024 edition's cases are
// not public before its winners announcement.
func TestSearchFilters(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tech := w.entry(t, w.ed23, "tech-innovacity", "KR", answers("Bus lanes", "Faster buses.", nil))
	energy := w.entry(t, w.ed23, "tech-innovacity", "FR", answers("Solar roofs", "Panels on schools.",
		form.Answers{"sectors": {Choices: []string{"energy", "environment"}}, "stage": {Text: "completed"}, "end_date": {Text: "2022-01-01"}}))
	human := w.entry(t, w.ed23, "human-centricity", "BR", answers("Digital help desks", "Help for older people.",
		form.Answers{"target_groups": {Choices: []string{"elderly"}}, "sectors": {Choices: []string{"welfare"}}}))
	future := w.entry(t, w.ed24, "tech-innovacity", "KR", answers("Bus shelters 2024", "Shelters.", nil))

	for _, c := range []struct {
		f    repository.Filter
		want []int64
	}{
		{repository.Filter{Category: "tech-innovacity"}, []int64{tech, energy}},
		{repository.Filter{Category: "human-centricity"}, []int64{human}},
		{repository.Filter{Edition: "seoul-2023", Sector: "energy"}, []int64{energy}},
		{repository.Filter{TargetGroup: "elderly"}, []int64{human}},
		{repository.Filter{Country: "fr"}, []int64{energy}},
		{repository.Filter{Stage: "completed"}, []int64{energy}},
		{repository.Filter{Stage: "implementing", Country: "KR"}, []int64{tech}},
		{repository.Filter{Query: "bus", Category: "tech-innovacity"}, []int64{tech}},
		{repository.Filter{Edition: "seoul-2024"}, nil},
	} {
		got := ids(w.search(t, c.f))
		if fmt.Sprint(sorted(got)) != fmt.Sprint(sorted(c.want)) {
			t.Errorf("%+v: %v, want %v", c.f, got, c.want)
		}
	}
	if _, err := repository.Get(context.Background(), w.pool, future, after2023); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("a 2024 case before its announcement: %v", err)
	}
	if c, err := repository.Get(context.Background(), w.pool, future, time.Date(2024, 8, 2, 0, 0, 0, 0, time.UTC)); err != nil || c.Title != "Bus shelters 2024" {
		t.Errorf("a 2024 case after its announcement: %+v %v", c, err)
	}
	o, err := repository.LoadOptions(context.Background(), w.pool, after2023)
	if err != nil {
		t.Fatal(err)
	}
	var countries []string // named in English; the page names them in the reader's language
	for _, c := range o.Countries {
		countries = append(countries, c.Value+" "+i18n.English(c.Label))
	}
	if len(o.Editions) != 1 || o.Editions[0].Value != "seoul-2023" || repository.Label(o.Sectors, "energy") != "Energy" ||
		repository.Label(o.TargetGroups, "elderly") != "Older people" || repository.Label(o.Stages, "implementing") != "Being implemented" ||
		strings.Join(countries, ", ") != "BR Brazil, FR France, KR Korea (South)" {
		t.Errorf("options: %+v", o)
	}
}

func sorted(s []int64) []int64 {
	out := append([]int64(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

// TestNeverConfidential: an answer marked confidential on a question that allows it, the
// confidential notes and unpublished questions never enter the table, so no search finds them;
// an entry without the consent, a withdrawn entry and a draft have no case.
func TestNeverConfidential(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	const secret = "zebracodename"
	id := w.entry(t, w.ed23, "tech-innovacity", "KR", answers("Open budget", "Budgets online.", form.Answers{
		"funding":            {Text: "Funded by " + secret + " bank.", Confidential: true},
		"confidential_notes": {Text: "Page 3 names " + secret + "."},
		"key_results":        {Text: "Visible results."},
		"documents":          {Files: []form.FileRef{{ID: "1", Name: "report.pdf"}}},
	}))
	var row string
	if err := w.pool.QueryRow(context.Background(), `SELECT row_to_json(c)::text FROM repository_cases c WHERE application_id = $1`, id).Scan(&row); err != nil {
		t.Fatal(err)
	}
	for _, leak := range []string{secret, "report.pdf", "declare_accuracy", "consent_publication"} {
		if strings.Contains(row, leak) {
			t.Errorf("the stored case holds %q: %s", leak, row)
		}
	}
	if !strings.Contains(row, "Visible results.") {
		t.Errorf("the published answer is missing: %s", row)
	}
	if res := w.search(t, repository.Filter{Query: secret}); res.Total != 0 {
		t.Errorf("searching the secret finds %v", ids(res))
	}
	c, err := repository.Get(context.Background(), w.pool, id, after2023)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Answers["funding"]; ok {
		t.Error("the case has the confidential answer")
	}

	noConsent := answers("No consent", "Private.", nil)
	delete(noConsent, "consent_publication")
	nc := w.entry(t, w.ed23, "tech-innovacity", "KR", noConsent)
	withdrawn := w.entry(t, w.ed23, "tech-innovacity", "KR", answers("Withdrawn", "Gone.", nil))
	w.exec(t, `UPDATE applications SET status = 'withdrawn' WHERE id = $1`, withdrawn)
	if err := repository.Refresh(context.Background(), w.pool, withdrawn); err != nil {
		t.Fatal(err)
	}
	for _, x := range []int64{nc, withdrawn} {
		if _, err := repository.Get(context.Background(), w.pool, x, after2023); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("case %d: %v", x, err)
		}
	}
	if res := w.search(t, repository.Filter{}); res.Total != 1 {
		t.Errorf("cases: %v", ids(res))
	}
}

// TestHideAndUnhide: a hidden case leaves the lists and its page; the secretariat of its
// edition still reads it with the reason; only they may hide or unhide it; a rebuild keeps it
// hidden.
func TestHideAndUnhide(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	id := w.entry(t, w.ed23, "tech-innovacity", "KR", answers("Bus lanes", "Faster buses.", nil))
	other := w.user(t, "sec24", "KR", w.ed24.ID, 0)
	w.exec(t, `INSERT INTO role_grants (user_id, role, edition_id) VALUES ($1, 'secretariat', $2)`, other, w.ed24.ID)

	if err := repository.Hide(ctx, w.pool, other, id, "Wrong", after2023); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("another edition's secretariat hides: %v", err)
	}
	if err := repository.Hide(ctx, w.pool, w.staff, id, "  Names a person who objected.  ", after2023); err != nil {
		t.Fatal(err)
	}
	if res := w.search(t, repository.Filter{Query: "bus"}); res.Total != 0 {
		t.Errorf("a hidden case is found")
	}
	if _, err := repository.Get(ctx, w.pool, id, after2023); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("a hidden case's page: %v", err)
	}
	c, err := repository.ForSecretariat(ctx, w.pool, w.staff, id)
	if err != nil || c.Hidden == nil || c.Hidden.Reason != "Names a person who objected." || c.Hidden.By != "User sec" {
		t.Fatalf("secretariat: %+v %v", c.Hidden, err)
	}
	if _, err := repository.ForSecretariat(ctx, w.pool, other, id); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("another edition's secretariat reads it: %v", err)
	}
	list, err := repository.HiddenList(ctx, w.pool, w.staff, w.ed23.ID)
	if err != nil || len(list) != 1 || list[0].ApplicationID != id {
		t.Errorf("hidden list: %+v %v", list, err)
	}
	if n, err := repository.Rebuild(ctx, w.pool, w.ed23.ID); err != nil || n != 1 {
		t.Fatalf("rebuild: %d %v", n, err)
	}
	if res := w.search(t, repository.Filter{}); res.Total != 0 {
		t.Errorf("the rebuild shows the hidden case")
	}
	if ok, err := repository.Unhide(ctx, w.pool, other, id); ok || err != nil {
		t.Errorf("another edition's secretariat unhides: %v %v", ok, err)
	}
	if ok, err := repository.Unhide(ctx, w.pool, w.staff, id); !ok || err != nil {
		t.Fatalf("unhide: %v %v", ok, err)
	}
	if res := w.search(t, repository.Filter{Query: "bus"}); res.Total != 1 {
		t.Errorf("the case is not back")
	}
}

// TestOutcomeAndRebuild: winners and finalists are marked from the awards and the confirmed
// semi-finalist lists; Rebuild follows a change of the submitted version and drops a withdrawn
// entry.
func TestOutcomeAndRebuild(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	win := w.entry(t, w.ed23, "tech-innovacity", "KR", answers("Winner", "Won.", nil))
	fin := w.entry(t, w.ed23, "tech-innovacity", "KR", answers("Finalist", "Almost.", nil))
	plain := w.entry(t, w.ed23, "tech-innovacity", "KR", answers("Another", "Tried.", nil))
	for _, id := range []int64{win, fin} {
		w.exec(t, `INSERT INTO semi_finalists (application_id, edition_id, category_id, source, rank, added_at)
			SELECT id, edition_id, category_id, 'ranking', 1, now() FROM applications WHERE id = $1`, id)
	}
	w.exec(t, `INSERT INTO semi_finalist_lists (edition_id, category_id, confirmed_by, confirmed_at)
		SELECT edition_id, category_id, $2, now() FROM applications WHERE id = $1`, win, w.staff)
	w.exec(t, `INSERT INTO awards (application_id, edition_id, category_id, place, prize_name, confirmed_by, confirmed_at)
		SELECT id, edition_id, category_id, 1, 'Grand Prize', $2, now() FROM applications WHERE id = $1`, win, w.staff)
	res := w.search(t, repository.Filter{})
	if got := ids(res); fmt.Sprint(got) != fmt.Sprint([]int64{win, fin, plain}) {
		t.Fatalf("order: %v", got)
	}
	if o := res.Hits[0].Outcome; !o.Winner() || o.Prize != "Grand Prize" || !o.Finalist {
		t.Errorf("winner: %+v", o)
	}
	if o := res.Hits[1].Outcome; o.Winner() || !o.Finalist {
		t.Errorf("finalist: %+v", o)
	}
	if o := res.Hits[2].Outcome; o.Winner() || o.Finalist {
		t.Errorf("other: %+v", o)
	}

	raw, _ := json.Marshal(answers("Another, renamed", "Tried again.", nil))
	w.exec(t, `INSERT INTO application_versions (application_id, number, answers, submitted_at) VALUES ($1, 2, $2, now())`, plain, raw)
	w.exec(t, `UPDATE applications SET status = 'withdrawn' WHERE id = $1`, fin)
	if n, err := repository.Rebuild(ctx, w.pool, w.ed23.ID); err != nil || n != 2 {
		t.Fatalf("rebuild: %d %v", n, err)
	}
	c, err := repository.Get(ctx, w.pool, plain, after2023)
	if err != nil || c.Title != "Another, renamed" || c.Summary != "Tried again." {
		t.Errorf("rebuilt case: %+v %v", c, err)
	}
	if _, err := repository.Get(ctx, w.pool, fin, after2023); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("withdrawn: %v", err)
	}
	// with no entry left, the rebuild leaves no case
	w.exec(t, `UPDATE applications SET status = 'withdrawn'`)
	if n, err := repository.Rebuild(ctx, w.pool, w.ed23.ID); err != nil || n != 0 {
		t.Fatalf("rebuild of none: %d %v", n, err)
	}
	if res := w.search(t, repository.Filter{}); res.Total != 0 {
		t.Errorf("cases left: %v", ids(res))
	}
}

// TestBuildNomination: a nomination's case is titled with the candidate, its country read from
// the published answer.
func TestBuildNomination(t *testing.T) {
	def, err := edition.ParseBuiltin("seoul-2024")
	if err != nil {
		t.Fatal(err)
	}
	var f *form.Form
	for _, c := range def.Categories {
		if c.Key == "leadership" {
			f = c.Form
		}
	}
	r, ok := repository.Build(f, repository.Source{Kind: "nomination", CandidateName: "Kim Min-ji", CandidateOrganisation: "Seoul",
		Answers: form.Answers{"country": {Text: "korea (south)"}, "achievements_summary": {Text: "Led the open data plan."},
			"impact": {Text: "Secret impact.", Confidential: true}, "consent_publication": {Text: "yes"}}})
	if !ok || r.Title != "Kim Min-ji" || r.Country != "KR" || r.Summary != "Led the open data plan." || strings.Contains(r.Body, "Secret") {
		t.Errorf("%+v %v", r, ok)
	}
	if repository.Slug("Kim Min-ji: Seoul's “open” data!") != "kim-min-ji-seoul-s-open-data" {
		t.Errorf("slug %q", repository.Slug("Kim Min-ji: Seoul's “open” data!"))
	}
}
