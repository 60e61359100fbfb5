package privacy_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"prizeportal/internal/edition/editiontest"
	"prizeportal/internal/privacy"
	"prizeportal/internal/repository"
)

// TestRetentionPurgesUnsuccessfulEntries runs the retention task on a real database with files
// in the storage: within the edition's retention period it purges only expired tokens, links,
// sessions, abuse counters and old email bodies; once the edition's retention_years have passed
// since the results, the unsuccessful entries lose their personal data and files (a draft goes
// entirely, a screened and scored entry keeps its score, a repository case keeps its published
// answers), their accounts are anonymised, and the winner is left as it is. Each run writes one
// audit entry; a run with nothing left to do changes nothing.
func TestRetentionPurgesUnsuccessfulEntries(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)

	// A screened and scored entry without consent to publication.
	loser := f.user(t, "zqvloser", "zqvloser@city.example", "Zqvloser Person", "Zqvloser Org", f.project.ID)
	ldoc := f.file(t, "zqvloser.pdf", "%PDF-1.7 zqvloser", loser)
	la := f.projectAnswers("Zqvloser buses", "Zqvloser summary", "zqvloser notes", ldoc, "zqvloser.pdf")
	delete(la, repository.ConsentKey)
	lapp := f.entry(t, loser, f.project, "project", la)
	f.exec(t, `INSERT INTO application_files (application_id, file_id, question) VALUES ($1, $2, 'documents')`, lapp, ldoc)
	f.exec(t, `INSERT INTO screening_decisions (application_id, decision, reason_text, decided_by, decided_at) VALUES ($1, 'eligible', 'zqvloser ok', $2, $3)`, lapp, f.staff, now)
	sheet := f.id(t, `INSERT INTO score_sheets (application_id, evaluator_id, edition_id, status, overall_comment, created_at, updated_at)
		VALUES ($1, $2, $3, 'submitted', 'zqvloser is fine', $4, $4) RETURNING id`, lapp, f.evaluator, f.ed.ID, now)
	f.exec(t, `INSERT INTO sheet_scores (sheet_id, indicator_id, score) VALUES ($1, $2, 3)`, sheet, f.project.Criteria[0].Indicators[0].ID)

	// A draft that was never submitted.
	drafter := f.user(t, "zqvdraft", "zqvdraft@city.example", "Zqvdraft Person", "Zqvdraft Org", f.project.ID)
	ddoc := f.file(t, "zqvdraft.pdf", "%PDF-1.7 zqvdraft", drafter)
	dapp := f.id(t, `INSERT INTO applications (user_id, edition_id, category_id, answers) VALUES ($1, $2, $3, '{"project_title": {"text": "zqvdraft"}}') RETURNING id`,
		drafter, f.ed.ID, f.project.ID)
	f.exec(t, `INSERT INTO application_files (application_id, file_id, question) VALUES ($1, $2, 'documents')`, dapp, ddoc)

	// A returning participant: registered in 2023 and in the next edition (nothing saved there
	// yet), so the account stays.
	returning := f.user(t, "zqvreturn", "zqvreturn@city.example", "Zqvreturn Person", "Zqvreturn Org", f.project.ID)
	next := editiontest.ImportNextYear(t, f.pool, "seoul-2023")
	f.exec(t, `INSERT INTO edition_registrations (user_id, edition_id, category_id, terms_version, terms_accepted_at)
		SELECT $1, $2, c.id, '2023-1', now() FROM categories c WHERE c.edition_id = $2 AND c.key = 'tech-innovacity'`, returning, next.ID)

	// A case of the repository, with consent, that did not win.
	caser := f.user(t, "zqvrepogone", "zqvrepogone@city.example", "Zqvrepogone Person", "Zqvrepo Org", f.project.ID)
	cdoc := f.file(t, "zqvrepogone.pdf", "%PDF-1.7 zqvrepogone", caser)
	capp := f.entry(t, caser, f.project, "project", f.projectAnswers("Zqvrepo buses", "Zqvrepo summary", "zqvrepogone notes", cdoc, "zqvrepogone.pdf"))
	f.exec(t, `INSERT INTO application_files (application_id, file_id, question) VALUES ($1, $2, 'documents')`, capp, cdoc)
	if err := repository.Refresh(ctx, f.pool, capp); err != nil {
		t.Fatal(err)
	}

	// The winner.
	winner := f.user(t, "zqvwinner", "zqvwinner@city.example", "Zqvwinner Person", "Zqvwinner Org", f.project.ID)
	wdoc := f.file(t, "zqvwinner.pdf", "%PDF-1.7 zqvwinner", winner)
	wapp := f.entry(t, winner, f.project, "project", f.projectAnswers("Zqvwinner buses", "Zqvwinner summary", "zqvwinner notes", wdoc, "zqvwinner.pdf"))
	f.exec(t, `INSERT INTO application_files (application_id, file_id, question) VALUES ($1, $2, 'documents')`, wapp, wdoc)
	f.exec(t, `INSERT INTO awards (application_id, edition_id, category_id, place, prize_name, confirmed_by, confirmed_at)
		VALUES ($1, $2, $3, 1, 'First place', $4, $5)`, wapp, f.ed.ID, f.project.ID, f.staff, now)

	// Tokens, links, sessions, abuse counters and emails, old and recent.
	old, recent := now.Add(-40*24*time.Hour), now.Add(-time.Hour)
	f.exec(t, `INSERT INTO user_tokens (user_id, purpose, token_hash, created_at, expires_at) VALUES
		($1, 'verify_email', '\x01', $2, $2), ($1, 'reset_password', '\x02', $3, $4)`, f.staff, old, recent, now.Add(time.Hour))
	f.exec(t, `INSERT INTO private_links (token_hash, purpose, subject_id, created_at, expires_at) VALUES
		('\x03', 'endorsement_confirm', 1, $1, $1), ('\x04', 'endorsement_confirm', 2, $2, $2)`, old, recent)
	f.exec(t, `INSERT INTO sessions (token_hash, data, expiry) VALUES (sha256('gone'), '\x00', $1), (sha256('live'), '\x00', $2)`, recent, now.Add(time.Hour))
	f.exec(t, `INSERT INTO throttle_events (kind, key, at) VALUES ('register', '192.0.2.1', $1), ('register', '192.0.2.2', $2)`,
		now.Add(-8*24*time.Hour), now.Add(-2*24*time.Hour))
	f.exec(t, `INSERT INTO email_outbox (to_address, subject, html_body, text_body, sent_at, attachments) VALUES
		('a@example.org', 'Old', '<p>old body</p>', 'old body', $1, '[{"name": "r.pdf", "data": "JVBERg=="}]'),
		('b@example.org', 'Recent', '<p>recent body</p>', 'recent body', $2, '[]'),
		('c@example.org', 'Unsent', '<p>unsent body</p>', 'unsent body', NULL, '[]')`,
		now.Add(-privacy.SentBodyRetention-time.Hour), now.Add(-10*24*time.Hour))

	// Within the retention period (5 years after the 2023 results): only what expired goes.
	res, err := f.svc.Retain(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Editions) != 0 || res.Tokens != 1 || res.Links != 1 || res.Sessions != 1 || res.ThrottleEvents != 1 || res.EmailBodies != 1 ||
		res.EntriesDeleted+res.EntriesAnonymised+res.EntriesKept+res.Accounts+res.Files != 0 {
		t.Fatalf("first run: %+v", res)
	}
	var bodies string
	f.pool.QueryRow(ctx, `SELECT string_agg(subject || ':' || text_body || ':' || attachments::text, ' | ' ORDER BY id) FROM email_outbox`).Scan(&bodies)
	if bodies != "Old::[] | Recent:recent body:[] | Unsent:unsent body:[]" {
		t.Errorf("emails after the first run: %s", bodies)
	}
	for _, m := range []string{"zqvloser", "zqvdraft", "zqvrepogone", "zqvwinner"} {
		if hits := f.scan(t, m); len(hits) == 0 {
			t.Fatalf("%s was purged within the retention period", m)
		}
	}

	// The edition keeps personal data two years after its results: that time has passed.
	f.exec(t, `UPDATE editions SET retention_years = 2 WHERE id = $1`, f.ed.ID)
	res, err = f.svc.Retain(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Editions) != 1 || res.EntriesDeleted != 1 || res.EntriesAnonymised != 1 || res.EntriesKept != 1 || res.Files != 3 || res.Accounts != 3 {
		t.Fatalf("second run: %+v", res)
	}
	for _, m := range []string{"zqvloser", "zqvdraft", "zqvrepogone"} {
		if hits := f.scan(t, m); len(hits) != 0 {
			t.Errorf("%s is still in %v", m, hits)
		}
	}
	if hits := f.scan(t, "zqvwinner"); len(hits) < 5 || !strings.Contains(strings.Join(hits, " "), "storage:") {
		t.Errorf("the winner lost data: %v", hits)
	}
	want := "application_versions.answers applications.answers repository_cases.answers repository_cases.body repository_cases.document repository_cases.summary repository_cases.title"
	if hits := f.scan(t, "zqvrepo"); strings.Join(hits, " ") != want {
		t.Errorf("the repository case keeps %v, want %s", hits, want)
	}
	if n := f.storedObjects(t); n != 1 {
		t.Errorf("%d objects in the storage, want the winner's only", n)
	}
	var score int
	var erased int
	var caseCountry string
	f.pool.QueryRow(ctx, `SELECT (SELECT score FROM sheet_scores WHERE sheet_id = $1),
		(SELECT count(*) FROM users WHERE erased_at IS NOT NULL), (SELECT country FROM users WHERE id = $2)`, sheet, caser).
		Scan(&score, &erased, &caseCountry)
	// The repository case of a project shows its account's country, which stays.
	var kept bool
	f.pool.QueryRow(ctx, `SELECT erased_at IS NULL FROM users WHERE id = $1`, returning).Scan(&kept)
	if !kept {
		t.Error("the returning participant's account was anonymised")
	}
	if score != 3 || erased != 3 || caseCountry != "KR" {
		t.Errorf("score %d, erased accounts %d, country of the case's account %q", score, erased, caseCountry)
	}

	// Nothing left to do: the run changes nothing and is still recorded.
	res, err = f.svc.Retain(ctx, now)
	if err != nil || res.EntriesDeleted+res.EntriesAnonymised+res.EntriesKept+res.Accounts+res.Files+res.EmailBodies != 0 {
		t.Fatalf("third run: %+v %v", res, err)
	}
	var runs int
	var details string
	f.pool.QueryRow(ctx, `SELECT count(*), (array_agg(details::text ORDER BY id))[2] FROM audit_log WHERE action = $1 AND actor_label = 'system'`,
		privacy.RetainAction).Scan(&runs, &details)
	if runs != 3 || !strings.Contains(details, `"entries_deleted": 1`) || !strings.Contains(details, `"editions": [`) {
		t.Errorf("%d audit entries of the runs; the second: %s", runs, details)
	}
}
