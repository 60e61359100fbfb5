package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"prizeportal/internal/blocks/form"
	"prizeportal/internal/repository"
)

// secretWord is planted in confidential answers; no public page may ever show it.
const secretWord = "Xylocarp7731confidential"

// repositoryWorld is the results world (seoul-2023, A, B and C winners, D a finalist) whose
// entries consented to publication, with A's budget and funding marked confidential and its
// confidential notes holding secretWord, plus E, an entry that is not a finalist, and a
// nomination; the clock is one day before the winners announcement.
type repositoryWorld struct {
	*resultsWorld
	other      int64 // E
	nomination int64
}

func newRepositoryWorld(t *testing.T) *repositoryWorld {
	t.Helper()
	w := &repositoryWorld{resultsWorld: newResultsWorld(t)}
	ctx := context.Background()
	summaries := []string{"Alpha makes buses talk to waiting passengers.", "Bravo counts bicycles at crossings.",
		"Charlie lights streets when someone walks.", "Delta maps potholes from garbage trucks."}
	for i, id := range w.entries {
		a := form.Answers{"summary": {Text: summaries[i]}, "sectors": {Choices: []string{"mobility"}},
			"stage": {Text: "implementing"}, "consent_publication": {Text: "yes"}}
		if i == 0 {
			a["budget"] = form.Answer{Text: "777 " + secretWord, Confidential: true}
			a["funding"] = form.Answer{Text: "Paid by " + secretWord + " holdings.", Confidential: true}
			a["confidential_notes"] = form.Answer{Text: "Do not publish " + secretWord + "."}
			a["key_results"] = form.Answer{Text: "Waiting times fell by a third."}
		}
		w.setAnswers(t, id, a)
	}
	w.other = w.entryWith(t, "entrye", "Echo benches", form.Answers{"summary": {Text: "Echo benches charge phones in parks."},
		"sectors": {Choices: []string{"energy"}}, "stage": {Text: "completed"}, "consent_publication": {Text: "yes"}})
	// a nomination of the leadership category
	if err := w.e.pool.QueryRow(ctx, `
		WITH u AS (INSERT INTO users (login_id, email, name, password_hash, email_verified_at, edition_id)
		           VALUES ('nominator', 'nominator@example.org', 'Nominator', 'x', now(), $1) RETURNING id),
		a AS (INSERT INTO applications (user_id, edition_id, category_id, kind, status, submitted_version, submitted_at)
		      SELECT u.id, $1, c.id, 'nomination', 'submitted', 1, now() FROM u, categories c
		      WHERE c.edition_id = $1 AND c.key = 'leadership' RETURNING id, user_id)
		INSERT INTO nominations (application_id, user_id, edition_id, self, candidate_name, candidate_email, candidate_organisation, created_at)
		SELECT id, user_id, $1, false, 'Foxtrot Kim', 'fox@example.org', 'Seoul Digital Foundation', now() FROM a
		RETURNING application_id`, w.edID).Scan(&w.nomination); err != nil {
		t.Fatal(err)
	}
	w.setAnswers(t, w.nomination, form.Answers{
		"country":              {Text: "Korea (South)"},
		"city":                 {Text: "Seoul"},
		"achievements_summary": {Text: "Foxtrot opened the city's data to citizens."},
		"impact":               {Text: "Impact hidden " + secretWord, Confidential: true},
		"consent_publication":  {Text: "yes"},
	})
	return w
}

// setAnswers replaces the submitted answers of application id (keeping its title) and refreshes
// its case, as a submission does.
func (w *repositoryWorld) setAnswers(t *testing.T, id int64, a form.Answers) {
	t.Helper()
	raw, _ := json.Marshal(a)
	w.exec(t, `UPDATE applications SET answers = answers || $2 WHERE id = $1`, id, raw)
	w.exec(t, `INSERT INTO application_versions (application_id, number, answers, submitted_at)
		SELECT id, 1, answers, now() FROM applications WHERE id = $1
		ON CONFLICT (application_id, number) DO UPDATE SET answers = excluded.answers`, id)
	if err := repository.Refresh(context.Background(), w.e.pool, id); err != nil {
		t.Fatal(err)
	}
}

// entryWith adds a submitted Tech-InnovaCity project titled title with answers.
func (w *repositoryWorld) entryWith(t *testing.T, login, title string, a form.Answers) int64 {
	t.Helper()
	var id int64
	if err := w.e.pool.QueryRow(context.Background(), `
		WITH u AS (INSERT INTO users (login_id, email, name, password_hash, email_verified_at, country, organisation, edition_id, category_id)
		           SELECT $2, $2 || '@example.org', 'Applicant ' || $2, 'x', now(), 'BR', 'Org ' || $2, $1, c.id
		           FROM categories c WHERE c.edition_id = $1 AND c.key = 'tech-innovacity' RETURNING id, category_id)
		INSERT INTO applications (user_id, edition_id, category_id, status, answers, submitted_version, submitted_at)
		SELECT id, $1, category_id, 'submitted', jsonb_build_object('project_title', jsonb_build_object('text', $3::text)), 1, now()
		FROM u RETURNING id`, w.edID, login, title).Scan(&id); err != nil {
		t.Fatal(err)
	}
	w.setAnswers(t, id, a)
	return id
}

