// Command sqlmap scans every form endpoint of a local portal with sqlmap (make sqlmap).
//
// It starts a private Postgres (internal/tools/localpg) under OUT/pg, imports the built-in edition
// seoul-2023 opened for applications today, starts `bin/portal serve` on it and waits for
// /healthz, and seeds one account per kind of actor: an applicant with a saved draft, a nominator
// with a nomination and open endorsements, a staff member holding the secretariat, committee head,
// evaluator and council roles of the edition, an admin, and a second applicant the admin's forms
// act on. Each actor gets a signed-in session (written to the sessions table through the portal's
// own session manager, as the tests do), passed to sqlmap with --cookie.
//
// The targets come from internal/server/routes.go, so a new route is scanned without editing this
// file: every GET route with the query parameters its handlers read, and every POST route with the
// fields of the form the portal's own page renders for it (multipart when the page's form is),
// signed in as an actor the route admits. String path parameters (tokens, codes, slugs, section
// and category keys) are marked as injection points; numeric ones are parsed as integers before
// any query and are given real ids. Requests carry a same-origin Origin header, as a browser's
// would. Each sqlmap run is bounded in time; its output is kept under OUT/<n>-<method>-<path>/ and
// the summary in OUT/summary.txt; -parallel runs go at once. The exit status is 1 when sqlmap reports an injectable
// parameter.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/net/html"

	"prizeportal/internal/account"
	"prizeportal/internal/config"
	"prizeportal/internal/db"
	"prizeportal/internal/edition"
	"prizeportal/internal/nomination"
	"prizeportal/internal/server"
	"prizeportal/internal/tools/localpg"
)

func main() {
	portal := flag.String("portal", "bin/portal", "the portal binary")
	out := flag.String("out", "var/sqlmap", "output directory (emptied first)")
	routes := flag.String("routes", "internal/server/routes.go", "the route table to read the targets from")
	addr := flag.String("addr", "127.0.0.1:18473", "address the portal listens on")
	perTarget := flag.Duration("per-target", 3*time.Minute, "time limit of one sqlmap run")
	only := flag.String("only", "", "scan only the routes whose pattern contains this text")
	parallel := flag.Int("parallel", 3, "sqlmap runs at once")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("sqlmap: ")
	if err := run(*portal, *out, *routes, *addr, *only, *perTarget, *parallel); err != nil {
		log.Fatal(err)
	}
}

// actor is a signed-in account (or none) with its session cookie.
type actor struct {
	name   string
	cookie string
}

// target is one sqlmap run.
type target struct {
	method, pattern string
	actor           *actor
	url             string
	data            string // POST body (urlencoded or multipart)
	contentType     string
}

