// Package browsertest drives Debian's headless Chromium (never a downloaded browser) with chromedp
// for end-to-end tests, checks pages with axe-core against WCAG 2.2 A/AA, and saves screenshots
// under var/screenshots for people to look at.
package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	cdruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

var (
	once        sync.Once
	browserCtx  context.Context
	stopBrowser context.CancelFunc
	startErr    error
)

// chromiumPath finds Debian's chromium (CHROMIUM_PATH overrides).
func chromiumPath() (string, error) {
	if p := os.Getenv("CHROMIUM_PATH"); p != "" {
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("chromium is not installed: run `apt-get install -y chromium` (make test does it when run as root)")
}

func start() {
	path, err := chromiumPath()
	if err != nil {
		startErr = err
		return
	}
	dir, err := os.MkdirTemp("", "portal-chromium-")
	if err != nil {
		startErr = err
		return
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.UserDataDir(dir),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("mute-audio", true),
		chromedp.WindowSize(1280, 900),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	if err := chromedp.Run(ctx); err != nil {
		cancel()
		cancelAlloc()
		startErr = fmt.Errorf("start chromium %s: %w", path, err)
		return
	}
	browserCtx = ctx
	stopBrowser = func() {
		cancel()
		cancelAlloc()
		os.RemoveAll(dir)
	}
}

// Close stops the shared browser; call it once after all tests (from TestMain).
func Close() {
	if stopBrowser != nil {
		stopBrowser()
	}
}

// Tab opens a new tab of the shared headless browser for this test, closed when the test ends.
// The browser is started on first use; a missing chromium fails the test (never skips it).
func Tab(t testing.TB) context.Context {
	t.Helper()
	// A bound against a hung browser, not a measure: a whole journey runs in one tab, and on two
	// busy cores a long one (the administration's) has taken more than a minute.
	return TabWithin(t, 3*time.Minute)
}

// TabWithin is Tab bounded by d instead, for a journey through many pages (each checked with
// axe-core) that may outlast Tab's bound on busy cores.
// testsWithTabs are the tests that opened a tab already.
var testsWithTabs sync.Map

func TabWithin(t testing.TB, d time.Duration) context.Context {
	t.Helper()
	once.Do(start)
	if startErr != nil {
		t.Fatalf("browsertest: %v", startErr)
	}
	ctx, cancel := chromedp.NewContext(browserCtx)
	ctx, cancelTimeout := context.WithTimeout(ctx, d)
	t.Cleanup(func() {
		cancelTimeout()
		cancel()
	})
	// A tab without an emulated viewport may be treated as a background tab that renders no
	// frames, so screenshots would hang: give every tab a desktop viewport to start with.
	// The browser tests run one after another in one browser: each starts without the cookies
	// of the one before (its session, the language it chose); a test's second tab keeps those
	// of its first (a nominator and a citizen side by side).
	actions := []chromedp.Action{chromedp.EmulateViewport(1280, 900)}
	if _, opened := testsWithTabs.LoadOrStore(t.Name(), true); !opened {
		actions = append([]chromedp.Action{network.ClearBrowserCookies()}, actions...)
	}
	if err := chromedp.Run(ctx, actions...); err != nil {
		t.Fatalf("browsertest: open tab: %v", err)
	}
	return ctx
}

// Phone emulates a small phone screen (375x740, touch) in the tab.
func Phone() chromedp.Action {
	return emulation.SetDeviceMetricsOverride(375, 740, 2, true).
		WithScreenOrientation(&emulation.ScreenOrientation{Type: emulation.OrientationTypePortraitPrimary, Angle: 0})
}

// repoRoot is the module root, found from this file's path.
func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..")
}

var axeSource = sync.OnceValues(func() (string, error) {
	p := filepath.Join(repoRoot(), "internal", "tools", "browsertest", "node_modules", "axe-core", "axe.min.js")
	b, err := os.ReadFile(p)
	if err != nil {
		return "", fmt.Errorf("axe-core is missing (%v): run `npm ci --prefix internal/tools/browsertest` (make test does it)", err)
	}
	return string(b), nil
})

// Violation is one axe-core finding.
type Violation struct {
	ID      string `json:"id"`
	Impact  string `json:"impact"`
	Help    string `json:"help"`
	HelpURL string `json:"helpUrl"`
	Nodes   []struct {
		Target         []any  `json:"target"`
		FailureSummary string `json:"failureSummary"`
	} `json:"nodes"`
}

// WCAGTags are the axe-core rule tags for WCAG 2.0, 2.1 and 2.2 at levels A and AA.
var WCAGTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"}

// Axe runs axe-core on the current page and returns the WCAG 2.2 A/AA violations.
func Axe(ctx context.Context) ([]Violation, error) {
	src, err := axeSource()
	if err != nil {
		return nil, err
	}
	var loaded bool
	if err := chromedp.Run(ctx, chromedp.Evaluate(src+";\ntrue", &loaded)); err != nil {
		return nil, fmt.Errorf("inject axe-core: %w", err)
	}
	tags, _ := json.Marshal(WCAGTags)
	script := fmt.Sprintf(`axe.run(document, {runOnly: {type: 'tag', values: %s}, resultTypes: ['violations']}).then(r => JSON.stringify(r.violations))`, tags)
	var out string
	if err := chromedp.Run(ctx, chromedp.Evaluate(script, &out, func(p *cdruntime.EvaluateParams) *cdruntime.EvaluateParams {
		return p.WithAwaitPromise(true)
	})); err != nil {
		return nil, fmt.Errorf("run axe-core: %w", err)
	}
	var vs []Violation
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		return nil, fmt.Errorf("read axe-core result: %w", err)
	}
	return vs, nil
}

// CheckA11y fails the test on any WCAG 2.2 A/AA violation of the current page.
func CheckA11y(t testing.TB, ctx context.Context, page string) {
	t.Helper()
	vs, err := Axe(ctx)
	if err != nil {
		t.Fatalf("axe on %s: %v", page, err)
	}
	if len(vs) == 0 {
		return
	}
	var b strings.Builder
	for _, v := range vs {
		fmt.Fprintf(&b, "\n- %s (%s): %s %s", v.ID, v.Impact, v.Help, v.HelpURL)
		for _, n := range v.Nodes {
			fmt.Fprintf(&b, "\n    at %v: %s", n.Target, strings.ReplaceAll(n.FailureSummary, "\n", " "))
		}
	}
	t.Errorf("%s has %d accessibility violation(s):%s", page, len(vs), b.String())
}

// Screenshot saves a full-page PNG to var/screenshots/NAME.png for people to review.
func Screenshot(t testing.TB, ctx context.Context, name string) {
	t.Helper()
	var buf []byte
	// Headless Chromium renders no frames for a background tab: bring this one to the front.
	if err := chromedp.Run(ctx, page.BringToFront(), chromedp.FullScreenshot(&buf, 100)); err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	dir := filepath.Join(repoRoot(), "var", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), buf, 0o644); err != nil {
		t.Fatal(err)
	}
}
