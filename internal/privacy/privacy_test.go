package privacy_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/account"
	"prizeportal/internal/blocks/form"
	"prizeportal/internal/blocks/form/formtest"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition"
	"prizeportal/internal/edition/editiontest"
	"prizeportal/internal/files"
	"prizeportal/internal/files/filestest"
	"prizeportal/internal/privacy"
	"prizeportal/internal/repository"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// now is the clock of the tests: after the seoul-2023 results, within its retention period.
var now = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

// fixture is a database with the seoul-2023 edition, a local file storage and staff.
type fixture struct {
	pool      *pgxpool.Pool
	store     *files.Local
	svc       *privacy.Service
	ed        *edition.Edition
	project   *edition.Category
	lead      *edition.Category
	admin     int64
	staff     int64
	evaluator int64
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{pool: dbtest.New(t), store: filestest.NewLocal(t)}
	f.svc = &privacy.Service{Pool: f.pool, Files: f.store}
	f.ed = editiontest.Import(t, f.pool, "seoul-2023")[0]
	for i := range f.ed.Categories {
		c := &f.ed.Categories[i]
		if c.Kind == edition.KindLeadership && f.lead == nil {
			f.lead = c
		} else if c.Kind == edition.KindProject && f.project == nil {
			f.project = c
		}
	}
	f.admin = f.user(t, "admin", "admin@org.example", "Ada Admin", "", 0)
	f.exec(t, `INSERT INTO role_grants (user_id, role) VALUES ($1, 'admin')`, f.admin)
	f.staff = f.user(t, "secretariat", "sec@org.example", "Sam Secretariat", "", 0)
	f.evaluator = f.user(t, "evaluator", "eva@org.example", "Eva Evaluator", "", 0)
	return f
}

func (f *fixture) exec(t *testing.T, sql string, args ...any) {
	t.Helper()
	dbtest.Exec(t, f.pool, sql, args...)
}

func (f *fixture) id(t *testing.T, sql string, args ...any) int64 {
	t.Helper()
	var id int64
	if err := f.pool.QueryRow(context.Background(), sql, args...).Scan(&id); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return id
}

// user creates an account registered for category (0: none).
func (f *fixture) user(t *testing.T, login, email, name, org string, category int64) int64 {
	t.Helper()
	var cat, ed *int64
	if category != 0 {
		cat, ed = &category, &f.ed.ID
	}
	return f.id(t, `
		INSERT INTO users (login_id, email, name, organisation, phone, city, country, password_hash, edition_id, category_id,
		                   entity_type, terms_version, terms_accepted_at, email_verified_at)
		VALUES ($1, $2, $3, $4, '+82 2 1234 5678', 'Seoul', 'KR', 'x', $5, $6, 'city', '1', $7, $7) RETURNING id`,
		login, email, name, org, ed, cat, now.Add(-400*24*time.Hour))
}

// file stores content under a fresh key and records it as uploaded by by (0: no account).
func (f *fixture) file(t *testing.T, name, content string, by int64) int64 {
	t.Helper()
	ctx := context.Background()
	key := files.NewKey()
	if err := f.store.Put(ctx, key, strings.NewReader(content), int64(len(content))); err != nil {
		t.Fatal(err)
	}
	rec, err := files.Record(ctx, f.pool, files.Stored{Key: key, Name: name, Size: int64(len(content)), ContentType: "application/pdf",
		SHA256: strings.Repeat("a", 64)}, by, now)
	if err != nil {
		t.Fatal(err)
	}
	return rec.ID
}

// entry creates a submitted entry of owner in cat with answers, as version 1.
func (f *fixture) entry(t *testing.T, owner int64, cat *edition.Category, kind string, answers form.Answers) int64 {
	t.Helper()
	raw, err := json.Marshal(answers)
	if err != nil {
		t.Fatal(err)
	}
	id := f.id(t, `
		INSERT INTO applications (user_id, edition_id, category_id, kind, status, answers, submitted_version, submitted_at, created_at, updated_at)
		VALUES ($1, $2, $3, $4, 'submitted', $5, 1, $6, $6, $6) RETURNING id`, owner, f.ed.ID, cat.ID, kind, raw, f.ed.Schedule.ApplicationDeadline.Add(-time.Hour))
	f.exec(t, `INSERT INTO application_versions (application_id, number, answers, submitted_at) VALUES ($1, 1, $2, $3)`,
		id, raw, f.ed.Schedule.ApplicationDeadline.Add(-time.Hour))
	return id
}

