package server_test

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"prizeportal/internal/account"
	"prizeportal/internal/blocks/pdfdoc/pdfdoctest"
	"prizeportal/internal/config"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition"
	"prizeportal/internal/files"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/notifytest"
	rt "prizeportal/internal/ranking/rankingtest"
	"prizeportal/internal/server"
)

// askExport posts the exports form of edition as c and returns the new export's id.
func askExport(t *testing.T, c *client, editionID int64, form url.Values) int64 {
	t.Helper()
	r := c.post("/exports?edition="+strconv.FormatInt(editionID, 10), form)
	if r.status != 303 || !strings.HasPrefix(r.location, "/exports/") {
		t.Fatalf("asking for an export: %d %q\n%s", r.status, r.location, r.body)
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(r.location, "/exports/"), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// runExportJob runs the export job of id once, as the worker would.
func runExportJob(t *testing.T, e *env, id int64) {
	t.Helper()
	j := e.server.ExportJobForTest()
	if err := j.Run(context.Background(), id, 1, false); err != nil {
		t.Fatalf("export job %d: %v", id, err)
	}
}

// exportFile asks for an export, runs its job and downloads the file.
func exportFile(t *testing.T, e *env, c *client, editionID int64, form url.Values) []byte {
	t.Helper()
	id := askExport(t, c, editionID, form)
	runExportJob(t, e, id)
	r := c.get("/exports/" + strconv.FormatInt(id, 10) + "/download")
	wantStatus(t, "download", r, 200)
	return []byte(r.body)
}

// xlsxCells opens a workbook and returns its sheets' rows by sheet name, in sheet order.
func xlsxCells(t *testing.T, data []byte) ([]string, map[string][][]string) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("open xlsx: %v", err)
	}
	defer f.Close()
	out := map[string][][]string{}
	for _, name := range f.GetSheetList() {
		rows, err := f.GetRows(name)
		if err != nil {
			t.Fatal(err)
		}
		out[name] = rows
	}
	return f.GetSheetList(), out
}

// cellsText is every cell of every sheet, one per line.
func cellsText(sheets map[string][][]string) string {
	var b strings.Builder
	for _, rows := range sheets {
		for _, row := range rows {
			for _, c := range row {
				b.WriteString(c + "\n")
			}
		}
	}
	return b.String()
}

// column returns the value of header h in row (by the sheet's header row).
func column(t *testing.T, rows [][]string, row int, h string) string {
	t.Helper()
	i := slices.Index(rows[0], h)
	if i < 0 {
		t.Fatalf("no column %q in %q", h, rows[0])
	}
	if i >= len(rows[row]) {
		return ""
	}
	return rows[row][i]
}

// pdfText extracts a PDF's text with poppler's pdftotext, whitespace collapsed.
func pdfText(t *testing.T, pdf []byte) string { return pdfdoctest.Text(t, pdf) }

func unzip(t *testing.T, data []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("open zip: %v", err)
	}
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name] = b
	}
	return out
}

// plantAnswers replaces the submitted answers of app (its only version) with answers (JSON).
func plantAnswers(t *testing.T, e *env, app int64, answers string) {
	t.Helper()
	for _, q := range []string{`UPDATE applications SET answers = $2::jsonb WHERE id = $1`,
		`UPDATE application_versions SET answers = $2::jsonb WHERE application_id = $1`} {
		if _, err := e.pool.Exec(context.Background(), q, app, answers); err != nil {
			t.Fatal(err)
		}
	}
}