func casePath(id int64) string { return fmt.Sprintf("/repository/%d", id) }

// publicPaths are every public page of the repository, the archive and the results.
func (w *repositoryWorld) publicPaths() []string {
	paths := []string{"/repository", "/repository?q=" + url.QueryEscape(secretWord), "/repository?q=holdings",
		"/repository?q=buses", "/repository?q=budget", "/repository?category=tech-innovacity&sector=mobility",
		"/repository?page=2", "/results", "/results?category=tech-innovacity", "/editions/seoul-2023/results",
		"/editions/seoul-2023/semi-finalists", "/editions/seoul-2023", "/"}
	for _, id := range append(append([]int64{}, w.entries...), w.other, w.nomination) {
		paths = append(paths, casePath(id), casePath(id)+"/any-slug")
	}
	return paths
}

// TestRepositoryPublicFromTheAnnouncement: before the winners announcement the repository is
// empty and a case's page 404; from it, every consenting entry is listed with the winners and
// finalists marked in words, the search ranks and marks the words found, the filters work,
// and a case's page shows its published answers and nothing confidential; the archive lists
// the winners with links to their cases.
func TestRepositoryPublicFromTheAnnouncement(t *testing.T) {
	t.Parallel()
	w := newRepositoryWorld(t)
	c := w.e.client(t)
	if r := c.get("/repository"); r.status != 200 || !strings.Contains(r.body, "0 cases.") || strings.Contains(r.body, "Entry A") {
		t.Fatalf("before the announcement: %d\n%s", r.status, r.body)
	}
	if r := c.get(casePath(w.entries[0])); r.status != 404 {
		t.Errorf("a case before the announcement: %d", r.status)
	}
	if r := c.get("/results"); r.status != 200 || !strings.Contains(r.body, "No winners have been announced yet.") {
		t.Errorf("archive before: %d\n%s", r.status, r.body)
	}

	w.clock.Advance(24 * time.Hour)
	r := c.get("/repository")
	for _, want := range []string{"6 cases.", "Entry A", "Winner: First place, First Prize", "Entry D", "Finalist", "Echo benches",
		"Foxtrot Kim", `href="/repository/` + fmt.Sprint(w.entries[0]) + `/entry-a"`, "Every sector", "Being implemented", "Older people",
		"Korea (South)", "Brazil"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the repository lacks %q", want)
		}
	}
	// winners first, then finalists, then the others
	if !(strings.Index(r.body, "Entry A") < strings.Index(r.body, "Entry D") && strings.Index(r.body, "Entry D") < strings.Index(r.body, "Echo benches")) {
		t.Errorf("not in the order winners, finalists, others")
	}
	r = c.get("/repository?q=buses")
	if !strings.Contains(r.body, "1 case matches “buses”.") || !strings.Contains(r.body, "<mark>buses</mark>") || strings.Contains(r.body, "Entry B") {
		t.Errorf("search:\n%s", r.body)
	}
	for q, want := range map[string]string{"sector=energy": "Echo benches", "stage=completed": "Echo benches", "country=BR": "Echo benches",
		"category=leadership": "Foxtrot Kim", "q=citizens+data": "Foxtrot Kim"} {
		r := c.get("/repository?" + q)
		if !strings.Contains(r.body, "1 case") || !strings.Contains(r.body, want) {
			t.Errorf("%s: want only %q\n%s", q, want, r.body)
		}
	}
	r = c.get(casePath(w.entries[0]) + "/whatever")
	for _, want := range []string{"Entry A", "Winner: First place, First Prize", "Alpha makes buses talk to waiting passengers.",
		"Waiting times fell by a third.", "Being implemented", "Mobility", "Tech-InnovaCity"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the case page lacks %q", want)
		}
	}
	for _, leak := range []string{"Total budget", "Anything else to keep confidential", "I agree that this application"} {
		if strings.Contains(r.body, leak) {
			t.Errorf("the case page shows %q", leak)
		}
	}
	for _, q := range []string{"%ff%fe", "%00bus", strings.Repeat("%C3%A9", 300), "a&page=-3", "a&page=99999999", "%22%22%22%20-%20OR"} {
		if r := c.get("/repository?q=" + q); r.status != 200 {
			t.Errorf("q=%s: %d", q, r.status)
		}
	}
	if r := c.get("/repository/x"); r.status != 404 {
		t.Errorf("a malformed id: %d", r.status)
	}
	r = c.get("/results")
	for _, want := range []string{"Seoul Smart City Prize 2023", "First place: First Prize", `href="/repository/` + fmt.Sprint(w.entries[0]) + `/entry-a"`,
		`href="/editions/seoul-2023/results"`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the archive lacks %q\n%s", want, r.body)
		}
	}
	if r := c.get("/results?category=human-centricity"); strings.Contains(r.body, "Entry A") {
		t.Errorf("the archive's category filter shows another category")
	}
	if r := c.get("/editions/seoul-2023/results"); !strings.Contains(r.body, `href="/results"`) || !strings.Contains(r.body, `href="/repository"`) {
		t.Errorf("the results page does not link to the archive and the repository")
	}
	if r := c.get("/editions/seoul-2023"); !strings.Contains(r.body, `href="/repository"`) {
		t.Errorf("the edition page does not link to the repository")
	}
}

