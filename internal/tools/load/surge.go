package load

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/blocks/form"
	"prizeportal/internal/edition"
)

// Applicant is one applicant of the surge: their login and the form of their category.
type Applicant struct {
	Login string
	Form  *form.Form
}

// SurgeConfig is the deadline surge: every applicant signs in (before the window: argon2id is
// deliberately slow, so sign-in is measured apart), then within Window each opens the form, saves
// every section (one with an autosave first), uploads a PDF and submits.
type SurgeConfig struct {
	Base       *url.URL
	Applicants []Applicant
	Password   string
	// Window is the time within which every applicant must have submitted; arrivals are spread
	// over its first Spread fraction (default 0.75).
	Window time.Duration
	Spread float64
	// SignInWorkers is how many sign-ins run at once (default 8).
	SignInWorkers int
	// Pool, when set, is the portal's database: every acknowledged submission is checked there.
	// Otherwise each applicant's own session checks the portal's page.
	Pool *pgxpool.Pool
	// Pid is the server process, for its memory.
	Pid int
	// Target applies to the surge itself.
	Target *Target
	Log    func(string, ...any)
}

// SurgeResult is the outcome: sign-in (preparation), the surge itself, and the check.
type SurgeResult struct {
	SignIn, Surge Result
	// Steps are the surge's requests by kind (open, save, autosave, upload, review, submit).
	Steps []Result
}

// surgeStep names the kinds of requests of a surge journey.
var surgeSteps = []string{"overview", "section page", "section save", "autosave", "upload", "review", "submit"}

// ApplicantsFromManifest lists the manifest's applicants with their category's form, read from
// the built-in definition of their edition (the seeded one).
func ApplicantsFromManifest(m *Manifest) ([]Applicant, error) {
	def, err := edition.ParseBuiltin(m.Applicants.Edition)
	if err != nil {
		return nil, err
	}
	ed, err := def.Resolve()
	if err != nil {
		return nil, err
	}
	if len(m.Applicants.Categories) == 0 {
		return nil, fmt.Errorf("load: the manifest names no applicant category")
	}
	forms := map[string]*form.Form{}
	for _, c := range ed.Categories {
		forms[c.Key] = c.Form
	}
	out := make([]Applicant, m.Applicants.Count)
	for i := range out {
		// the seed gives applicant n the category at index n % len (see insertUsers)
		key := m.Applicants.Categories[(i+1)%len(m.Applicants.Categories)]
		f := forms[key]
		if f == nil {
			return nil, fmt.Errorf("load: category %s of %s has no form", key, m.Applicants.Edition)
		}
		out[i] = Applicant{Login: m.Login(i + 1), Form: f}
	}
	return out, nil
}