// TestExportDecisionPack: the secretariat builds the decision pack; the job's page shows it
// queued, then ready with progress complete; the ZIP holds the workbook (a sheet per category,
// a column per question, confidential answers marked), a PDF dossier per semi-finalist and the
// methodology note with the weights and the aggregation method. Another user cannot see or
// download it.
func TestExportDecisionPack(t *testing.T) {
	t.Parallel()
	de := newDossierEnv(t, true)
	plantAnswers(t, de.env, de.alpha, `{"project_title": {"text": "Alpha Mobility"},
		"funding_sources": {"choices": ["government", "private"]},
		"funding": {"text": "PACK-SECRET-FUNDING", "confidential": true}}`)
	// a submitted Leadership nomination with its candidate's details
	if _, err := de.pool.Exec(context.Background(), `
		WITH u AS (INSERT INTO users (login_id, email, name, password_hash, email_verified_at, edition_id)
		           VALUES ('nominator1', 'nominator1@example.org', 'Nominator One', 'x', now(), $1) RETURNING id),
		a AS (INSERT INTO applications (user_id, edition_id, category_id, kind, status, answers, submitted_version, submitted_at)
		      SELECT u.id, $1, c.id, 'nomination', 'submitted', '{}', 1, now() FROM u, categories c
		      WHERE c.edition_id = $1 AND c.key = 'leadership' RETURNING id, user_id),
		v AS (INSERT INTO application_versions (application_id, number, answers, submitted_at) SELECT id, 1, '{}', now() FROM a)
		INSERT INTO nominations (application_id, user_id, edition_id, self, candidate_name, candidate_email,
			candidate_organisation, candidate_position, created_at)
		SELECT id, user_id, $1, false, 'Kim Candidate', 'kim@example.org', 'Seoul Digital Foundation', 'Director', now() FROM a`,
		de.ed.ID); err != nil {
		t.Fatal(err)
	}
	sec := de.signedInClient(t, de.secretariat)
	page := sec.get("/exports?edition=" + strconv.FormatInt(de.ed.ID, 10))
	wantStatus(t, "exports page", page, 200)
	if !strings.Contains(page.body, "Build the decision pack") {
		t.Fatalf("exports page lacks the pack:\n%s", page.body)
	}
	id := askExport(t, sec, de.ed.ID, url.Values{"kind": {"pack"}})
	href := "/exports/" + strconv.FormatInt(id, 10)
	queued := sec.get(href)
	wantStatus(t, "queued job", queued, 200)
	if !strings.Contains(queued.body, "Waiting to start") || !strings.Contains(queued.body, ">Refresh</a>") || strings.Contains(queued.body, "/download") {
		t.Fatalf("queued job page:\n%s", queued.body)
	}
	runExportJob(t, de.env, id)
	var status string
	var progress, total int
	if err := de.pool.QueryRow(context.Background(), `SELECT status, progress, total FROM export_jobs WHERE id = $1`, id).Scan(&status, &progress, &total); err != nil {
		t.Fatal(err)
	}
	if status != "done" || total == 0 || progress != total {
		t.Fatalf("job: status %s, %d of %d", status, progress, total)
	}
	done := sec.get(href)
	if !strings.Contains(done.body, "Ready") || !strings.Contains(done.body, href+"/download") {
		t.Fatalf("done job page:\n%s", done.body)
	}
	// nobody else sees or downloads it
	for _, other := range []int64{de.council, de.head, de.ev1} {
		wantStatus(t, "another user's export page", de.signedInClient(t, other).get(href), 404)
		wantStatus(t, "another user's download", de.signedInClient(t, other).get(href+"/download"), 404)
	}
	wantStatus(t, "anonymous download: to the sign-in page", de.client(t).get(href+"/download"), 303)

	r := sec.get(href + "/download")
	wantStatus(t, "download", r, 200)
	files := unzip(t, []byte(r.body))
	var names []string
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	alphaPDF := "dossiers/dossier-" + strconv.FormatInt(de.alpha, 10) + "-alpha-mobility.pdf"
	betaPDF := "dossiers/dossier-" + strconv.FormatInt(de.beta, 10) + "-beta-welfare.pdf"
	want := []string{"decision-data.xlsx", alphaPDF, betaPDF, "methodology.pdf"}
	slices.Sort(want)
	if !slices.Equal(names, want) {
		t.Fatalf("pack files %q, want %q", names, want)
	}
	order, sheets := xlsxCells(t, files["decision-data.xlsx"])
	if len(order) < 3 || order[0] != "Tech-InnovaCity" || !slices.Contains(order, "Human-CentriCity") || !slices.Contains(order, "Leadership") {
		t.Fatalf("sheets %q", order)
	}
	tech := sheets["Tech-InnovaCity"]
	for _, h := range []string{"Entry", "Title", "Applicant (account)", "Email", "Project title", "Sources of funding [CONFIDENTIAL] if marked"} {
		if !slices.Contains(tech[0], h) {
			t.Errorf("header lacks %q: %q", h, tech[0])
		}
	}
	if len(tech) != 4 { // header, alpha, beta, gamma
		t.Fatalf("tech rows: %d", len(tech))
	}
	if got := column(t, tech, 1, "Title"); got != "Alpha Mobility" {
		t.Errorf("first row title %q", got)
	}
	if got := column(t, tech, 1, "Sources of funding [CONFIDENTIAL] if marked"); got != "National or regional government; Private investment" {
		t.Errorf("multiple choice as labels: %q", got)
	}
	if got := column(t, tech, 1, "How was the funding secured? [CONFIDENTIAL] if marked"); got != "[CONFIDENTIAL] PACK-SECRET-FUNDING" {
		t.Errorf("confidential answer: %q", got)
	}
	if got := column(t, tech, 1, "Email"); got != "alpha@example.org" {
		t.Errorf("email %q", got)
	}
	lead := sheets["Leadership"]
	if len(lead) != 2 || column(t, lead, 1, "Title") != "Nomination of Kim Candidate" || column(t, lead, 1, "Candidate's email") != "kim@example.org" ||
		column(t, lead, 1, "Candidate's organisation") != "Seoul Digital Foundation" || column(t, lead, 1, "Candidate's position") != "Director" {
		t.Errorf("leadership sheet %q", lead)
	}
	dossier := pdfText(t, files[alphaPDF])
	for _, w := range []string{"Alpha Mobility", de.alphaComment, "dossier for the Prize Council"} {
		if !strings.Contains(dossier, w) {
			t.Errorf("dossier lacks %q:\n%s", w, dossier)
		}
	}
	note := pdfText(t, files["methodology.pdf"])
	for _, w := range []string{"Criteria and weights", "Relevance to the Theme", "Weight", "Technological Novelty",
		"Aggregation method", "Weighted mean (mean)", "Conflicts of interest excluded", "recusal", "Schulze method",
		"Tie-break chain", "committee's aggregate score", "chair's recorded decision"} {
		if !strings.Contains(note, w) {
			t.Errorf("methodology note lacks %q:\n%s", w, note)
		}
	}
}

