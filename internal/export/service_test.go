package export_test

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/account"
	"prizeportal/internal/audit"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition"
	"prizeportal/internal/edition/editiontest"
	"prizeportal/internal/export"
	"prizeportal/internal/files"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
	rt "prizeportal/internal/ranking/rankingtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// during2023 is within round 2 of seoul-2023 (the scoring window).
var during2023 = time.Date(2023, 7, 5, 3, 0, 0, 0, time.UTC)

type world struct {
	pool *pgxpool.Pool
	ed   *edition.Edition
	svc  *export.Service
	ctx  context.Context
}

func newWorld(t *testing.T) *world {
	t.Helper()
	pool, ed := editiontest.Seoul2023(t)
	now := func() time.Time { return during2023 }
	return &world{pool: pool, ed: ed, svc: &export.Service{Deps: usecase.New(pool, notify.NewOutbox(pool), emails.Site{BaseURL: "https://portal.test"}, now)},
		ctx: audit.WithIP(context.Background(), "192.0.2.9")}
}

func (w *world) actor(t *testing.T, login, role string) authz.Actor {
	t.Helper()
	id := rt.Evaluator(t, w.pool, w.ed.ID, login, role)
	a, _, err := account.LoadActor(context.Background(), w.pool, id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// runJob runs the export job of export id (export.NewJob, as River runs it) with docs, storing
// its file in a new local store, which it returns.
func (w *world) runJob(t *testing.T, id int64, docs export.Documents) files.Storage {
	t.Helper()
	store, err := files.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	job := export.NewJob(export.JobDeps{Pool: w.pool, Files: store, Now: func() time.Time { return during2023 }, Documents: docs})
	if job.Name != export.JobName {
		t.Fatalf("job name %q", job.Name)
	}
	if err := job.Run(context.Background(), id, 1, false); err != nil {
		t.Fatal(err)
	}
	return store
}

// stored is the content of the file stored under key.
func stored(t *testing.T, store files.Storage, key string) []byte {
	t.Helper()
	rc, _, err := store.Open(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestRequestQueuesTheJobWithItsAuditEntry: the secretariat's request writes the export_jobs row,
// its River job and the "export.request" audit entry (with the client's address) together.
func TestRequestQueuesTheJobWithItsAuditEntry(t *testing.T) {
	w := newWorld(t)
	sec := w.actor(t, "sec", "secretariat")
	j, err := w.svc.Request(w.ctx, sec, w.ed, export.Applications, export.Options{Format: export.CSV})
	if err != nil {
		t.Fatal(err)
	}
	if j.Status != export.Queued || j.RequesterID != sec.UserID || j.Kind != export.Applications || j.Options.Format != export.CSV {
		t.Fatalf("job %+v", j)
	}
	if n := dbtest.Count(t, w.pool, `SELECT count(*) FROM river_job WHERE args->>'name' = $1 AND (args->>'id')::bigint = $2`, export.JobName, j.ID); n != 1 {
		t.Fatalf("%d river jobs", n)
	}
	if n := dbtest.Count(t, w.pool, `SELECT count(*) FROM audit_log WHERE action = 'export.request' AND actor_id = $1 AND object_id = $2::bigint::text
		AND ip = '192.0.2.9' AND details->>'kind' = 'applications' AND details->>'format' = 'csv'`, sec.UserID, j.ID); n != 1 {
		t.Fatalf("%d audit entries", n)
	}
}

// TestRequestChecksTheRoleAndTheRound: an evaluator may not ask for the audit log (403), and the
// scores stay sealed until the committee head closes round 2 (409 with the reason): nothing is
// written.
func TestRequestChecksTheRoleAndTheRound(t *testing.T) {
	w := newWorld(t)
	ev := w.actor(t, "ev", "evaluator")
	if _, err := w.svc.Request(w.ctx, ev, w.ed, export.Audit, export.Options{Format: export.CSV}); !errors.Is(err, authz.ErrForbidden) {
		t.Fatalf("evaluator asks for the audit log: %v", err)
	}
	sec := w.actor(t, "sec", "secretariat")
	_, err := w.svc.Request(w.ctx, sec, w.ed, export.Scores, export.Options{Format: export.XLSX})
	f, ok := fault.As(err)
	if !errors.Is(err, export.ErrUnavailable) || !ok || f.Kind != fault.Conflict || !strings.Contains(f.Message, "sealed") {
		t.Fatalf("scores before the round closes: %v", err)
	}
	if n := dbtest.Count(t, w.pool, `SELECT count(*) FROM export_jobs`) + dbtest.Count(t, w.pool, `SELECT count(*) FROM audit_log WHERE action = 'export.request'`); n != 0 {
		t.Fatalf("%d rows written", n)
	}
}

// TestJobProducesAndDownloadRecords: the job produces the requester's file in the storage; the
// requester alone downloads it once it is done, and each download is recorded.
func TestJobProducesAndDownloadRecords(t *testing.T) {
	w := newWorld(t)
	rt.Entry(t, w.pool, w.ed.ID, "tech-innovacity", "city", "Smart Crossing 5521")
	sec := w.actor(t, "sec", "secretariat")
	other := w.actor(t, "sec2", "secretariat")
	j, err := w.svc.Request(w.ctx, sec, w.ed, export.Applications, export.Options{Format: export.CSV})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.Download(w.ctx, sec, j.ID); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("download before the job ran: %v", err)
	}
	store := w.runJob(t, j.ID, export.Documents{})
	if _, err := w.svc.Download(w.ctx, other, j.ID); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("someone else's export: %v", err)
	}
	got, err := w.svc.Download(w.ctx, sec, j.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != export.Done || !strings.HasSuffix(got.FileName, ".zip") || got.ContentType != export.ContentZIP {
		t.Fatalf("downloaded %+v", got)
	}
	if data := stored(t, store, got.FileKey); int64(len(data)) != got.Size {
		t.Fatalf("stored %d bytes, recorded %d", len(data), got.Size)
	}
	if n := dbtest.Count(t, w.pool, `SELECT count(*) FROM audit_log WHERE action = 'export.download' AND actor_id = $1 AND object_id = $2::bigint::text AND ip = '192.0.2.9'`,
		sec.UserID, j.ID); n != 1 {
		t.Fatalf("%d download entries", n)
	}
}

// TestJobBuildsTheDecisionPack: without semi-finalists or closed votes yet, the pack holds the
// workbook and the methodology note, and asks the other areas for no document.
func TestJobBuildsTheDecisionPack(t *testing.T) {
	w := newWorld(t)
	rt.Entry(t, w.pool, w.ed.ID, "tech-innovacity", "city", "Smart Crossing 5521")
	sec := w.actor(t, "sec", "secretariat")
	j, err := w.svc.Request(w.ctx, sec, w.ed, export.Pack, export.Options{})
	if err != nil {
		t.Fatal(err)
	}
	asked := 0
	docs := export.Documents{
		Dossier: func(context.Context, authz.Actor, int64) ([]byte, error) { asked++; return nil, nil },
		Protocol: func(context.Context, authz.Actor, *edition.Edition, *edition.Category) ([]byte, error) {
			asked++
			return nil, nil
		},
	}
	store := w.runJob(t, j.ID, docs)
	got, err := w.svc.Download(w.ctx, sec, j.ID)
	if err != nil {
		t.Fatal(err)
	}
	if asked != 0 || got.ContentType != export.ContentZIP || !strings.HasPrefix(got.FileName, "seoul-2023-decision-pack-") {
		t.Fatalf("pack %+v, %d documents asked", got, asked)
	}
	data := stored(t, store, got.FileKey)
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	if strings.Join(names, ",") != "decision-data.xlsx,methodology.pdf" {
		t.Fatalf("pack files %v", names)
	}
}

// TestEntriesPlaceIsTheParticipants: a Leadership nomination is exported with its candidate's
// city and country (entry_participants), not its nominator's account's (DOMAIN.md
// "Categories": Leadership honours individuals); a project keeps its applicant's.
func TestEntriesPlaceIsTheParticipants(t *testing.T) {
	w := newWorld(t)
	project := rt.Entry(t, w.pool, w.ed.ID, "tech-innovacity", "city", "Smart Crossing 5521")
	dbtest.Exec(t, w.pool, `UPDATE users SET city = 'Incheon', country = 'KR' WHERE id = (SELECT user_id FROM applications WHERE id = $1)`, project)
	var nom int64
	if err := w.pool.QueryRow(context.Background(), `
		WITH u AS (INSERT INTO users (login_id, email, name, password_hash, city, country, edition_id)
		           VALUES ('nora', 'nora@paris.example', 'Nora Nominator', 'x', 'Paris', 'FR', $1) RETURNING id),
		a AS (INSERT INTO applications (user_id, edition_id, category_id, kind, status, answers, submitted_version, submitted_at)
		      SELECT u.id, $1, c.id, 'nomination', 'submitted', '{}', 1, $2 FROM u, categories c
		      WHERE c.edition_id = $1 AND c.key = 'leadership' RETURNING id, user_id),
		v AS (INSERT INTO application_versions (application_id, number, answers, submitted_at) SELECT id, 1, '{}', $2 FROM a)
		INSERT INTO nominations (application_id, user_id, edition_id, self, candidate_name, candidate_email,
			candidate_organisation, candidate_position, candidate_city, candidate_country, created_at)
		SELECT id, user_id, $1, false, 'Cand Kim', 'kim@seoul.example', 'Seoul Metropolitan Government', 'Director',
			'Seoul', 'KR', $2 FROM a RETURNING application_id`, w.ed.ID, during2023).Scan(&nom); err != nil {
		t.Fatal(err)
	}
	sec := w.actor(t, "sec", "secretariat")
	entries, err := export.Entries(w.ctx, w.pool, sec.UserID, w.ed.ID, export.AllEntries, during2023)
	if err != nil {
		t.Fatal(err)
	}
	places := map[int64]string{}
	for _, e := range entries {
		places[e.ID] = e.City + "/" + e.Country
	}
	if places[nom] != "Seoul/KR" || places[project] != "Incheon/KR" || len(places) != 2 {
		t.Fatalf("places %v (nomination %d, project %d)", places, nom, project)
	}
}