func run(portal, out, routesFile, addr, only string, perTarget time.Duration, parallel int) error {
	if _, err := exec.LookPath("sqlmap"); err != nil {
		return errors.New("sqlmap is not installed (apt-get install -y sqlmap)")
	}
	ctx := context.Background()
	if err := os.RemoveAll(out); err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	out, _ = filepath.Abs(out)

	cluster, err := localpg.Start(ctx, localpg.Options{DataDir: filepath.Join(out, "pg", "data"), Ephemeral: true})
	if err != nil {
		return err
	}
	defer cluster.Stop()
	base := "http://" + addr
	env := append(os.Environ(), "DATABASE_URL="+cluster.URL(""), "PORTAL_ADDR="+addr, "PORTAL_BASE_URL="+base,
		"PORTAL_DATA_DIR="+filepath.Join(out, "data"), "PORTAL_LOG_LEVEL=warn", "PORTAL_ENV=development")
	imp := exec.Command(portal, "edition", "import", "seoul-2023", "--open-now")
	imp.Env, imp.Stdout, imp.Stderr = env, os.Stdout, os.Stderr
	if err := imp.Run(); err != nil {
		return fmt.Errorf("import the edition: %w", err)
	}
	logFile, err := os.Create(filepath.Join(out, "portal.log"))
	if err != nil {
		return err
	}
	defer logFile.Close()
	srv := exec.Command(portal, "serve")
	srv.Env, srv.Stdout, srv.Stderr = env, logFile, logFile
	if err := srv.Start(); err != nil {
		return err
	}
	defer func() {
		_ = srv.Process.Signal(os.Interrupt)
		_, _ = srv.Process.Wait()
	}()
	if err := waitHealthy(base); err != nil {
		return err
	}
	log.Printf("portal up at %s (log: %s)", base, filepath.Join(out, "portal.log"))

	pool, err := pgxpool.New(ctx, cluster.URL(""))
	if err != nil {
		return err
	}
	defer pool.Close()
	w, err := seed(ctx, pool)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	cfg, err := config.Load(func(k string) string {
		return map[string]string{"DATABASE_URL": cluster.URL(""), "PORTAL_ADDR": addr, "PORTAL_BASE_URL": base}[k]
	})
	if err != nil {
		return err
	}
	sessions, stop := server.NewSessions(cfg, pool)
	defer stop()
	for _, a := range []*actor{w.applicant, w.nominator, w.staff, w.admin} {
		sctx, err := sessions.Load(ctx, "")
		if err != nil {
			return err
		}
		sessions.Put(sctx, "user_id", w.ids[a.name])
		sessions.Put(sctx, "epoch", 0)
		// Staff sessions passed the second factor at sign-in.
		sessions.Put(sctx, "second_factor", true)
		token, _, err := sessions.Commit(sctx)
		if err != nil {
			return err
		}
		a.cookie = "portal_session=" + token
	}

	routes, err := readRoutes(routesFile)
	if err != nil {
		return err
	}
	var targets []target
	for _, r := range routes {
		if only != "" && !strings.Contains(r.pattern, only) {
			continue
		}
		t, ok := w.target(base, r)
		if ok {
			targets = append(targets, t)
		}
	}
	log.Printf("%d targets from %d routes", len(targets), len(routes))

	var summary bytes.Buffer
	fmt.Fprintf(&summary, "sqlmap scan of %s, %s\nsqlmap --batch --level=2 --risk=1, one run per route, %s each at most, %d at once\n\n",
		base, time.Now().UTC().Format(time.RFC3339), perTarget, parallel)
	injectable := 0
	lines := make([]string, len(targets))
	sem := make(chan struct{}, max(parallel, 1))
	var wg sync.WaitGroup
	for i, t := range targets {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			dir := filepath.Join(out, fmt.Sprintf("%03d-%s-%s", i+1, t.method, slug(t.pattern)))
			res := scan(t, base, dir, perTarget)
			lines[i] = fmt.Sprintf("%-4s %-50s as %-9s %s", t.method, t.pattern, t.actor.name, res)
			log.Print(lines[i])
		}()
	}
	wg.Wait()
	for _, line := range lines {
		fmt.Fprintln(&summary, line)
		if strings.Contains(line, " INJECTABLE") {
			injectable++
		}
	}
	fmt.Fprintf(&summary, "\n%d targets, %d injectable\n", len(targets), injectable)
	if err := os.WriteFile(filepath.Join(out, "summary.txt"), summary.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Print("\n" + summary.String())
	if injectable > 0 {
		return fmt.Errorf("%d targets reported injectable: see %s", injectable, filepath.Join(out, "summary.txt"))
	}
	return nil
}

func waitHealthy(base string) error {
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		res, err := http.Get(base + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(300 * time.Millisecond)
	}
	return errors.New("the portal did not answer /healthz within 90 s")
}

func fetch(u, cookie string) (string, error) {
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return "", err
	}
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return string(b), err
}

// world is what the seeding created: the actors and the ids of the records path parameters need.
type world struct {
	anon, applicant, nominator, staff, admin *actor
	ids                                      map[string]int64
	code                                     string // the nomination's endorsement code
	section, category                        string
	nomSection                               string // the first section of the Leadership form
}

