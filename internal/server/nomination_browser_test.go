package server_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"prizeportal/internal/application"
	"prizeportal/internal/nomination"
	"prizeportal/internal/notify/notifytest"
	"prizeportal/internal/tools/browsertest"
)

// browserRun runs chromedp actions as one named step of a browser test.
func browserRun(t *testing.T, ctx context.Context, step string, actions ...chromedp.Action) {
	t.Helper()
	if err := chromedp.Run(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", step, err)
	}
}

// browserSteps returns browserRun bound to the tab ctx, for a journey of many steps.
func browserSteps(t *testing.T, ctx context.Context) func(step string, actions ...chromedp.Action) {
	return func(step string, actions ...chromedp.Action) {
		t.Helper()
		browserRun(t, ctx, step, actions...)
	}
}

// browserSignInForm fills the sign-in form of the page open with login and password and submits it.
// browserSignOut signs out with the header's button and waits for the sign-out's own message (the
// page signed out from may show a message of its own).
func browserSignOut(t *testing.T, ctx context.Context, step string) {
	t.Helper()
	browserRun(t, ctx, step,
		chromedp.Click(`form[action="/signout"] button`, chromedp.ByQuery),
		chromedp.WaitVisible(`//div[@class="flash" and contains(., "You are signed out.")]`, chromedp.BySearch),
	)
}

func browserSignInForm(login, password string) chromedp.Tasks {
	return chromedp.Tasks{
		chromedp.SendKeys(`#f-login`, login, chromedp.ByQuery),
		chromedp.SendKeys(`#f-password`, password, chromedp.ByQuery),
		chromedp.Click(`form.form button[type=submit]`, chromedp.ByQuery),
	}
}

// browserWantPath fails the test unless the page open is at path want; step names the moment.
func browserWantPath(t *testing.T, ctx context.Context, step, want string) {
	t.Helper()
	var path string
	browserRun(t, ctx, step, chromedp.Evaluate(`location.pathname`, &path))
	if path != want {
		t.Fatalf("%s: at %s, want %s", step, path, want)
	}
}

// browserText returns the visible text of the page's main content.
func browserText(t *testing.T, ctx context.Context) string {
	t.Helper()
	var s string
	browserRun(t, ctx, "read the page", chromedp.Text("body", &s, chromedp.ByQuery))
	return s
}