// TestExportScoresAnonymised: once the scoring round is closed, the secretariat exports every
// sheet with each indicator and comment; anonymised, no evaluator's name appears anywhere and
// each evaluator keeps one number; not anonymised (CSV), the names are there. Before the close
// the scores are sealed (409).
func TestExportScoresAnonymised(t *testing.T) {
	t.Parallel()
	de := newDossierEnv(t, true)
	sec := de.signedInClient(t, de.secretariat)
	r := sec.post("/exports?edition="+strconv.FormatInt(de.ed.ID, 10), url.Values{"kind": {"scores"}})
	wantStatus(t, "scores before the close", r, 409)
	dbtest.Exec(t, de.pool, `INSERT INTO scoring_rounds (edition_id, method, closed_at) VALUES ($1, 'median', now())`, de.ed.ID)
	data := exportFile(t, de.env, sec, de.ed.ID, url.Values{"kind": {"scores"}, "scores-format": {"xlsx"}, "scores-anonymise": {"yes"}})
	order, sheets := xlsxCells(t, data)
	if !slices.Equal(order, []string{"Scores, Tech-InnovaCity"}) {
		t.Fatalf("sheets %q", order)
	}
	rows := sheets["Scores, Tech-InnovaCity"]
	for _, h := range []string{"Relevance to the Theme: Technological Novelty", "Relevance to the Theme: mean", "Governance: comment", "Overall comment"} {
		if !slices.Contains(rows[0], h) {
			t.Errorf("header lacks %q: %q", h, rows[0])
		}
	}
	if len(rows) != 5 { // alpha ×2, beta, gamma
		t.Fatalf("rows: %d", len(rows))
	}
	all := cellsText(sheets)
	for _, name := range []string{"Evaluator ev1", "Evaluator ev2", "ev1@example.org", "ev2@example.org"} {
		if strings.Contains(all, name) || bytes.Contains(data, []byte(name)) {
			t.Errorf("anonymised export names %q", name)
		}
	}
	ev1 := ""
	for i := 1; i < len(rows); i++ {
		if column(t, rows, i, "Governance: comment") == de.alphaComment {
			ev1 = column(t, rows, i, "Evaluator")
			if column(t, rows, i, "Overall comment") != de.alphaOverall || column(t, rows, i, "Relevance to the Theme: Technological Novelty") != "4" ||
				column(t, rows, i, "Relevance to the Theme: mean") != "3.00" {
				t.Errorf("ev1's sheet on alpha: %q", rows[i])
			}
		}
	}
	if !strings.HasPrefix(ev1, "Evaluator ") {
		t.Fatalf("ev1 named %q", ev1)
	}
	for i := 1; i < len(rows); i++ { // ev1 scored alpha, beta and gamma: the same number each time
		if title := column(t, rows, i, "Title"); (title == "Beta Welfare" || title == "Gamma Grid") && column(t, rows, i, "Evaluator") != ev1 {
			t.Errorf("%s by %q, want %q", title, column(t, rows, i, "Evaluator"), ev1)
		}
	}
	csv := string(exportFile(t, de.env, sec, de.ed.ID, url.Values{"kind": {"scores"}, "scores-format": {"csv"}}))
	if !strings.Contains(csv, "Evaluator ev1") || !strings.Contains(csv, de.alphaComment) {
		t.Errorf("named CSV:\n%s", csv)
	}
	// the head may export the scores; an evaluator may not (403)
	exportFile(t, de.env, de.signedInClient(t, de.head), de.ed.ID, url.Values{"kind": {"scores"}})
	wantStatus(t, "an evaluator's scores export", de.signedInClient(t, de.ev1).post("/exports?edition="+strconv.FormatInt(de.ed.ID, 10),
		url.Values{"kind": {"scores"}}), 403)
}