// TestRepositorySearchesKorean: the repository page finds a Korean entry by a word with its
// particle left out and by a name, marks it in the snippet, and finds nothing for a Korean word
// that occurs nowhere.
func TestRepositorySearchesKorean(t *testing.T) {
	t.Parallel()
	w := newRepositoryWorld(t)
	w.entryWith(t, "entryk", "스마트 서울 재단", form.Answers{"summary": {Text: "서울시는 김민지 팀장과 함께 교통 데이터를 공개합니다."},
		"sectors": {Choices: []string{"mobility"}}, "stage": {Text: "implementing"}, "consent_publication": {Text: "yes"}})
	w.clock.Advance(24 * time.Hour)
	c := w.e.client(t)
	for q, mark := range map[string]string{"서울시": "<mark>서울시</mark>는", "김민지": "<mark>김민지</mark> 팀장과"} {
		r := c.get("/repository?q=" + url.QueryEscape(q))
		if !strings.Contains(r.body, "1 case matches “"+q+"”.") || !strings.Contains(r.body, "스마트 서울 재단") ||
			!strings.Contains(r.body, mark) {
			t.Errorf("q=%s:\n%s", q, r.body)
		}
	}
	if r := c.get("/repository?q=" + url.QueryEscape("부산")); !strings.Contains(r.body, "0 cases match") {
		t.Errorf("부산 is found:\n%s", r.body)
	}
}

// languageNext is the language switch's hidden field naming the page to come back to.
var languageNext = regexp.MustCompile(`<input type="hidden" name="next" value="[^"]*">`)

// TestRepositoryNeverShowsConfidential: a unique string planted in answers marked confidential
// (on questions that allow it), in the confidential notes and in a nomination's confidential
// answer appears on no public page, whatever is searched, before and after the announcement.
func TestRepositoryNeverShowsConfidential(t *testing.T) {
	t.Parallel()
	w := newRepositoryWorld(t)
	c := w.e.client(t)
	for _, phase := range []string{"before", "after"} {
		for _, p := range w.publicPaths() {
			r := c.get(p)
			// a search for the string echoes it in the search box, the count and the language
			// switch's way back to the page: that is the visitor's own words, not the answer
			body := languageNext.ReplaceAllString(r.body, "")
			body = strings.NewReplacer(`value="`+secretWord+`"`, "", "“"+secretWord+"”", "").Replace(body)
			if strings.Contains(strings.ToLower(body), strings.ToLower(secretWord)) {
				t.Errorf("%s the announcement, %s shows the confidential string", phase, p)
			}
		}
		w.clock.Advance(24 * time.Hour)
	}
	if r := c.get("/repository?q=" + url.QueryEscape(secretWord)); !strings.Contains(r.body, "0 cases match") {
		t.Errorf("searching the confidential string finds a case")
	}
	if r := c.get(casePath(w.entries[0])); r.status != 200 {
		t.Fatalf("the case with confidential answers is not public: %d", r.status)
	}
}