// projectAnswers is a complete project application with title, summary, responsible and
// confidential notes as given, and the file fileID in its documents.
func (f *fixture) projectAnswers(title, summary, notes string, fileID int64, fileName string) form.Answers {
	a := formtest.Complete(f.project.Form)
	a["project_title"] = form.Answer{Text: title}
	a["summary"] = form.Answer{Text: summary}
	a["confidential_notes"] = form.Answer{Text: notes}
	a["funding"] = form.Answer{Text: notes + " funding", Confidential: true}
	a["responsible"] = form.Answer{Text: "The team of " + title}
	a["documents"] = form.Answer{Files: []form.FileRef{{ID: fmt.Sprint(fileID), Name: fileName}}}
	return a
}

// scan lists every place that holds marker (case-insensitive): each text, varchar, json, jsonb,
// bytea, array and tsvector column of every table, as "table.column", and every object in the
// storage, as "storage:key".
func (f *fixture) scan(t *testing.T, marker string) []string {
	t.Helper()
	ctx := context.Background()
	rows, err := f.pool.Query(ctx, `
		SELECT c.table_schema, c.table_name, c.column_name, c.data_type
		FROM information_schema.columns c
		JOIN information_schema.tables tb ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name
		WHERE c.table_schema NOT IN ('pg_catalog', 'information_schema') AND tb.table_type = 'BASE TABLE'
		  AND c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'bytea', 'ARRAY', 'tsvector')
		ORDER BY 1, 2, 3`)
	if err != nil {
		t.Fatal(err)
	}
	type col struct{ schema, table, column, typ string }
	cols, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (col, error) {
		var c col
		return c, r.Scan(&c.schema, &c.table, &c.column, &c.typ)
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(cols) < 100 {
		t.Fatalf("only %d columns to scan", len(cols))
	}
	var hits []string
	needle := strings.ToLower(marker)
	for _, c := range cols {
		expr := pgx.Identifier{c.column}.Sanitize() + "::text"
		if c.typ == "bytea" {
			expr = "encode(" + pgx.Identifier{c.column}.Sanitize() + ", 'escape')"
		}
		var n int
		q := `SELECT count(*) FROM ` + pgx.Identifier{c.schema, c.table}.Sanitize() + ` WHERE strpos(lower(` + expr + `), $1) > 0`
		if err := f.pool.QueryRow(ctx, q, needle).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if n > 0 {
			hits = append(hits, c.table+"."+c.column)
		}
	}
	err = filepath.WalkDir(f.store.Dir(), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(f.store.Dir(), path)
		if bytes.Contains(bytes.ToLower(b), []byte(needle)) || strings.Contains(strings.ToLower(rel), needle) {
			hits = append(hits, "storage:"+rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(hits)
	return hits
}

// storedObjects counts the objects in the storage.
func (f *fixture) storedObjects(t *testing.T) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(f.store.Dir(), func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// person is the one to erase: an applicant whose data carries the marker "zqvmark" everywhere
// the portal can hold it. It returns the account, the project entry (in the record: screened
// and scored) and the draft nomination (outside it).
func (f *fixture) person(t *testing.T) (userID, project, draft int64) {
	t.Helper()
	const m = "zqvmark"
	u := f.user(t, m+"-login", m+"@person.example", "Zqvmark Person", "Zqvmark Org", f.project.ID)
	f.exec(t, `UPDATE users SET phone = '+82 zqvmark', city = 'Zqvmark City' WHERE id = $1`, u)
	f.exec(t, `INSERT INTO role_grants (user_id, role, edition_id) VALUES ($1, 'applicant', $2)`, u, f.ed.ID)

	// The project, submitted, with a file (content and name), screened, clarified and scored.
	doc := f.file(t, "zqvmark-plan.pdf", "%PDF-1.7 the zqvmark plan", u)
	project = f.entry(t, u, f.project, "project", f.projectAnswers("Zqvmark buses", "Zqvmark's summary", "zqvmark notes", doc, "zqvmark-plan.pdf"))
	f.exec(t, `INSERT INTO application_files (application_id, file_id, question) VALUES ($1, $2, 'documents')`, project, doc)
	f.exec(t, `INSERT INTO screening_decisions (application_id, decision, reason_text, checklist, decided_by, decided_at, review_note)
		VALUES ($1, 'eligible', 'Zqvmark is eligible', '{"note": "zqvmark"}', $2, $3, 'ask zqvmark')`, project, f.staff, now)
	f.exec(t, `INSERT INTO entry_flags (application_id, kind, detail, created_at) VALUES ($1, 'conflict', 'applicant_email zqvmark@person.example', $2)`, project, now)
	f.exec(t, `INSERT INTO application_extensions (application_id, until, reason, granted_by, granted_at) VALUES ($1, $2, 'Zqvmark was ill', $3, $2)`, project, now, f.staff)
	clar := f.id(t, `INSERT INTO clarifications (application_id, question, deadline, asked_by, asked_at, answer_text, answered_by, answered_at)
		VALUES ($1, 'Dear Zqvmark Person, which buses?', $2, $3, $4, 'zqvmark answers: the blue ones', $5, $4) RETURNING id`,
		project, now.Add(48*time.Hour), f.staff, now, u)
	cdoc := f.file(t, "zqvmark-answer.pdf", "%PDF-1.7 zqvmark answer", u)
	f.exec(t, `INSERT INTO clarification_files (clarification_id, file_id) VALUES ($1, $2)`, clar, cdoc)
	sheet := f.id(t, `INSERT INTO score_sheets (application_id, evaluator_id, edition_id, status, criterion_comments, overall_comment, created_at, updated_at, submitted_at)
		VALUES ($1, $2, $3, 'submitted', '{"governance": "zqvmark governs well"}', 'Zqvmark impressed me', $4, $4, $4) RETURNING id`,
		project, f.evaluator, f.ed.ID, now)
	ind := f.project.Criteria[0].Indicators[0].ID
	f.exec(t, `INSERT INTO sheet_scores (sheet_id, indicator_id, score) VALUES ($1, $2, 4)`, sheet, ind)

	// A draft nomination the person started and never submitted, with a file.
	draftDoc := f.file(t, "zqvmark-cv.pdf", "%PDF-1.7 zqvmark cv", u)
	draft = f.id(t, `INSERT INTO applications (user_id, edition_id, category_id, kind, answers) VALUES ($1, $2, $3, 'nomination',
		'{"achievements_summary": {"text": "zqvmark draft"}}') RETURNING id`, u, f.ed.ID, f.lead.ID)
	f.exec(t, `INSERT INTO application_files (application_id, file_id, question) VALUES ($1, $2, 'cv')`, draft, draftDoc)
	f.exec(t, `INSERT INTO nominations (application_id, user_id, edition_id, self, candidate_name, candidate_email, created_at)
		VALUES ($1, $2, $3, true, 'Zqvmark Person', 'zqvmark@person.example', $4)`, draft, u, f.ed.ID, now)

	// Another nominator's nomination, for which the person wrote a letter (text and file) and
	// signed an endorsement.
	other := f.user(t, "olga", "olga@other.example", "Olga Other", "Other Org", f.lead.ID)
	nom := f.id(t, `INSERT INTO applications (user_id, edition_id, category_id, kind, answers) VALUES ($1, $2, $3, 'nomination', '{}') RETURNING id`,
		other, f.ed.ID, f.lead.ID)
	f.exec(t, `INSERT INTO nominations (application_id, user_id, edition_id, self, candidate_name, candidate_email, created_at, endorsement_code)
		VALUES ($1, $2, $3, false, 'Carl Candidate', 'carl@city.example', $4, 'code1')`, nom, other, f.ed.ID, now)
	// Olga also nominated the person (a draft, with the consent link sent): the nomination is
	// Olga's and stays, without the person.
	about := f.id(t, `INSERT INTO applications (user_id, edition_id, category_id, kind, answers) VALUES ($1, $2, $3, 'nomination',
		'{"achievements_summary": {"text": "Zqvmark led the smart bus project"}}') RETURNING id`, other, f.ed.ID, f.lead.ID)
	f.exec(t, `INSERT INTO nominations (application_id, user_id, edition_id, self, candidate_name, candidate_email, candidate_organisation,
		candidate_position, consent, consent_note, created_at)
		VALUES ($1, $2, $3, false, 'Zqvmark Person', 'Zqvmark@Person.example', 'Zqvmark Org', 'Zqvmark chief', 'declined', 'zqvmark says no', $4)`,
		about, other, f.ed.ID, now)
	f.exec(t, `INSERT INTO private_links (token_hash, purpose, subject_id, created_at, expires_at) VALUES ('\x05', 'nomination_consent', $1, $2, $3)`,
		about, now, now.Add(time.Hour))
	ldoc := f.file(t, "zqvmark-letter.pdf", "%PDF-1.7 letter signed zqvmark", 0)
	letter := f.id(t, `INSERT INTO recommendation_letters (application_id, status, invited_name, invited_email, invited_organisation, invited_at,
		received_at, recommender_name, recommender_title, recommender_organisation, recommender_category, letter_text, file_id)
		VALUES ($1, 'received', 'Zqvmark Person', 'ZQVMARK@person.example', 'Zqvmark Org', $2, $2, 'Zqvmark Person', 'Mayor of Zqvmark',
		        'Zqvmark Org', 'city-head', 'I, Zqvmark, recommend Carl.', $3) RETURNING id`, nom, now, ldoc)
	f.exec(t, `INSERT INTO private_links (token_hash, purpose, subject_id, created_at, expires_at) VALUES ('\x01', 'recommendation_letter', $1, $2, $3)`,
		letter, now, now.Add(time.Hour))
	endorsement := f.id(t, `INSERT INTO endorsements (application_id, name, city, country, email, email_norm, created_at, confirmed_at)
		VALUES ($1, 'Zqvmark Person', 'Zqvmark City', 'KR', 'zqvmark@person.example', 'zqvmark@person.example', $2, $2) RETURNING id`, nom, now)
	f.exec(t, `INSERT INTO audit_log (actor_label, action, object_type, object_id, ip, details) VALUES ('', 'endorsement.confirm', 'endorsement', $1, '203.0.113.9', '{"nomination": 1}')`,
		fmt.Sprint(endorsement))

	// Emails: to the person (sent and unsent, with an attachment), and to someone else about them.
	f.exec(t, `INSERT INTO email_outbox (to_address, to_name, subject, html_body, text_body, user_id, sent_at, attachments)
		VALUES ('zqvmark@person.example', 'Zqvmark Person', 'Receipt for Zqvmark buses', '<p>Dear Zqvmark</p>', 'Dear Zqvmark', $1, $2,
		        '[{"name": "zqvmark.pdf", "content_type": "application/pdf", "data": "JVBERg=="}]'),
		       ('zqvmark@person.example', 'Zqvmark Person', 'Reminder', '<p>Dear Zqvmark</p>', 'Dear Zqvmark', $1, NULL, '[]'),
		       ('olga@other.example', 'Olga Other', 'Letter received', '<p>Zqvmark Person sent the letter</p>', 'Zqvmark Person sent the letter', $3, $2, '[]')`,
		u, now, other)
	// The job queue kept the mail server's refusal of an email to the person.
	f.exec(t, `INSERT INTO river_job (args, kind, max_attempts, queue, errors)
		VALUES ('{"id": 1}', 'email.send', 25, 'email', ARRAY['{"attempt": 1, "error": "550 <zqvmark@person.example>: no such user"}'::jsonb])`)
	// Audit: by the person, about their entry, naming them.
	f.exec(t, `INSERT INTO audit_log (actor_id, actor_label, action, object_type, object_id, ip, details)
		VALUES ($1, 'zqvmark-login', 'application.submit', 'application', $2, '198.51.100.7', '{"title": "Zqvmark buses"}'),
		       ($3, 'Sam Secretariat', 'screening.decide', 'application', $2, '192.0.2.1', '{"reason": "Zqvmark ok"}'),
		       (NULL, 'zqvmark@person.example', 'auth.signin_failed', '', '', '198.51.100.7', '{"login": "zqvmark-login"}'),
		       ($4, 'Olga Other', 'letter.invite', 'application', $5, '192.0.2.2', '{"recommender": "zqvmark@person.example"}')`,
		u, fmt.Sprint(project), f.staff, other, fmt.Sprint(nom))
	// Tokens, sessions, abuse counters, an invitation they accepted, a staff conflict declaration
	// naming them, an export of the edition.
	f.exec(t, `INSERT INTO user_tokens (user_id, purpose, token_hash, expires_at) VALUES ($1, 'verify_email', '\x02', $2)`, u, now.Add(time.Hour))
	f.exec(t, `INSERT INTO sessions (token_hash, data, expiry) VALUES (sha256('tok-zq'), convert_to('flash: hello zqvmark@person.example', 'UTF8'), $1)`, now.Add(time.Hour))
	f.exec(t, `INSERT INTO throttle_events (kind, key, at) VALUES ('reset-request', 'zqvmark@person.example', $1), ('signin-account', 'zqvmark-login', $1)`, now)
	f.exec(t, `INSERT INTO invitations (edition_id, category_id, entity_type, email, contact_name, organisation, message, invited_by, invited_at,
		last_sent_at, last_sent_by, accepted_by, accepted_at)
		VALUES ($1, $2, 'city', 'zqvmark@person.example', 'Zqvmark Person', 'Zqvmark Org', 'Dear Zqvmark', $3, $4, $4, $3, $5, $4)`,
		f.ed.ID, f.project.ID, f.staff, now, u)
	f.exec(t, `INSERT INTO conflict_declarations (edition_id, evaluator_id, kind, name, email, note, created_at)
		VALUES ($1, $2, 'person', 'Zqvmark Person', 'zqvmark@person.example', 'my cousin zqvmark', $3)`, f.ed.ID, f.evaluator, now)
	exportKey := files.NewKey()
	export := "id,title\n1,Zqvmark buses\n"
	if err := f.store.Put(context.Background(), exportKey, strings.NewReader(export), int64(len(export))); err != nil {
		t.Fatal(err)
	}
	f.exec(t, `INSERT INTO export_jobs (requester_id, edition_id, kind, status, file_key, file_name, content_type, size, created_at, finished_at)
		VALUES ($1, $2, 'applications', 'done', $3, 'applications.csv', 'text/csv', $4, $5, $5)`, f.staff, f.ed.ID, exportKey, len(export), now)
	return u, project, draft
}

// TestEraseLeavesNoTrace is the erasure's key test: a person whose name, login, email, phone,
// answers, file names and contents, clarification, letter, endorsement, emails, audit entries,
// sessions, abuse counters, invitation, a staff member's declaration and an export carry a
// unique marker is erased; then no text, json, bytea, array or tsvector column of any table
// and no object in the storage holds the marker. The round's record stays: the scored entry
// keeps its score, the letter and the endorsement still count.
func TestEraseLeavesNoTrace(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	u, project, draft := f.person(t)
	// What does not concern the person stays.
	f.exec(t, `INSERT INTO audit_log (actor_id, actor_label, action, object_type, object_id, details)
		VALUES ($1, 'Sam Secretariat', 'conflict.add', 'conflict_organisation', '1', '{"name": "keep me"}')`, f.staff)
	f.exec(t, `INSERT INTO email_outbox (to_address, subject, html_body, text_body, sent_at) VALUES ('x@example.org', 'Keep', 'keep me', 'keep me', $1)`, now)
	if hits := f.scan(t, "zqvmark"); len(hits) < 20 {
		t.Fatalf("the fixture holds the marker in only %d places: %v", len(hits), hits)
	}

	plan, err := f.svc.Preview(ctx, u)
	if err != nil || len(plan.Kept) != 0 || plan.Deleted != 1 || plan.Anonymised != 2 {
		t.Fatalf("preview: %+v %v", plan, err)
	}
	res, err := f.svc.Erase(ctx, u, account.By{UserID: f.admin, Label: "Ada Admin", IP: "192.0.2.10"}, now)
	if err != nil {
		t.Fatal(err)
	}
	if res.Deleted != 1 || res.Anonymised != 2 || res.Kept != 0 || res.Files != 4 {
		t.Errorf("result %+v", res)
	}
	if hits := f.scan(t, "zqvmark"); len(hits) != 0 {
		t.Errorf("the marker is still in %v", hits)
	}
	if hits := f.scan(t, "keep me"); strings.Join(hits, " ") != "audit_log.details email_outbox.html_body email_outbox.text_body" {
		t.Errorf("data of others: %v", hits)
	}
	if n := f.storedObjects(t); n != 0 {
		t.Errorf("%d objects left in the storage", n)
	}

	var (
		draftLeft                       bool
		score                           int
		decision                        string
		letterStatus                    string
		endorsements                    int
		complete                        bool
		eraseDetails, othersNominations string
	)
	err = f.pool.QueryRow(ctx, `
		SELECT EXISTS (SELECT 1 FROM applications WHERE id = $1),
		       (SELECT s.score FROM sheet_scores s JOIN score_sheets h ON h.id = s.sheet_id WHERE h.application_id = $2),
		       (SELECT decision FROM screening_decisions WHERE application_id = $2),
		       (SELECT status FROM recommendation_letters LIMIT 1),
		       (SELECT count(*) FROM endorsements WHERE confirmed_at IS NOT NULL),
		       (SELECT purged_at IS NOT NULL FROM applications WHERE id = $2),
		       (SELECT action || ' ' || details::text FROM audit_log WHERE action = 'account.erase'),
		       (SELECT count(*)::text FROM applications WHERE kind = 'nomination' AND user_id <> $3)`,
		draft, project, u).Scan(&draftLeft, &score, &decision, &letterStatus, &endorsements, &complete, &eraseDetails, &othersNominations)
	if err != nil {
		t.Fatal(err)
	}
	if draftLeft || score != 4 || decision != "eligible" || letterStatus != "received" || endorsements != 1 || !complete {
		t.Errorf("after erasure: draft left %v, score %d, decision %q, letter %q, endorsements %d, purged %v",
			draftLeft, score, decision, letterStatus, endorsements, complete)
	}
	if othersNominations != "2" {
		t.Errorf("Olga has %s nominations left, want 2", othersNominations)
	}
	if !strings.Contains(eraseDetails, `"entries_deleted": 1`) || !strings.Contains(eraseDetails, `"files": 4`) {
		t.Errorf("erasure audit entry: %s", eraseDetails)
	}
	// The erased account cannot be erased again.
	if _, err := f.svc.Erase(ctx, u, account.By{UserID: f.admin}, now); err == nil {
		t.Error("a second erasure succeeded")
	}
}

// TestEraseKeepsPublishedResults: a winner whose entry is in the published results and in the
// repository (with their consent) keeps exactly the published part: the title and summary (in
// the entry, its last version and the repository case) and the organisation of the account,
// which the results name; everything else goes, the confidential answers included. The
// confirmation plan names the kept entry and why.
func TestEraseKeepsPublishedResults(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	u := f.user(t, "zqvgone-login", "zqvgone@winner.example", "Zqvgone Winner", "Zqvplace Metropolitan Government", f.project.ID)
	doc := f.file(t, "zqvgone-report.pdf", "%PDF-1.7 zqvgone report", u)
	app := f.entry(t, u, f.project, "project", f.projectAnswers("Zqvkept buses", "Zqvkept summary", "zqvgone", doc, "zqvgone-report.pdf"))
	f.exec(t, `INSERT INTO application_files (application_id, file_id, question) VALUES ($1, $2, 'documents')`, app, doc)
	f.exec(t, `INSERT INTO awards (application_id, edition_id, category_id, place, prize_name, confirmed_by, confirmed_at)
		VALUES ($1, $2, $3, 1, 'First place', $4, $5)`, app, f.ed.ID, f.project.ID, f.staff, now)
	if err := repository.Refresh(ctx, f.pool, app); err != nil {
		t.Fatal(err)
	}
	var before string
	if err := f.pool.QueryRow(ctx, `SELECT title || '|' || summary || '|' || body FROM repository_cases WHERE application_id = $1`, app).Scan(&before); err != nil {
		t.Fatal(err)
	}
	f.exec(t, `INSERT INTO email_outbox (to_address, subject, html_body, text_body, user_id, sent_at)
		VALUES ('zqvgone@winner.example', 'You won', '<p>Zqvgone, Zqvkept buses won</p>', 'Zqvgone won', $1, $2)`, u, now)

	plan, err := f.svc.Preview(ctx, u)
	if err != nil || len(plan.Kept) != 1 || plan.Kept[0].Won != "First place" || !plan.Kept[0].Repository || plan.Kept[0].Title != "Zqvkept buses" {
		t.Fatalf("preview: %+v %v", plan, err)
	}
	res, err := f.svc.Erase(ctx, u, account.By{UserID: f.admin, Label: "Ada Admin"}, now)
	if err != nil || res.Kept != 1 || res.Files != 1 {
		t.Fatalf("erase: %+v %v", res, err)
	}
	if hits := f.scan(t, "zqvgone"); len(hits) != 0 {
		t.Errorf("zqvgone is still in %v", hits)
	}
	want := []string{"application_versions.answers", "applications.answers", "repository_cases.answers", "repository_cases.body", "repository_cases.document",
		"repository_cases.summary", "repository_cases.title"}
	if hits := f.scan(t, "zqvkept"); strings.Join(hits, " ") != strings.Join(want, " ") {
		t.Errorf("zqvkept is in %v, want %v", hits, want)
	}
	if hits := f.scan(t, "zqvplace"); strings.Join(hits, " ") != "users.organisation" {
		t.Errorf("zqvplace is in %v", hits)
	}
	var after string
	if err := f.pool.QueryRow(ctx, `SELECT title || '|' || summary || '|' || body FROM repository_cases WHERE application_id = $1`, app).Scan(&after); err != nil {
		t.Fatal(err)
	}
	// The repository case is the same, and stays so when rebuilt from the kept answers.
	if _, err := repository.Rebuild(ctx, f.pool, f.ed.ID); err != nil {
		t.Fatal(err)
	}
	var rebuilt string
	if err := f.pool.QueryRow(ctx, `SELECT title || '|' || summary || '|' || body FROM repository_cases WHERE application_id = $1`, app).Scan(&rebuilt); err != nil {
		t.Fatal(err)
	}
	if after != before || rebuilt != before {
		t.Errorf("repository case changed:\nbefore  %q\nafter   %q\nrebuilt %q", before, after, rebuilt)
	}
}

// TestEraseAddress: a person without an account (a recommender who also endorsed, a candidate
// nominated by someone else) is erased by their address: the marker is then nowhere, the
// nominator's nomination and the counts stay. An address an account uses is refused.
func TestEraseAddress(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	other := f.user(t, "olga", "olga@other.example", "Olga Other", "Other Org", f.lead.ID)
	nom := f.id(t, `INSERT INTO applications (user_id, edition_id, category_id, kind, answers) VALUES ($1, $2, $3, 'nomination',
		'{"achievements_summary": {"text": "Zqvaddr led the smart bus project"}}') RETURNING id`, other, f.ed.ID, f.lead.ID)
	f.exec(t, `INSERT INTO nominations (application_id, user_id, edition_id, self, candidate_name, candidate_email, created_at)
		VALUES ($1, $2, $3, false, 'Zqvaddr Candidate', 'zqvaddr@cand.example', $4)`, nom, other, f.ed.ID, now)
	ldoc := f.file(t, "zqvaddr-letter.pdf", "%PDF-1.7 zqvaddr letter", 0)
	f.exec(t, `INSERT INTO recommendation_letters (application_id, status, invited_name, invited_email, invited_at, received_at,
		recommender_name, letter_text, file_id)
		VALUES ($1, 'received', 'Zqvaddr Candidate', 'zqvaddr@cand.example', $2, $2, 'Zqvaddr', 'zqvaddr recommends', $3)`, nom, now, ldoc)
	f.exec(t, `INSERT INTO endorsements (application_id, name, city, country, email, email_norm, created_at, confirmed_at)
		VALUES ($1, 'Zqvaddr', 'Busan', 'KR', 'Zqvaddr@Cand.example', 'zqvaddr@cand.example', $2, $2)`, nom, now)
	f.exec(t, `INSERT INTO email_outbox (to_address, to_name, subject, html_body, text_body, sent_at)
		VALUES ('zqvaddr@cand.example', 'Zqvaddr Candidate', 'Consent', '<p>Please consent</p>', 'Please consent', $1),
		       ('olga@other.example', 'Olga Other', 'Declined', '<p>zqvaddr@cand.example declined</p>', 'declined', $1)`, now)
	f.exec(t, `INSERT INTO throttle_events (kind, key, at) VALUES ('endorse-address', 'zqvaddr@cand.example', $1)`, now)

	for _, bad := range []string{"", " ", "@", "olga@", "@other.example"} {
		if _, err := f.svc.EraseAddress(ctx, bad, account.By{UserID: f.admin}, now); !errors.Is(err, privacy.ErrNotAnAddress) {
			t.Fatalf("erasing %q: %v", bad, err)
		}
	}
	if _, err := f.svc.EraseAddress(ctx, "OLGA@other.example", account.By{UserID: f.admin}, now); !errors.Is(err, privacy.ErrAddressHasAccount) {
		t.Fatalf("erasing an account's address: %v", err)
	}
	plan, err := f.svc.PreviewAddress(ctx, " Zqvaddr@cand.example ")
	if err != nil || plan.AccountID != 0 || plan.Letters != 1 || plan.Endorsements != 1 || plan.Emails != 1 || plan.Anonymised != 1 || plan.Empty() {
		t.Fatalf("preview: %+v %v", plan, err)
	}
	res, err := f.svc.EraseAddress(ctx, "zqvaddr@cand.example", account.By{UserID: f.admin, Label: "Ada Admin"}, now)
	if err != nil || res.Anonymised != 1 || res.Files != 1 {
		t.Fatalf("erase: %+v %v", res, err)
	}
	if hits := f.scan(t, "zqvaddr"); len(hits) != 0 {
		t.Errorf("the marker is still in %v", hits)
	}
	var left, confirmed int
	f.pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM applications WHERE id = $1), (SELECT count(*) FROM endorsements WHERE confirmed_at IS NOT NULL)`, nom).
		Scan(&left, &confirmed)
	if left != 1 || confirmed != 1 {
		t.Errorf("nomination left %d, confirmed endorsements %d", left, confirmed)
	}
	if plan, err := f.svc.PreviewAddress(ctx, "zqvaddr@cand.example"); err != nil || !plan.Empty() {
		t.Errorf("after erasure: %+v %v", plan, err)
	}
}

// TestPublishedAnswers: a winner without a repository case keeps the title and summary the
// results show; a repository case also keeps the published answers and the consent; never a
// confidential answer, a file or an answer that is not published.
func TestPublishedAnswers(t *testing.T) {
	t.Parallel()
	_, ed := editiontest.Seoul2023(t)
	var f *form.Form
	for _, c := range ed.Categories {
		if c.Kind == edition.KindProject {
			f = c.Form
			break
		}
	}
	a := formtest.Complete(f)
	a["project_title"] = form.Answer{Text: "Buses"}
	a["funding"] = form.Answer{Text: "secret", Confidential: true}
	a["confidential_notes"] = form.Answer{Text: "never"}
	a["documents"] = form.Answer{Files: []form.FileRef{{ID: "1", Name: "x.pdf"}}}
	keys := func(a form.Answers) string {
		var out []string
		for k := range a {
			out = append(out, k)
		}
		sort.Strings(out)
		return strings.Join(out, " ")
	}
	if got := keys(privacy.PublishedAnswers(f, a, false)); got != "project_title summary" {
		t.Errorf("results only: %s", got)
	}
	got := privacy.PublishedAnswers(f, a, true)
	for _, k := range []string{"project_title", "summary", "responsible", repository.ConsentKey} {
		if _, ok := got[k]; !ok {
			t.Errorf("repository case: %s missing from %s", k, keys(got))
		}
	}
	for _, k := range []string{"funding", "confidential_notes", "documents", "declare_accuracy"} {
		if _, ok := got[k]; ok {
			t.Errorf("repository case keeps %s", k)
		}
	}
}