// TestExportEvaluatorOwnEntries: an evaluator's export holds the entry assigned to them with its
// answers and their own scores, never the unassigned entry, the conflicted one, nor another
// evaluator's scores (DOMAIN.md "Round 2").
func TestExportEvaluatorOwnEntries(t *testing.T) {
	t.Parallel()
	de := newDossierEnv(t, true)
	plantAnswers(t, de.env, de.alpha, `{"project_title": {"text": "Alpha Mobility"}, "funding": {"text": "ASSIGNED-ANSWER-7781"}}`)
	plantAnswers(t, de.env, de.beta, `{"project_title": {"text": "Beta Welfare"}, "funding": {"text": "CONFLICTED-ANSWER-7782"}}`)
	plantAnswers(t, de.env, de.gamma, `{"project_title": {"text": "Gamma Grid"}, "funding": {"text": "UNASSIGNED-ANSWER-7783"}}`)
	for _, app := range []int64{de.alpha, de.beta} {
		dbtest.Exec(t, de.pool, `INSERT INTO assignments (application_id, evaluator_id, edition_id, assigned_at)
			SELECT id, $2, edition_id, now() FROM applications WHERE id = $1`, app, de.ev1)
	}
	// ev1 declares a tie to beta's organisation after the assignment: beta is conflicted
	dbtest.Exec(t, de.pool, `INSERT INTO conflict_declarations (edition_id, evaluator_id, kind, name, created_at)
		VALUES ($1, $2, 'organisation', 'Org beta', now())`, de.ed.ID, de.ev1)
	dbtest.Exec(t, de.pool, `UPDATE score_sheets SET overall_comment = 'EV2-OWN-COMMENT' WHERE evaluator_id = $1`, de.ev2)
	data := exportFile(t, de.env, de.signedInClient(t, de.ev1), de.ed.ID, url.Values{"kind": {"assigned"}, "assigned-format": {"xlsx"}})
	order, sheets := xlsxCells(t, data)
	if !slices.Contains(order, "Tech-InnovaCity") || !slices.Contains(order, "Your scores, Tech-InnovaCity") {
		t.Fatalf("sheets %q", order)
	}
	all := cellsText(sheets)
	for _, w := range []string{"Alpha Mobility", "ASSIGNED-ANSWER-7781", de.alphaComment, de.alphaOverall} {
		if !strings.Contains(all, w) {
			t.Errorf("evaluator's export lacks %q", w)
		}
	}
	for _, w := range []string{"Beta Welfare", "CONFLICTED-ANSWER-7782", "Gamma Grid", "UNASSIGNED-ANSWER-7783", "EV2-OWN-COMMENT",
		"Evaluator ev2", "alpha@example.org", "Applicant alpha"} {
		if strings.Contains(all, w) {
			t.Errorf("evaluator's export shows %q", w)
		}
	}
	if n := len(sheets["Tech-InnovaCity"]); n != 2 {
		t.Errorf("entries sheet rows: %d", n)
	}
	if n := len(sheets["Your scores, Tech-InnovaCity"]); n != 2 {
		t.Errorf("scores sheet rows: %d", n)
	}
	// an evaluator may not ask for the staff exports
	for _, kind := range []string{"applications", "pack", "votes", "audit"} {
		wantStatus(t, "evaluator asking for "+kind, de.signedInClient(t, de.ev1).post("/exports?edition="+strconv.FormatInt(de.ed.ID, 10),
			url.Values{"kind": {kind}}), 403)
	}
}