func seed(ctx context.Context, pool *pgxpool.Pool) (*world, error) {
	w := &world{
		anon: &actor{name: "anonymous"}, applicant: &actor{name: "applicant"}, nominator: &actor{name: "nominator"},
		staff: &actor{name: "staff"}, admin: &actor{name: "admin"}, ids: map[string]int64{}, category: "tech-innovacity",
	}
	var edID int64
	if err := pool.QueryRow(ctx, `SELECT id FROM editions WHERE slug = 'seoul-2023'`).Scan(&edID); err != nil {
		return nil, err
	}
	w.ids["edition"] = edID
	user := func(name, login, category, role, entity string) error {
		var id int64
		err := pool.QueryRow(ctx, `
			INSERT INTO users (login_id, email, name, password_hash, edition_id, category_id, entity_type, organisation, email_verified_at)
			SELECT $1, $1 || '@example.org', 'Scan ' || $1, 'x', $2, (SELECT id FROM categories WHERE edition_id = $2 AND key = $3), $4, 'Scan City', now()
			RETURNING id`, login, edID, category, entity).Scan(&id)
		if err != nil {
			return err
		}
		for _, r := range strings.Fields(role) {
			if _, err := pool.Exec(ctx, `INSERT INTO role_grants (user_id, role, edition_id) VALUES ($1, $2, $3)`, id, r, edID); err != nil {
				return err
			}
		}
		w.ids[name] = id
		return nil
	}
	for _, u := range [][5]string{
		{"applicant", "scan-applicant", "tech-innovacity", "applicant", "city"},
		{"victim", "scan-victim", "tech-innovacity", "applicant", "city"},
		{"nominator", "scan-nominator", "leadership", "nominator", "individual"},
		{"staff", "scan-staff", "tech-innovacity", "secretariat committee_head evaluator council", "individual"},
	} {
		if err := user(u[0], u[1], u[2], u[3], u[4]); err != nil {
			return nil, err
		}
	}
	adm, err := account.CreateAdmin(ctx, pool, "scan-admin@example.org", account.TestHashParams)
	if err != nil {
		return nil, err
	}
	if _, err := pool.Exec(ctx, `UPDATE users SET must_change_password = false WHERE id = $1`, adm.UserID); err != nil {
		return nil, err
	}
	w.ids["admin"] = adm.UserID
	var leadership int64
	if err := pool.QueryRow(ctx, `SELECT id FROM categories WHERE edition_id = $1 AND key = 'leadership'`, edID).Scan(&leadership); err != nil {
		return nil, err
	}
	err = db.InTx(ctx, pool, func(tx pgx.Tx) error {
		id, err := nomination.Create(ctx, tx, w.ids["nominator"], edID, leadership, nomination.Details{
			NominatorCategory: "smart-city-professional", NominatorOrganisation: "Scan City", CandidateName: "Scan Candidate",
			CandidateEmail: "scan-candidate@example.org", CandidateOrganisation: "Scan Town", CandidatePosition: "Mayor"}, time.Now())
		w.ids["nomination"] = id
		return err
	})
	if err != nil {
		return nil, err
	}
	if w.code, err = nomination.OpenEndorsements(ctx, pool, w.ids["nominator"], w.ids["nomination"]); err != nil {
		return nil, err
	}
	var app int64
	if err := pool.QueryRow(ctx, `
		INSERT INTO applications (user_id, edition_id, category_id, kind, created_at, updated_at)
		SELECT id, edition_id, category_id, 'project', now(), now() FROM users WHERE id = $1 RETURNING id`,
		w.ids["applicant"]).Scan(&app); err != nil {
		return nil, err
	}
	w.ids["application"] = app
	def, err := edition.ParseBuiltin("seoul-2023")
	if err != nil {
		return nil, err
	}
	ed, err := def.Resolve()
	if err != nil {
		return nil, err
	}
	for _, c := range ed.Categories {
		if c.Form == nil || len(c.Form.Sections) == 0 {
			continue
		}
		switch c.Key {
		case w.category:
			w.section = c.Form.Sections[0].Key
		case "leadership":
			w.nomSection = c.Form.Sections[0].Key
		}
	}
	return w, nil
}