// TestRepositoryHideAndUnhide: the secretariat hides a case with a reason (required: 422 with
// the error next to the field), audited; the case leaves the public pages (404) and appears in
// the hidden list; showing it again is audited too. Other roles are refused.
func TestRepositoryHideAndUnhide(t *testing.T) {
	t.Parallel()
	w := newRepositoryWorld(t)
	w.clock.Advance(24 * time.Hour)
	sec := w.e.signedInClient(t, w.secretariat)
	pub := w.e.client(t)
	id := w.entries[3]
	manage := fmt.Sprintf("/secretariat/repository/%d", id)

	if r := sec.get(casePath(id)); !strings.Contains(r.body, `href="`+manage+`"`) {
		t.Errorf("the case page does not link the secretariat to the hide page")
	}
	if r := pub.get(casePath(id)); strings.Contains(r.body, manage) {
		t.Errorf("the public case page links to the hide page")
	}
	if r := sec.get(manage); r.status != 200 || !strings.Contains(r.body, "Why hide this case?") {
		t.Fatalf("manage page: %d\n%s", r.status, r.body)
	}
	r := sec.post(manage+"/hide", url.Values{"reason": {"   "}})
	if r.status != 422 || !strings.Contains(r.body, "Give the reason for hiding this case.") || !strings.Contains(r.body, `aria-invalid="true"`) ||
		!strings.Contains(r.body, `href="#f-reason"`) {
		t.Fatalf("no reason: %d\n%s", r.status, r.body)
	}
	if r := pub.get(casePath(id)); r.status != 200 {
		t.Fatalf("hidden without a reason: %d", r.status)
	}
	if r := sec.post(manage+"/hide", url.Values{"reason": {"The city asked us to remove the potholes map."}}); r.status != 303 || r.location != manage {
		t.Fatalf("hide: %d %s", r.status, r.location)
	}
	if r := pub.get(casePath(id)); r.status != 404 {
		t.Errorf("a hidden case's page: %d", r.status)
	}
	if r := pub.get("/repository?q=potholes"); !strings.Contains(r.body, "0 cases match") {
		t.Errorf("a hidden case is found")
	}
	if r := sec.get(manage); !strings.Contains(r.body, "Reason: The city asked us to remove the potholes map.") || !strings.Contains(r.body, "Show the case again") {
		t.Errorf("manage page of a hidden case:\n%s", r.body)
	}
	if r := sec.get("/secretariat/repository"); !strings.Contains(r.body, "Entry D") || !strings.Contains(r.body, "The city asked us") {
		t.Errorf("hidden list:\n%s", r.body)
	}
	var details string
	if err := w.e.pool.QueryRow(context.Background(), `SELECT details::text FROM audit_log WHERE action = 'repository.hide' AND object_id = $1 AND actor_id = $2`,
		fmt.Sprint(id), w.secretariat).Scan(&details); err != nil || !strings.Contains(details, "potholes map") {
		t.Errorf("audit of the hiding: %q %v", details, err)
	}
	if r := sec.post(manage+"/unhide", url.Values{}); r.status != 303 {
		t.Fatalf("unhide: %d", r.status)
	}
	if r := pub.get(casePath(id)); r.status != 200 {
		t.Errorf("the case is not back: %d", r.status)
	}
	var n int
	w.e.pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action = 'repository.unhide' AND object_id = $1`, fmt.Sprint(id)).Scan(&n)
	if n != 1 {
		t.Errorf("unhide audit entries: %d", n)
	}
	// other roles: the council chair and an applicant are refused; an unknown case is 404
	for _, u := range []int64{w.chair, w.users[0]} {
		if r := w.e.signedInClient(t, u).post(manage+"/hide", url.Values{"reason": {"no"}}); r.status != 403 {
			t.Errorf("user %d hides: %d", u, r.status)
		}
	}
	if r := pub.post(manage+"/hide", url.Values{"reason": {"no"}}); r.status != 401 && !(r.status == 303 && strings.HasPrefix(r.location, "/signin")) {
		t.Errorf("anonymous hides: %d %s", r.status, r.location)
	}
	if r := sec.get("/secretariat/repository/999999"); r.status != 404 {
		t.Errorf("unknown case: %d", r.status)
	}
}

// TestRepositoryFollowsSubmissions: a submission through the portal puts the entry in the
// repository in its transaction, and a withdrawal takes it out.
func TestRepositoryFollowsSubmissions(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	kim := applicantUser(t, e, "kim", true)
	answers := completeAnswers(t, e)
	answers["project_title"] = form.Answer{Text: "Kim's trams"}
	saveAnswers(t, e, kim, answers)
	c := e.signedInClient(t, kim)
	if r := c.post("/application/submit", url.Values{"version": {"1"}}); r.status != 303 {
		t.Fatalf("submit: %d\n%s", r.status, r.body)
	}
	count := func() (n int) {
		e.pool.QueryRow(context.Background(), `SELECT count(*) FROM repository_cases c JOIN applications a ON a.id = c.application_id
			WHERE a.user_id = $1 AND c.title = 'Kim''s trams'`, kim).Scan(&n)
		return n
	}
	if count() != 1 {
		t.Fatal("the submitted entry is not in the repository")
	}
	if r := c.post("/application/withdraw", url.Values{}); r.status != 303 {
		t.Fatalf("withdraw: %d", r.status)
	}
	if count() != 0 {
		t.Error("the withdrawn entry is still in the repository")
	}
	e.runTask(t, "repository-rebuild", time.Now)
}