// TestBrowserNominationJourney: a nominator creates a third-party nomination in the browser,
// fills the Leadership Application Form with a CV upload, and asks the candidate for consent;
// the candidate opens the emailed link (real SMTP) and consents; a recommender writes the letter
// through their emailed link without an account; the nominator, who never sees the letter,
// submits a complete nomination. A second self-nomination is refused with the rule explained.
// Every page is checked with axe-core.
func TestBrowserNominationJourney(t *testing.T) {
	e := newEnv(t, nil, "seoul-2023")
	mail := startMail(t, e)
	ana := nominatorUser(t, e, "ana", true)
	base := e.srv.URL
	cv := samplePDFFile(t, "cv.pdf")

	ctx := signedInTab(t, e, ana)
	browserRun(t, ctx, "dashboard",
		chromedp.Navigate(base+"/dashboard"),
		chromedp.Click(`a[href="/nominations"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`a[href="/nominations/new"]`, chromedp.ByQuery),
	)
	browsertest.CheckA11y(t, ctx, "nominations (empty)")
	browserRun(t, ctx, "new nomination",
		chromedp.Click(`a[href="/nominations/new"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#f-candidate_name`, chromedp.ByQuery),
	)
	browsertest.CheckA11y(t, ctx, "new nomination")
	// A first try without the candidate's address shows the error next to the field.
	browserRun(t, ctx, "fill the nomination",
		chromedp.SetValue(`#f-nominator_category`, "city-head", chromedp.ByQuery),
		chromedp.SendKeys(`#f-candidate_name`, "Kim Min-ji", chromedp.ByQuery),
		chromedp.SendKeys(`#f-candidate_position`, "Chief Digital Officer", chromedp.ByQuery),
		chromedp.SendKeys(`#f-candidate_organisation`, "Seoul Metropolitan Government", chromedp.ByQuery),
		chromedp.SendKeys(`#f-candidate_city`, "Seoul", chromedp.ByQuery),
		chromedp.SetValue(`#f-candidate_country`, "KR", chromedp.ByQuery),
		chromedp.Click(`form.form button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.error-summary`, chromedp.ByQuery),
	)
	browsertest.CheckA11y(t, ctx, "new nomination with an error")
	var name string
	browserRun(t, ctx, "correct the nomination",
		chromedp.Value(`#f-candidate_name`, &name, chromedp.ByQuery),
		chromedp.SendKeys(`#f-candidate_email`, "minji@city.example", chromedp.ByQuery),
		chromedp.Click(`form.form button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#nomination-status`, chromedp.ByQuery),
	)
	if name != "Kim Min-ji" {
		t.Fatalf("typed name lost after the error: %q", name)
	}
	browsertest.CheckA11y(t, ctx, "nomination overview")
	var home string
	browserRun(t, ctx, "where", chromedp.Evaluate(`location.pathname`, &home))

	// The candidate section, with the CV uploaded.
	browserRun(t, ctx, "candidate section",
		chromedp.Navigate(base+home+"/sections/candidate"),
		chromedp.WaitVisible(`[id="f-q.country"]`, chromedp.ByQuery),
		chromedp.SendKeys(`[id="f-q.country"]`, "Republic of Korea", chromedp.ByQuery),
		chromedp.SendKeys(`[id="f-q.city"]`, "Seoul", chromedp.ByQuery),
		chromedp.SendKeys(`[id="f-q.nationality"]`, "Korean", chromedp.ByQuery),
		chromedp.SendKeys(`[id="f-q.biography"]`, "Led the city's open data programme for ten years.", chromedp.ByQuery),
		chromedp.SetUploadFiles(`[id="f-q.cv"]`, []string{cv}, chromedp.ByQuery),
		chromedp.Click(`button[value="save"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`a[href^="`+home+`/files/"]`, chromedp.ByQuery),
	)
	browsertest.CheckA11y(t, ctx, "nomination candidate section")
	// The rest of the form is filled directly; what the browser entered is kept.
	owner, id := ana, nominationID(t, home)
	a, err := application.LoadEntry(context.Background(), e.pool, owner, id)
	if err != nil {
		t.Fatal(err)
	}
	answers := completeAnswersFor(t, e, "leadership")
	for k, v := range a.Answers {
		answers[k] = v
	}
	if _, _, err := application.Save(context.Background(), e.pool, a, a.Version, answers, fixedNow); err != nil {
		t.Fatal(err)
	}

	// Not submitted without consent: the review says why.
	browserRun(t, ctx, "review",
		chromedp.Navigate(base+home+"/review"),
		chromedp.Click(`form[action="`+home+`/submit"] button`, chromedp.ByQuery),
		chromedp.WaitVisible(`p.notice`, chromedp.ByQuery),
	)
	if !strings.Contains(browserText(t, ctx), "the candidate has not consented yet") {
		t.Fatal("submit without consent not explained")
	}
	browserRun(t, ctx, "ask for consent",
		chromedp.Navigate(base+home),
		chromedp.Click(`form[action="`+home+`/consent"] button`, chromedp.ByQuery),
		chromedp.WaitVisible(`.flash`, chromedp.ByQuery),
	)

	// The candidate, without an account, follows the emailed link.
	m := mail.WaitFor(t, "minji@city.example", "your consent is needed", 15*time.Second)
	consentURL := emailedPath(t, m, "/consent/")
	cand := browsertest.Tab(t)
	browserRun(t, cand, "consent page",
		chromedp.Navigate(base+consentURL),
		chromedp.WaitVisible(`button[value="consent"]`, chromedp.ByQuery),
	)
	if txt := browserText(t, cand); !strings.Contains(txt, "Nominator ana") || !strings.Contains(txt, "Led the city's open data programme") {
		t.Fatalf("consent page does not show the nomination:\n%s", txt)
	}
	browsertest.CheckA11y(t, cand, "candidate consent page")
	browsertest.Screenshot(t, cand, "nomination-consent")
	browserRun(t, cand, "consent",
		chromedp.SendKeys(`#f-note`, "Honoured.", chromedp.ByQuery),
		chromedp.Click(`button[value="consent"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`p.notice`, chromedp.ByQuery),
	)
	if !strings.Contains(browserText(t, cand), "You consented to this nomination on 10 May 2023") {
		t.Fatal("consent not confirmed")
	}
	browsertest.CheckA11y(t, cand, "candidate consent given")
	mail.WaitFor(t, "ana@example.org", "has consented to", 15*time.Second)

	// A recommender, invited by the nominator, writes the letter through their emailed link
	// without an account; the nominator sees only that it arrived.
	browserRun(t, ctx, "invite a recommender",
		chromedp.Navigate(base+home+"/letter"),
		chromedp.WaitVisible(`#f-organisation`, chromedp.ByQuery),
		chromedp.SendKeys(`#f-name`, "Park Won-soon", chromedp.ByQuery),
		chromedp.SendKeys(`#f-email`, "park@wego.example", chromedp.ByQuery),
		chromedp.SendKeys(`#f-organisation`, "WeGO", chromedp.ByQuery),
		chromedp.Click(`form.form button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`dl.facts`, chromedp.ByQuery),
	)
	letterLink := emailedPath(t, mail.WaitFor(t, "park@wego.example", "", 15*time.Second), "/letters/")
	rec := browsertest.Tab(t)
	const secret = "Kim Min-ji rebuilt the city's data office from the ground up."
	browserRun(t, rec, "recommender writes",
		chromedp.Navigate(base+letterLink),
		chromedp.WaitVisible(`#f-title`, chromedp.ByQuery),
		chromedp.SendKeys(`#f-title`, "Secretary-General", chromedp.ByQuery),
		chromedp.Click(`input[name="category"][value="civil-society-head"]`, chromedp.ByQuery),
		chromedp.SendKeys(`#f-letter_text`, secret, chromedp.ByQuery),
		chromedp.Click(`form.form button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`//h1[contains(., "Thank you")]`, chromedp.BySearch),
	)
	browsertest.CheckA11y(t, rec, "recommender thank-you page")
	for _, path := range []string{home, home + "/letter", home + "/review", "/nominations"} {
		browserRun(t, ctx, "nominator reads "+path, chromedp.Navigate(base+path), chromedp.WaitVisible(`h1`, chromedp.ByQuery))
		if txt := browserText(t, ctx); strings.Contains(txt, "rebuilt the city's data office") {
			t.Fatalf("the nominator sees the letter on %s", path)
		}
	}
	if !strings.Contains(browserText(t, ctx), "Received") {
		t.Fatal("the list does not show the letter as received")
	}

	// The nominator submits.
	browserRun(t, ctx, "submit",
		chromedp.Navigate(base+home+"/review"),
		chromedp.WaitVisible(`form[action="`+home+`/submit"]`, chromedp.ByQuery),
	)
	browsertest.CheckA11y(t, ctx, "nomination review")
	browserRun(t, ctx, "submit",
		chromedp.Click(`form[action="`+home+`/submit"] button`, chromedp.ByQuery),
		chromedp.WaitVisible(`#nomination-status`, chromedp.ByQuery),
	)
	mail.WaitFor(t, "ana@example.org", "was received", 15*time.Second)
	if a, _ := application.LoadEntry(context.Background(), e.pool, owner, id); a.Status != application.Submitted {
		t.Fatalf("status after submit: %s", a.Status)
	}
	browsertest.Screenshot(t, ctx, "nomination-submitted")

	// One self-nomination; the second is refused with the rule explained.
	newEntry := func(step string) {
		browserRun(t, ctx, step,
			chromedp.Navigate(base+"/nominations/new"),
			chromedp.WaitVisible(`#f-candidate_position`, chromedp.ByQuery),
			chromedp.Click(`input[name="self"][value="self"]`, chromedp.ByQuery),
			chromedp.SendKeys(`#f-candidate_position`, "Founder", chromedp.ByQuery),
			chromedp.SendKeys(`#f-candidate_organisation`, "Open City Lab", chromedp.ByQuery),
			chromedp.Click(`form.form button[type="submit"]`, chromedp.ByQuery),
		)
	}
	newEntry("self-nomination")
	browserRun(t, ctx, "self-nomination made", chromedp.WaitVisible(`#nomination-status`, chromedp.ByQuery))
	newEntry("second self-nomination")
	browserRun(t, ctx, "second refused", chromedp.WaitVisible(`.error-summary`, chromedp.ByQuery))
	if !strings.Contains(browserText(t, ctx), "You have already nominated yourself") {
		t.Fatal("second self-nomination not explained")
	}
	browsertest.CheckA11y(t, ctx, "second self-nomination refused")
	browserRun(t, ctx, "list", chromedp.Navigate(base+"/nominations"), chromedp.WaitVisible(`table`, chromedp.ByQuery))
	browsertest.CheckA11y(t, ctx, "nominations list")
	list, _ := nomination.List(context.Background(), e.pool, ana)
	if len(list) != 2 {
		t.Fatalf("%d nominations, want 2", len(list))
	}
}

// emailedPath returns the path of the first link in mail that contains substr (emails link to
// the configured public address, not the test server's).
func emailedPath(t *testing.T, m notifytest.Mail, substr string) string {
	t.Helper()
	link := notifytest.FirstLink(m.Text, substr)
	u, err := url.Parse(link)
	if link == "" || err != nil {
		t.Fatalf("no %s link in:\n%s", substr, m.Text)
	}
	return u.Path
}

// nominationID is the id in a nomination's path.
func nominationID(t *testing.T, home string) int64 {
	t.Helper()
	var id int64
	for _, c := range strings.TrimPrefix(home, "/nominations/") {
		if c < '0' || c > '9' {
			t.Fatalf("not a nomination path: %q", home)
		}
		id = id*10 + int64(c-'0')
	}
	return id
}