type route struct{ method, pattern, policy string }

var handleRE = regexp.MustCompile(`s\.handle\("(GET|POST)", "([^"]+)", ([^,]+),`)

func readRoutes(path string) ([]route, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []route
	for _, m := range handleRE.FindAllStringSubmatch(string(src), -1) {
		out = append(out, route{m[1], m[2], strings.TrimSpace(m[3])})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no routes found in %s", path)
	}
	return out, nil
}

// skipped are routes not worth a scan: no input at all (static files, health checks), or an
// action that would end the scan's own session.
var skipped = map[string]bool{
	"GET /static/*": true, "GET /healthz": true, "GET /readyz": true, "POST /signout": true,
}

// queryParams are the query parameters the GET handlers read (r.URL.Query()), by path prefix.
var queryParams = []struct {
	prefix string
	params string
}{
	{"/admin/users", "q=scan&role=applicant&status=active&page=1"},
	{"/admin/audit", "action=account.signin&actor=scan&object_type=user&object_id=1&from=2023-01-01&to=2030-01-01&page=1"},
	{"/admin/outbox", "page=1"},
	{"/secretariat/screening", "category=tech-innovacity&entity_type=city&country=KR&status=undecided&flag=conflict&sort=applicant&page=1"},
	{"/scoring/progress", "view=entries&page=1"},
	{"/register", "entity_type=city&invitation=scan"},
	{"/signin/two-factor", "method=recovery"},
	{"/signin", "next=%2Fdashboard"},
	{"/", "page=1"},
}

// actorFor picks the account a route is scanned as: one its policy admits.
func (w *world) actorFor(r route) *actor {
	p := r.pattern
	switch {
	case r.policy == "authz.Public":
		return w.anon
	case strings.HasPrefix(p, "/admin"):
		return w.admin
	case strings.HasPrefix(p, "/nominations"):
		return w.nominator
	case strings.HasPrefix(p, "/application"), strings.HasPrefix(p, "/clarifications"), strings.HasPrefix(p, "/account"),
		strings.HasSuffix(p, "/video"), strings.HasSuffix(p, "/attendance"), p == "/dashboard":
		return w.applicant
	}
	return w.staff
}

var paramRE = regexp.MustCompile(`\{([a-z]+)\}`)

// fill gives a route's path parameters values: real ids for numeric ones, and for string ones a
// plausible value marked with sqlmap's custom injection point "*".
func (w *world) fill(r route) string {
	p := strings.TrimSuffix(r.pattern, "/*")
	return paramRE.ReplaceAllStringFunc(p, func(m string) string {
		switch name := m[1 : len(m)-1]; name {
		case "slug":
			return "seoul-2023*"
		case "section":
			if strings.HasPrefix(p, "/nominations") {
				return w.nomSection + "*"
			}
			return w.section + "*"
		case "category":
			return w.category + "*"
		case "token":
			return "c2Nhbi10b2tlbi1ub3QtcmVhbA*"
		case "code":
			return w.code + "*"
		case "nomination":
			return strconv.FormatInt(w.ids["nomination"], 10)
		case "id":
			switch {
			case strings.HasPrefix(p, "/admin/users"):
				return strconv.FormatInt(w.ids["victim"], 10)
			case strings.HasPrefix(p, "/secretariat/nominations"):
				return strconv.FormatInt(w.ids["nomination"], 10)
			}
			return strconv.FormatInt(w.ids["application"], 10)
		default:
			return "1"
		}
	})
}