// TestExportVotesAfterClose: ballots and results are exported only once the vote is closed
// (409 before); the ballots are anonymous and the result lists the final order.
func TestExportVotesAfterClose(t *testing.T) {
	t.Parallel()
	w := newBallotWorld(t, votingDay, 3, 3)
	sec := w.e.signedInClient(t, w.secretariat)
	wantStatus(t, "votes before the close", sec.post("/exports?edition="+strconv.FormatInt(w.edID, 10), url.Values{"kind": {"votes"}}), 409)
	w.vote(t, w.members[0], 1, 2, 3)
	w.vote(t, w.members[1], 1, 3, 2)
	w.vote(t, w.members[2], 2, 1, 0)
	wantStatus(t, "close", w.e.signedInClient(t, w.members[0]).post(w.url("close"), url.Values{}), 303)
	data := exportFile(t, w.e, sec, w.edID, url.Values{"kind": {"votes"}, "votes-format": {"xlsx"}})
	order, sheets := xlsxCells(t, data)
	if !slices.Equal(order, []string{"Ballots, Tech-InnovaCity", "Results, Tech-InnovaCity"}) {
		t.Fatalf("sheets %q", order)
	}
	ballots := sheets["Ballots, Tech-InnovaCity"]
	if len(ballots) != 4 || ballots[1][0] != "Ballot 1" || !strings.Contains(cellsText(sheets), "abstained") {
		t.Fatalf("ballots %q", ballots)
	}
	if txt := cellsText(sheets); strings.Contains(txt, "cm1") || strings.Contains(txt, "cm2") {
		t.Errorf("ballots name a member:\n%s", txt)
	}
	results := sheets["Results, Tech-InnovaCity"]
	if results[0][0] != "Place" || results[1][0] != "1" || column(t, results, 1, "Title") != "Entry A" {
		t.Errorf("results %q", results)
	}
	// the decision pack holds the protocol, and its note counts the abstention
	pack := unzip(t, exportFile(t, w.e, sec, w.edID, url.Values{"kind": {"pack"}}))
	protocol, ok := pack["protocols/protocol-tech-innovacity.pdf"]
	if !ok {
		t.Fatalf("pack without the protocol: %d files", len(pack))
	}
	if txt := pdfText(t, protocol); !strings.Contains(txt, "Result protocol: Tech-InnovaCity") || !strings.Contains(txt, "Final order") {
		t.Errorf("protocol:\n%s", txt)
	}
	if txt := pdfText(t, pack["methodology.pdf"]); !strings.Contains(txt, "Council abstentions for a conflict, Tech-InnovaCity 1") {
		t.Errorf("methodology note:\n%s", txt)
	}
	if book := pack["decision-data.xlsx"]; len(book) == 0 {
		t.Error("pack without the workbook")
	} else if order, _ := xlsxCells(t, book); !slices.Contains(order, "Results, Tech-InnovaCity") {
		t.Errorf("pack workbook sheets %q", order)
	}
	// the council reads them too; an evaluator may not
	exportFile(t, w.e, w.e.signedInClient(t, w.members[1]), w.edID, url.Values{"kind": {"votes"}, "votes-format": {"csv"}})
	wantStatus(t, "evaluator", w.e.signedInClient(t, w.evaluator).post("/exports?edition="+strconv.FormatInt(w.edID, 10), url.Values{"kind": {"votes"}}), 403)
}

