package server_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"prizeportal/internal/tools/browsertest"
)

// TestBrowserContextImport: the secretariat uploads a CSV of context data with a mistake, reads
// the problem with its line number (nothing imported), corrects the file and uploads it again,
// then sees the data summed up per indicator. Each state of the page is checked with axe-core.
func TestBrowserContextImport(t *testing.T) {
	e := newEnv(t, nil, "seoul-2023")
	sec := matrixUser(t, e, "sec", "secretariat")
	ctx := signedInTab(t, e, sec)
	dir := t.TempDir()
	bad, good := filepath.Join(dir, "indicators.csv"), filepath.Join(dir, "indicators-fixed.csv")
	if err := os.WriteFile(bad, []byte(strings.Replace(contextGood, "NP,,gdp_per_capita,1336.5", "NP,,gdp_per_capita,\"1336,5\"", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(good, []byte(contextGood), 0o600); err != nil {
		t.Fatal(err)
	}
	const fileInput = `[id="f-file"]`
	const submit = `form[enctype="multipart/form-data"] button[type="submit"]`

	browserRun(t, ctx, "open the page", chromedp.Navigate(e.srv.URL+"/secretariat/context"),
		chromedp.WaitVisible(fileInput, chromedp.ByQuery))
	browsertest.CheckA11y(t, ctx, "context data, empty")

	browserRun(t, ctx, "upload the file with a mistake",
		chromedp.SetUploadFiles(fileInput, []string{bad}, chromedp.ByQuery),
		chromedp.Click(submit, chromedp.ByQuery),
		chromedp.WaitVisible(`#context-problems`, chromedp.ByQuery))
	text := browserText(t, ctx)
	for _, want := range []string{"The file has 1 problem, so nothing was imported.", "Problems in indicators.csv",
		`line 5: value "1336,5" is not a number`} {
		if !strings.Contains(text, want) {
			t.Errorf("after the refused upload, the page lacks %q:\n%s", want, text)
		}
	}
	if n := contextCount(t, e, `SELECT count(*) FROM context_data`); n != 0 {
		t.Errorf("%d rows imported from the file with a mistake", n)
	}
	browsertest.CheckA11y(t, ctx, "context data, problems")
	browsertest.Screenshot(t, ctx, "context-data-problems")

	browserRun(t, ctx, "upload the corrected file",
		chromedp.SetUploadFiles(fileInput, []string{good}, chromedp.ByQuery),
		chromedp.Click(submit, chromedp.ByQuery),
		chromedp.WaitVisible(`#context-held-caption`, chromedp.ByQuery))
	text = browserText(t, ctx)
	for _, want := range []string{"Imported indicators-fixed.csv: 4 values, 4 new", "gdp_per_capita", "internet_use",
		"4 values of 3 indicators for 2 countries and 1 city."} {
		if !strings.Contains(text, want) {
			t.Errorf("after the import, the page lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Problems in") {
		t.Error("the problems of the earlier upload are still shown")
	}
	if n := contextCount(t, e, `SELECT count(*) FROM context_data`); n != 4 {
		t.Errorf("%d rows imported, want 4", n)
	}
	browsertest.CheckA11y(t, ctx, "context data, imported")
	browsertest.Screenshot(t, ctx, "context-data-imported")
}