func (w *world) target(base string, r route) (target, bool) {
	if skipped[r.method+" "+r.pattern] || strings.Contains(r.pattern, "/files/") || strings.HasSuffix(r.pattern, ".pdf") ||
		strings.HasSuffix(r.pattern, ".json") || strings.HasSuffix(r.pattern, "/file") {
		return target{}, false
	}
	a := w.actorFor(r)
	path := w.fill(r)
	if r.method == "POST" {
		// A custom injection point makes sqlmap test that point alone: a POST's fields matter more.
		path = strings.ReplaceAll(path, "*", "")
	}
	t := target{method: r.method, pattern: r.pattern, actor: a}
	if r.method == "GET" {
		q := ""
		for _, qp := range queryParams {
			if strings.HasPrefix(r.pattern, qp.prefix) && (qp.prefix != "/" || r.pattern == "/") {
				q = qp.params
				break
			}
		}
		if staffPage(r.pattern) {
			q = joinQuery(q, "edition="+strconv.FormatInt(w.ids["edition"], 10))
		}
		t.url = base + path
		if q != "" {
			t.url += "?" + q
		}
		return t, true
	}
	// A POST: the fields of the form the portal renders for it, on the page of the same path
	// (or its parent: /x/close is posted from /x).
	action := strings.ReplaceAll(path, "*", "")
	fields, multi := w.formFields(base, a, action)
	if staffPage(r.pattern) {
		path += "?edition=" + strconv.FormatInt(w.ids["edition"], 10)
	}
	t.url = base + path
	if len(fields) == 0 {
		fields = url.Values{"confirm": {"yes"}}
	}
	if multi {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		for _, k := range sortedKeys(fields) {
			for _, v := range fields[k] {
				_ = mw.WriteField(k, v)
			}
		}
		_ = mw.Close()
		t.data, t.contentType = buf.String(), mw.FormDataContentType()
	} else {
		t.data = fields.Encode()
	}
	return t, true
}

func staffPage(p string) bool {
	for _, pre := range []string{"/secretariat", "/committee", "/ranking", "/council", "/scoring", "/awards", "/evaluator"} {
		if strings.HasPrefix(p, pre) {
			return true
		}
	}
	return false
}

func joinQuery(a, b string) string {
	if a == "" {
		return b
	}
	return a + "&" + b
}