// Surge runs the deadline surge.
func Surge(ctx context.Context, cfg SurgeConfig) (SurgeResult, error) {
	if cfg.Window <= 0 {
		cfg.Window = 60 * time.Second
	}
	if cfg.Spread <= 0 || cfg.Spread > 1 {
		cfg.Spread = 0.75
	}
	if cfg.SignInWorkers <= 0 {
		cfg.SignInWorkers = 8
	}
	if cfg.Log == nil {
		cfg.Log = func(string, ...any) {}
	}
	n := len(cfg.Applicants)
	tr := NewTransport(64)
	defer tr.CloseIdleConnections()
	var res SurgeResult

	// Preparation: every applicant signs in, a few at a time.
	signIn := NewStats()
	users := make([]*User, n)
	jobs := make(chan int)
	var wg sync.WaitGroup
	var firstErr error
	var errMu sync.Mutex
	mem := StartSampler(cfg.Pid, 100*time.Millisecond)
	start := time.Now()
	for range cfg.SignInWorkers {
		wg.Go(func() {
			for i := range jobs {
				u := NewUser(cfg.Base, tr, signIn)
				if err := u.SignIn(ctx, cfg.Applicants[i].Login, cfg.Password); err != nil {
					errMu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					errMu.Unlock()
					continue
				}
				users[i] = u
			}
		})
	}
	for i := range n {
		if ctx.Err() != nil {
			break
		}
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	res.SignIn = ResultOf("surge sign-in (preparation)", signIn, time.Since(start))
	res.SignIn.Memory = mem.Stop()
	if firstErr != nil {
		res.SignIn.Notes = append(res.SignIn.Notes, "first failure: "+firstErr.Error())
	}
	cfg.Log("signed in %d applicants in %s", n-int(signIn.ErrorCount()), res.SignIn.Elapsed.Round(time.Millisecond))

	// The surge: arrivals spread over the window; each applicant goes through the form.
	steps := map[string]*Stats{}
	for _, s := range surgeSteps {
		steps[s] = NewStats()
	}
	acked := make([]bool, n)
	var lastAck time.Time
	var ackMu sync.Mutex
	journeyErrs := map[string]int{}
	var sample []string
	mem = StartSampler(cfg.Pid, 100*time.Millisecond)
	start = time.Now()
	spread := time.Duration(float64(cfg.Window) * cfg.Spread)
	for i := range n {
		if users[i] == nil {
			continue
		}
		at := start.Add(time.Duration(int64(spread) * int64(i) / int64(n)))
		wg.Go(func() {
			select {
			case <-time.After(time.Until(at)):
			case <-ctx.Done():
				return
			}
			err := journey(ctx, users[i], cfg.Applicants[i].Form, i, steps)
			ackMu.Lock()
			defer ackMu.Unlock()
			if err != nil {
				journeyErrs[stepOf(err)]++
				if len(sample) < 3 {
					sample = append(sample, err.Error())
				}
				return
			}
			acked[i] = true
			lastAck = time.Now()
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	total := NewStats()
	for _, s := range surgeSteps {
		total.Merge(steps[s])
		res.Steps = append(res.Steps, ResultOf("  "+s, steps[s], elapsed))
	}
	res.Surge = ResultOf("surge", total, elapsed)
	res.Surge.Memory = mem.Stop()
	res.Surge.Target = cfg.Target
	nAcked := 0
	for _, a := range acked {
		if a {
			nAcked++
		}
	}
	took := lastAck.Sub(start)
	if nAcked == 0 {
		took = 0
	}
	res.Surge.Notes = append(res.Surge.Notes, fmt.Sprintf("%d of %d applicants submitted (acknowledged), the last %s after the surge began (window %s)",
		nAcked, n, took.Round(time.Millisecond), cfg.Window))
	if nAcked < n {
		res.Surge.Errors["applicant did not submit"] = uint64(n - nAcked)
		for _, k := range slices.Sorted(maps.Keys(journeyErrs)) {
			res.Surge.Notes = append(res.Surge.Notes, fmt.Sprintf("%d journeys stopped at %s", journeyErrs[k], k))
		}
		for _, s := range sample {
			res.Surge.Notes = append(res.Surge.Notes, "e.g. "+s)
		}
	}
	if took > cfg.Window {
		res.Surge.Errors["submitted after the window"]++
	}

	// The check: every acknowledged submission is stored as submitted.
	lost, how, err := verify(ctx, cfg, users, acked)
	if err != nil {
		return res, err
	}
	res.Surge.Lost = len(lost)
	note := fmt.Sprintf("checked %s: %d acknowledged submissions, %d lost", how, nAcked, len(lost))
	if len(lost) > 0 {
		note += fmt.Sprintf(" (e.g. %s)", lost[0])
	}
	res.Surge.Notes = append(res.Surge.Notes, note)
	return res, nil
}

// stepError is a journey that stopped at step.
type stepError struct {
	step string
	err  error
}

func (e *stepError) Error() string { return e.step + ": " + e.err.Error() }

func stepOf(err error) string {
	if se, ok := err.(*stepError); ok {
		return se.step
	}
	return "?"
}

// journey is one applicant's way through the form: the overview, each section's page and save
// (the first long section autosaved once before), the upload with its section, the review and
// the submission (303 back to the overview: the acknowledgement).
func journey(ctx context.Context, u *User, f *form.Form, variant int, steps map[string]*Stats) error {
	step := func(name string) { u.Stats = steps[name] }
	fail := func(name string, err error) error { return &stepError{step: name, err: err} }
	step("overview")
	if _, err := u.Get(ctx, "/application", http.StatusOK, false); err != nil {
		return fail("overview", err)
	}
	fileSec, fileField := fileSection(f)
	autosaved := false
	for _, sec := range f.Sections {
		step("section page")
		page, err := u.Get(ctx, "/application/sections/"+sec.Key, http.StatusOK, true)
		if err != nil {
			return fail("section page", err)
		}
		version, err := pageVersion(page.Body)
		if err != nil {
			u.Stats.Fail("no version on the section page")
			return fail("section page", err)
		}
		values := SectionValues(f, sec.Key, variant)
		if !autosaved && hasLongText(&sec) {
			// form.js autosaves while the applicant types: half the section first.
			autosaved = true
			step("autosave")
			half := url.Values{}
			for k, v := range values {
				if len(half) < len(values)/2 {
					half[k] = v
				}
			}
			body, ctype, err := multipartBody(half, version, "", "", nil)
			if err != nil {
				return fail("autosave", err)
			}
			resp, err := u.Post(ctx, "/application/sections/"+sec.Key, ctype, body, http.Header{"X-Autosave": {"1"}}, http.StatusOK, true)
			if err != nil {
				return fail("autosave", err)
			}
			var reply struct {
				Version int `json:"version"`
			}
			if err := json.Unmarshal(resp.Body, &reply); err != nil || reply.Version == 0 {
				u.Stats.Fail("bad autosave reply")
				return fail("autosave", fmt.Errorf("autosave reply %q", resp.Body))
			}
			version = strconv.Itoa(reply.Version)
		}
		name := "section save"
		var file []byte
		fileName, field := "", ""
		if sec.Key == fileSec {
			name, file, fileName, field = "upload", smallPDF, fmt.Sprintf("evaluation-report-%d.pdf", variant), fileField
		}
		step(name)
		body, ctype, err := multipartBody(values, version, field, fileName, file)
		if err != nil {
			return fail(name, err)
		}
		if _, err := u.Post(ctx, "/application/sections/"+sec.Key, ctype, body, nil, http.StatusSeeOther, false); err != nil {
			return fail(name+" "+sec.Key, err)
		}
	}
	step("review")
	page, err := u.Get(ctx, "/application/review", http.StatusOK, true)
	if err != nil {
		return fail("review", err)
	}
	version, err := pageVersion(page.Body)
	if err != nil {
		u.Stats.Fail("no version on the review page")
		return fail("review", err)
	}
	step("submit")
	resp, err := u.PostForm(ctx, "/application/submit", url.Values{"version": {version}}, http.StatusSeeOther, false)
	if err != nil {
		return fail("submit", err)
	}
	if resp.Location != "/application" {
		u.Stats.Fail("submit redirected elsewhere")
		return fail("submit", fmt.Errorf("submit redirected to %q", resp.Location))
	}
	return nil
}

func hasLongText(sec *form.Section) bool {
	for i := range sec.Questions {
		if sec.Questions[i].Type == form.LongText {
			return true
		}
	}
	return false
}

// multipartBody encodes a section's form as the page sends it: its values, the version, the
// "save and continue" action and, when fileName is set, one file under field.
func multipartBody(values url.Values, version, field, fileName string, file []byte) ([]byte, string, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	write := func(k, v string) error { return mw.WriteField(k, v) }
	if err := write("version", version); err != nil {
		return nil, "", err
	}
	for _, k := range slices.Sorted(maps.Keys(values)) {
		for _, v := range values[k] {
			if err := write(k, v); err != nil {
				return nil, "", err
			}
		}
	}
	if fileName != "" {
		h := make(map[string][]string)
		h["Content-Disposition"] = []string{fmt.Sprintf(`form-data; name=%q; filename=%q`, field, fileName)}
		h["Content-Type"] = []string{"application/pdf"}
		w, err := mw.CreatePart(h)
		if err != nil {
			return nil, "", err
		}
		if _, err := w.Write(file); err != nil {
			return nil, "", err
		}
	}
	if err := write("action", "continue"); err != nil {
		return nil, "", err
	}
	if err := mw.Close(); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), mw.FormDataContentType(), nil
}

var submittedPattern = regexp.MustCompile(`Submitted on [^<]*\(submission \d+\)`)

// verify checks every acknowledged submission: in the database when cfg.Pool is set, else on
// the applicant's own overview page. It returns the logins whose submission is missing.
func verify(ctx context.Context, cfg SurgeConfig, users []*User, acked []bool) ([]string, string, error) {
	var logins []string
	for i, a := range acked {
		if a {
			logins = append(logins, cfg.Applicants[i].Login)
		}
	}
	if cfg.Pool != nil {
		rows, err := cfg.Pool.Query(ctx, `
			SELECT u.login_id FROM users u
			WHERE u.login_id = ANY($1) AND NOT EXISTS (
				SELECT 1 FROM applications a
				WHERE a.user_id = u.id AND a.kind = 'project' AND a.status = 'submitted' AND a.submitted_at IS NOT NULL
				  AND EXISTS (SELECT 1 FROM application_versions v WHERE v.application_id = a.id))`, logins)
		if err != nil {
			return nil, "", fmt.Errorf("load: verify submissions: %w", err)
		}
		defer rows.Close()
		var lost []string
		for rows.Next() {
			var l string
			if err := rows.Scan(&l); err != nil {
				return nil, "", err
			}
			lost = append(lost, l)
		}
		var found int
		if err := cfg.Pool.QueryRow(ctx, `SELECT count(*) FROM users WHERE login_id = ANY($1)`, logins).Scan(&found); err != nil {
			return nil, "", err
		}
		if found != len(logins) {
			return nil, "", fmt.Errorf("load: verify: %d of %d applicants are not in this database", len(logins)-found, len(logins))
		}
		return lost, "in the database (submitted, with its submitted version stored)", rows.Err()
	}
	var lost []string
	st := NewStats()
	for i, a := range acked {
		if !a {
			continue
		}
		u := *users[i]
		u.Stats = st
		page, err := u.Get(ctx, "/application", http.StatusOK, true)
		if err != nil || !submittedPattern.Match(page.Body) {
			lost = append(lost, cfg.Applicants[i].Login)
		}
	}
	return lost, "on each applicant's overview page", nil
}
