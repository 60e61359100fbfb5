package load_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"prizeportal/internal/blocks/form"
	"prizeportal/internal/blocks/keyring"
	"prizeportal/internal/config"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition"
	"prizeportal/internal/files"
	"prizeportal/internal/notify"
	"prizeportal/internal/server"
	"prizeportal/internal/tools/load"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// TestCompleteAnswers: the answers the virtual applicants type are a complete, valid application
// of every project form of the seeded edition, whatever the variant.
func TestCompleteAnswers(t *testing.T) {
	t.Parallel()
	def, err := edition.ParseBuiltin(load.SurgeEdition)
	if err != nil {
		t.Fatal(err)
	}
	ed, err := def.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range ed.Categories {
		if c.Kind != edition.KindProject {
			continue
		}
		for variant := range 12 {
			a := load.CompleteAnswers(c.Form, variant)
			if errs := form.Validate(c.Form, a, form.Submit); errs.Any() {
				t.Fatalf("%s, variant %d: %v", c.Key, variant, errs)
			}
		}
	}
}

// TestScenariosAgainstAPortal seeds a small world, serves a real portal on it, and runs the
// surge (checked in the database, then on the portal's pages) and every steady page: every
// request succeeds, every submission is stored, and seeding twice changes nothing.
func TestScenariosAgainstAPortal(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	cfg := load.SeedConfig{Applicants: 3, Prefix: "surge-", Entries: 30, Assigned: 25, Sheets: 3, Password: load.DefaultPassword}
	m, err := load.Seed(ctx, pool, cfg, t.Logf)
	if err != nil {
		t.Fatal(err)
	}
	again, err := load.Seed(ctx, pool, cfg, t.Logf)
	if err != nil {
		t.Fatal(err)
	}
	if again.Scoring.Entries != 30 || len(again.Scoring.Assigned) != 25 || again.Sealed.Entry != m.Sealed.Entry {
		t.Fatalf("seeding again changed the data: %d entries, %d assigned", again.Scoring.Entries, len(again.Scoring.Assigned))
	}

	appCfg, err := config.Load(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	sessions, stop := server.NewSessions(appCfg, pool)
	t.Cleanup(stop)
	store, err := files.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	keys, err := keyring.ParseKeys(keyring.NewKey())
	if err != nil {
		t.Fatal(err)
	}
	secrets, err := keyring.New(keys)
	if err != nil {
		t.Fatal(err)
	}
	portal := server.New(server.Deps{Config: appCfg, Pool: pool, Sessions: sessions, Outbox: notify.NewOutbox(pool),
		Files: store, Secrets: secrets, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	ts := httptest.NewServer(portal)
	t.Cleanup(ts.Close)
	base, _ := url.Parse(ts.URL)

	applicants, err := load.ApplicantsFromManifest(m)
	if err != nil {
		t.Fatal(err)
	}
	res, err := load.Surge(ctx, load.SurgeConfig{Base: base, Applicants: applicants, Password: m.Password,
		Window: time.Minute, Spread: 0.01, Pool: pool, Target: &load.SurgeTarget})
	if err != nil {
		t.Fatal(err)
	}
	if n := res.Surge.ErrorCount() + res.SignIn.ErrorCount(); n != 0 || res.Surge.Lost != 0 {
		t.Fatalf("surge: %d errors, %d lost: %v %v", n, res.Surge.Lost, res.Surge.Errors, res.Surge.Notes)
	}
	// 3 applicants: the overview, 8 section pages and saves, one autosave, the review and the
	// submission each.
	if got := res.Surge.Requests; got != 3*(1+8+8+1+1+1) {
		t.Fatalf("surge: %d requests", got)
	}
	if !strings.Contains(strings.Join(res.Surge.Notes, "\n"), "3 acknowledged submissions, 0 lost") {
		t.Fatalf("surge notes: %v", res.Surge.Notes)
	}
	var stored int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM applications a JOIN users u ON u.id = a.user_id
		JOIN application_files f ON f.application_id = a.id
		WHERE u.login_id LIKE 'surge-%' AND a.status = 'submitted'`).Scan(&stored); err != nil || stored != 3 {
		t.Fatalf("%d submitted applications with their document (%v)", stored, err)
	}

	// Another applicant, checked on the portal's own pages.
	cfg.Prefix, cfg.Applicants = "page-", 1
	m2, err := load.Seed(ctx, pool, cfg, t.Logf)
	if err != nil {
		t.Fatal(err)
	}
	applicants, err = load.ApplicantsFromManifest(m2)
	if err != nil {
		t.Fatal(err)
	}
	res, err = load.Surge(ctx, load.SurgeConfig{Base: base, Applicants: applicants, Password: m.Password, Window: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if res.Surge.ErrorCount() != 0 || res.Surge.Lost != 0 || !strings.Contains(strings.Join(res.Surge.Notes, "\n"), "overview page: 1 acknowledged submissions, 0 lost") {
		t.Fatalf("surge checked on the pages: %v %v", res.Surge.Errors, res.Surge.Notes)
	}

	codes, err := load.OpenCodeBook(filepath.Join(t.TempDir(), "codes"))
	if err != nil {
		t.Fatal(err)
	}
	results, err := load.Steady(ctx, load.SteadyConfig{Base: base, Password: m.Password, Conns: 2, Duration: 300 * time.Millisecond,
		Codes: codes}, append(load.SteadyPages(m), load.BrowsePages(m)...))
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 7 {
		t.Fatalf("%d results", len(results))
	}
	for _, r := range results {
		if r.Skipped != "" {
			continue // an optional public page this portal does not have yet
		}
		if r.Requests == 0 || r.ErrorCount() != 0 {
			t.Errorf("%s: %d requests, errors %v", r.Name, r.Requests, r.Errors)
		}
	}
	// The saves moved the sheets' versions forward.
	var saved int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM score_sheets WHERE edition_id = $1 AND version > 1`, m.Scoring.EditionID).Scan(&saved); err != nil || saved != 2 {
		t.Fatalf("%d sheets saved by 2 connections (%v)", saved, err)
	}
}