func sortedKeys(v url.Values) []string {
	ks := make([]string, 0, len(v))
	for k := range v {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// formFields finds the form posting to action on the page at action or one of its parents, and
// returns its fields with their values (a default for empty ones) and whether it is multipart.
func (w *world) formFields(base string, a *actor, action string) (url.Values, bool) {
	pages := []string{action}
	for p := action; strings.Count(p, "/") > 1; {
		p = p[:strings.LastIndex(p, "/")]
		pages = append(pages, p)
	}
	for _, p := range pages {
		u := base + p
		if staffPage(p) {
			u += "?edition=" + strconv.FormatInt(w.ids["edition"], 10)
		}
		body, err := fetch(u, a.cookie)
		if err != nil {
			continue
		}
		if f, multi, ok := findForm(body, action); ok {
			return f, multi
		}
	}
	return nil, false
}

// findForm parses page for a form whose action is action (without its query).
func findForm(page, action string) (url.Values, bool, bool) {
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		return nil, false, false
	}
	var found *html.Node
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if found != nil {
			return
		}
		if n.Type == html.ElementNode && n.Data == "form" && strings.EqualFold(attr(n, "method"), "post") {
			act := attr(n, "action")
			if i := strings.IndexByte(act, '?'); i >= 0 {
				act = act[:i]
			}
			if act == action {
				found = n
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if found == nil {
		return nil, false, false
	}
	v := url.Values{}
	var collect func(n *html.Node)
	collect = func(n *html.Node) {
		if n.Type == html.ElementNode {
			name := attr(n, "name")
			switch {
			case name == "":
			case n.Data == "input" && attr(n, "type") == "file":
			case n.Data == "input" && (attr(n, "type") == "checkbox" || attr(n, "type") == "radio"):
				if _, ok := v[name]; !ok {
					v.Set(name, orDefault(attr(n, "value"), "yes"))
				}
			case n.Data == "input" || n.Data == "button":
				if _, ok := v[name]; !ok {
					v.Set(name, orDefault(attr(n, "value"), "scan"))
				}
			case n.Data == "textarea":
				v.Set(name, "scan text")
			case n.Data == "select":
				v.Set(name, firstOption(n))
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			collect(c)
		}
	}
	collect(found)
	return v, strings.Contains(attr(found, "enctype"), "multipart"), true
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

func firstOption(sel *html.Node) string {
	var val string
	var walk func(n *html.Node) bool
	walk = func(n *html.Node) bool {
		if n.Type == html.ElementNode && n.Data == "option" {
			if v := attr(n, "value"); v != "" {
				val = v
				return true
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if walk(c) {
				return true
			}
		}
		return false
	}
	walk(sel)
	return orDefault(val, "scan")
}

var slugRE = regexp.MustCompile(`[^a-z0-9]+`)

func slug(p string) string {
	s := strings.Trim(slugRE.ReplaceAllString(strings.ToLower(p), "-"), "-")
	if s == "" {
		return "root"
	}
	return s
}

// scan runs sqlmap on t and sums up its verdict.
func scan(t target, base, dir string, limit time.Duration) string {
	args := []string{
		"-u", t.url, "--batch", "--level=2", "--risk=1", "--dbms=PostgreSQL", "--threads=4",
		"--timeout=15", "--retries=1", "--flush-session", "--disable-coloring",
		"--output-dir=" + dir, "--skip=portal_session",
		"--headers=Origin: " + base, "--answers=follow=N,crack=N",
		// The portal's own refusals (sign-in failed, not found, gone, invalid form) are answers
		// to test against, not reasons to stop; a 500 would still be reported.
		"--ignore-code=401,403,404,409,410,413,415,422",
	}
	if t.actor.cookie != "" {
		args = append(args, "--cookie="+t.actor.cookie)
	}
	if t.method == "POST" {
		args = append(args, "--method=POST", "--data="+t.data)
		if t.contentType != "" {
			args = append(args, "--headers=Origin: "+base+"\nContent-Type: "+t.contentType)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "ERROR " + err.Error()
	}
	cmd := exec.CommandContext(ctx, "sqlmap", args...)
	var outBuf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &outBuf, &outBuf
	cmd.Stdin = strings.NewReader("")
	err := cmd.Run()
	_ = os.WriteFile(filepath.Join(dir, "sqlmap.txt"), outBuf.Bytes(), 0o644)
	outText := outBuf.String()
	var notes []string
	if m := regexp.MustCompile(`HTTP error codes detected during run:\s*\n?(.*)`).FindStringSubmatch(outText); m != nil {
		notes = append(notes, "HTTP errors: "+strings.TrimSpace(m[1]))
	}
	switch {
	case strings.Contains(outText, "sqlmap identified the following injection point"):
		return "INJECTABLE " + strings.Join(notes, "; ")
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return "stopped at the time limit, nothing found " + strings.Join(notes, "; ")
	case strings.Contains(outText, "all tested parameters do not appear to be injectable"):
		return "not injectable " + strings.Join(notes, "; ")
	case strings.Contains(outText, "no parameter(s) found for testing"):
		return "no parameters " + strings.Join(notes, "; ")
	case strings.Contains(outText, "unable to connect to the target URL"):
		return "not tested: the page redirects elsewhere for this account " + strings.Join(notes, "; ")
	case err != nil:
		return "sqlmap failed: " + lastLine(outText)
	}
	return "done: " + lastLine(outText)
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if l := strings.TrimSpace(lines[i]); l != "" && !strings.HasPrefix(l, "[*] ending") {
			return l
		}
	}
	return ""
}
