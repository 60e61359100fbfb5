package load

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"sync"
	"time"
)

// Page is one steady scenario: a request repeated by every connection as fast as the portal
// answers.
type Page struct {
	Name string
	// Login signs each connection in as this account first (its own session); "" for visitors.
	Login string
	// Prepare, when set, runs once per connection after sign-in and returns the request
	// function; otherwise Path is fetched with GET and must answer 200.
	Path    string
	Prepare func(ctx context.Context, u *User, conn int) (func(ctx context.Context) error, error)
	// Optional pages are skipped (reported as such) when their route answers 404.
	Optional bool
	Target   *Target
}

// SteadyConfig runs pages one after the other, each with Conns connections for Duration after
// a Warmup that is not measured.
type SteadyConfig struct {
	Base     *url.URL
	Password string
	Conns    int
	Duration time.Duration
	Warmup   time.Duration
	Pid      int
	// Codes hands out the staff accounts' recovery codes (their second factor).
	Codes *CodeBook
	Log   func(string, ...any)
}

// Steady runs each page and returns one result per page.
func Steady(ctx context.Context, cfg SteadyConfig, pages []Page) ([]Result, error) {
	if cfg.Conns <= 0 {
		cfg.Conns = 20
	}
	if cfg.Duration <= 0 {
		cfg.Duration = 10 * time.Second
	}
	if cfg.Log == nil {
		cfg.Log = func(string, ...any) {}
	}
	var out []Result
	for _, p := range pages {
		if ctx.Err() != nil {
			return out, ctx.Err()
		}
		r, err := steadyPage(ctx, cfg, p)
		if err != nil {
			return out, fmt.Errorf("load: %s: %w", p.Name, err)
		}
		cfg.Log("%s: %.0f req/s, p99 %s, %d errors", r.Name, r.RPS(), fmtDur(r.Latency.Percentile(99)), r.ErrorCount())
		out = append(out, r)
	}
	return out, nil
}

func steadyPage(ctx context.Context, cfg SteadyConfig, p Page) (Result, error) {
	tr := NewTransport(cfg.Conns)
	defer tr.CloseIdleConnections()
	prep := NewStats()
	// Each connection: its own user, its own session.
	fns := make([]func(context.Context) error, cfg.Conns)
	stats := make([]*Stats, cfg.Conns)
	for i := range cfg.Conns {
		stats[i] = NewStats()
		u := NewUser(cfg.Base, tr, prep)
		if p.Login != "" {
			if err := u.SignInStaff(ctx, p.Login, cfg.Password, cfg.Codes); err != nil {
				return Result{}, fmt.Errorf("sign in as %s: %w", p.Login, err)
			}
		}
		if p.Prepare != nil {
			fn, err := p.Prepare(ctx, u, i)
			var se *StatusError
			if p.Optional && errors.As(err, &se) && se.Got == http.StatusNotFound {
				return Result{Name: p.Name, Target: p.Target, Skipped: se.Path + " answers 404 (not in this portal)"}, nil
			}
			if err != nil {
				return Result{}, err
			}
			fns[i] = fn
		} else {
			if _, err := u.Get(ctx, p.Path, http.StatusOK, false); err != nil {
				var se *StatusError
				if p.Optional && errors.As(err, &se) && se.Got == http.StatusNotFound {
					return Result{Name: p.Name, Target: p.Target, Skipped: p.Path + " answers 404 (not in this portal)"}, nil
				}
				return Result{}, err
			}
			fns[i] = func(ctx context.Context) error {
				_, err := u.Get(ctx, p.Path, http.StatusOK, false)
				return err
			}
		}
		u.Stats = stats[i]
	}
	// Warm up unmeasured, then measure for Duration.
	if cfg.Warmup > 0 {
		run(ctx, fns, cfg.Warmup)
		for i := range stats {
			stats[i] = resetStats(stats[i])
		}
	}
	mem := StartSampler(cfg.Pid, 100*time.Millisecond)
	elapsed := run(ctx, fns, cfg.Duration)
	total := NewStats()
	for _, s := range stats {
		total.Merge(s)
	}
	r := ResultOf(p.Name, total, elapsed)
	r.Memory = mem.Stop()
	r.Target = p.Target
	r.Notes = append(r.Notes, fmt.Sprintf("%d connections, each signed in on its own session, for %s", cfg.Conns, elapsed.Round(time.Millisecond)))
	return r, nil
}

// resetStats empties s in place (the users keep their pointer to it).
func resetStats(s *Stats) *Stats {
	s.mu.Lock()
	s.latency = Histogram{}
	clear(s.errors)
	s.mu.Unlock()
	return s
}

// run calls each fn in a loop, one goroutine per fn, for d; it returns the time taken.
func run(ctx context.Context, fns []func(context.Context) error, d time.Duration) time.Duration {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	start := time.Now()
	for _, fn := range fns {
		wg.Go(func() {
			for time.Now().Before(deadline) && ctx.Err() == nil {
				_ = fn(ctx) // failures are counted in the user's stats
			}
		})
	}
	wg.Wait()
	return time.Since(start)
}

var scoreFieldPattern = regexp.MustCompile(`<select[^>]*name="(score\.\d+)"`)

// SaveSheet returns the request that saves a score sheet as its evaluator would (POST
// /scoring/{id}, 303 back to the sheet): connection conn takes the conn-th of the entries (so
// connections never share a sheet), reads the sheet's page once for its fields and version,
// then saves it again and again with changing scores, carrying the version forward.
func SaveSheet(entries []int64) func(ctx context.Context, u *User, conn int) (func(context.Context) error, error) {
	return func(ctx context.Context, u *User, conn int) (func(context.Context) error, error) {
		if conn >= len(entries) {
			return nil, fmt.Errorf("%d connections but %d assigned entries: each connection needs its own sheet", conn+1, len(entries))
		}
		path := "/scoring/" + strconv.FormatInt(entries[conn], 10)
		page, err := u.Get(ctx, path, http.StatusOK, true)
		if err != nil {
			return nil, err
		}
		v, err := pageVersion(page.Body)
		if err != nil {
			return nil, err
		}
		version, _ := strconv.Atoi(v)
		var fields []string
		for _, m := range scoreFieldPattern.FindAllSubmatch(page.Body, -1) {
			fields = append(fields, string(m[1]))
		}
		if len(fields) == 0 {
			return nil, fmt.Errorf("no score fields on %s: %s", path, snippet(page.Body))
		}
		n := 0
		return func(ctx context.Context) error {
			n++
			form := url.Values{"version": {strconv.Itoa(version)}, "action": {"save"},
				"overall": {"Solid project; the data on results is convincing. Revision " + strconv.Itoa(n) + "."}}
			for i, f := range fields {
				form.Set(f, strconv.Itoa(1+(i+n)%5))
			}
			resp, err := u.PostForm(ctx, path, form, http.StatusSeeOther, false)
			if err != nil {
				var se *StatusError
				if errors.As(err, &se) && se.Got == http.StatusConflict {
					// Out of step (a retried request): read the version again.
					if page, gerr := u.Get(ctx, path, http.StatusOK, true); gerr == nil {
						if v, verr := pageVersion(page.Body); verr == nil {
							version, _ = strconv.Atoi(v)
						}
					}
				}
				return err
			}
			if resp.Location != path {
				u.Stats.Fail("save redirected elsewhere")
				return fmt.Errorf("save redirected to %q", resp.Location)
			}
			version++
			return nil
		}, nil
	}
}