// TestExportAuditLog: an admin exports the audit log as CSV, with the export's own request in it.
func TestExportAuditLog(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	admin := matrixUser(t, e, "auditor", "admin")
	var edID int64
	if err := e.pool.QueryRow(context.Background(), `SELECT id FROM editions WHERE slug = 'seoul-2023'`).Scan(&edID); err != nil {
		t.Fatal(err)
	}
	c := e.signedInClient(t, admin)
	id := askExport(t, c, edID, url.Values{"kind": {"audit"}})
	runExportJob(t, e, id)
	res, err := c.http.Get(e.srv.URL + "/exports/" + strconv.FormatInt(id, 10) + "/download")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	csv := string(body)
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment;") ||
		!strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("download: %d %q %q", res.StatusCode, res.Header.Get("Content-Disposition"), res.Header.Get("Content-Type"))
	}
	if !strings.HasPrefix(csv, "\ufeffID,At (UTC),Actor,Action") || !strings.Contains(csv, "export.request") {
		t.Fatalf("audit CSV:\n%s", csv)
	}
	// the secretariat may not export the audit log
	sec := matrixUser(t, e, "sec", "secretariat")
	wantStatus(t, "secretariat's audit export", e.signedInClient(t, sec).post("/exports?edition="+strconv.FormatInt(edID, 10),
		url.Values{"kind": {"audit"}}), 403)
}

// flakyStorage fails the first Put, as a storage outage would.
type flakyStorage struct {
	files.Storage
	puts atomic.Int32
}

func (f *flakyStorage) Put(ctx context.Context, key string, r io.Reader, size int64) error {
	if f.puts.Add(1) == 1 {
		return errors.New("storage unavailable")
	}
	return f.Storage.Put(ctx, key, r, size)
}

// TestExportJobRetry: the background job survives a failed attempt: River runs it again and
// the export is done on the second attempt, its progress complete.
func TestExportJobRetry(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	def, err := edition.ParseBuiltin("seoul-2023")
	if err != nil {
		t.Fatal(err)
	}
	ed, err := edition.Import(context.Background(), pool, def)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	sessions, stop := server.NewSessions(cfg, pool)
	t.Cleanup(stop)
	local, err := files.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { local.Close() })
	store := &flakyStorage{Storage: local}
	keys := testKeys(t)
	s := server.New(server.Deps{Files: store, Config: cfg, Pool: pool, Sessions: sessions, Outbox: notify.NewOutbox(pool), Secrets: keys,
		Logger: slog.New(slog.DiscardHandler), HashParams: account.TestHashParams, Now: func() time.Time { return fixedNow }})
	e := &env{pool: pool, server: s, sessions: sessions, keys: keys}
	e.srv = httptest.NewServer(s)
	t.Cleanup(e.srv.Close)
	rt.Entry(t, pool, ed.EditionID, "tech-innovacity", "retry", "Retry Project 4411")
	sec := rt.Evaluator(t, pool, ed.EditionID, "sec", "secretariat")
	c := e.signedInClient(t, sec)
	id := askExport(t, c, ed.EditionID, url.Values{"kind": {"applications"}, "applications-format": {"csv"}})

	wcfg := notifytest.FastWorkerConfig(nil)
	wcfg.Jobs = []notify.Job{s.ExportJobForTest()}
	w, err := notify.NewWorker(pool, wcfg)
	if err != nil {
		t.Fatal(err)
	}
	notifytest.StartWorker(t, w)
	deadline := time.Now().Add(30 * time.Second)
	var status string
	var attempts, progress, total int
	for {
		if err := pool.QueryRow(context.Background(), `SELECT status, attempts, progress, total FROM export_jobs WHERE id = $1`, id).
			Scan(&status, &attempts, &progress, &total); err != nil {
			t.Fatal(err)
		}
		if status == "done" || status == "failed" || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if status != "done" || attempts != 2 || progress != 1 || total != 1 {
		t.Fatalf("job: %s after %d attempts, %d of %d", status, attempts, progress, total)
	}
	r := c.get("/exports/" + strconv.FormatInt(id, 10) + "/download")
	wantStatus(t, "download", r, 200)
	csvs := unzip(t, []byte(r.body)) // a CSV per category
	if tech := string(csvs["tech-innovacity.csv"]); !strings.Contains(tech, "Retry Project 4411") || len(csvs) != 3 {
		t.Fatalf("CSV files %d; tech-innovacity.csv:\n%s", len(csvs), tech)
	}
}
