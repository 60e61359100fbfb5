package server_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"prizeportal/internal/account"
	"prizeportal/internal/notify/notifytest"
	"prizeportal/internal/screening"
	"prizeportal/internal/tools/browsertest"
)

// hangul reports whether s holds Korean letters.
func hangul(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Hangul, r) }) >= 0
}

// TestBrowserKoreanJourney runs the prize in Korean (DOMAIN.md: the secretariat works in Korean,
// many applicants are Korean). An applicant with a Hangul name and organisation switches the
// interface to Korean on a phone, registers, confirms the address, applies and submits; the
// receipt email is Korean and its PDF copy shows the Hangul name (pdftotext). A secretariat
// member whose account prefers Korean screens the entry in Korean, with no cookie to help. Every
// page says lang="ko" and passes axe.
func TestBrowserKoreanJourney(t *testing.T) {
	clock := &testClock{now: fixedNow}
	e := newEnvWithClock(t, clock)
	mail := startMail(t, e)
	tab := browsertest.TabWithin(t, 5*time.Minute)
	base := e.srv.URL
	run := browserSteps(t, tab)
	// inKorean checks the page: lang="ko", the header and the h1 in Hangul, axe clean.
	inKorean := func(step string) {
		t.Helper()
		var lang, header, h1 string
		run(step+": read",
			chromedp.Evaluate(`document.documentElement.lang`, &lang),
			chromedp.Text("header", &header, chromedp.ByQuery),
			chromedp.Text("h1", &h1, chromedp.ByQuery),
		)
		if lang != "ko" || !hangul(header) || !hangul(h1) {
			t.Errorf("%s: lang %q, header %q, h1 %q: want the page in Korean", step, lang, header, h1)
		}
		browsertest.CheckA11y(t, tab, step+" (Korean)")
	}

	const email = "minjun@mapo.example"
	run("switch to Korean on a phone",
		browsertest.Phone(),
		chromedp.Navigate(base+"/register"),
		chromedp.Click(`nav.language-switch button[lang="ko"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`html[lang="ko"] #f-entity_type-0`, chromedp.ByQuery),
	)
	inKorean("register step 1")
	run("register step 2",
		chromedp.Click(`input[name=entity_type][value=city]`, chromedp.ByQuery),
		chromedp.Click(`main form button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#f-login_id`, chromedp.ByQuery),
	)
	inKorean("register step 2")
	run("register",
		chromedp.Click(`input[name=category][value=human-centricity]`, chromedp.ByQuery),
		chromedp.SendKeys(`#f-name`, "김민준", chromedp.ByQuery),
		chromedp.SendKeys(`#f-organisation`, "서울특별시 마포구", chromedp.ByQuery),
		chromedp.SendKeys(`#f-email`, email, chromedp.ByQuery),
		chromedp.SendKeys(`#f-phone`, "+82 2 3153 8114", chromedp.ByQuery),
		chromedp.SendKeys(`#f-city`, "서울", chromedp.ByQuery),
		chromedp.SetValue(`#f-country`, "KR", chromedp.ByQuery),
		chromedp.SendKeys(`#f-login_id`, "mapo-gu", chromedp.ByQuery),
		chromedp.SendKeys(`#f-password`, "마포 구청 스마트 도시", chromedp.ByQuery),
		chromedp.Click(`#f-terms`, chromedp.ByQuery),
		chromedp.Click(`form.form button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.flash`, chromedp.ByQuery),
	)
	var notice string
	run("read the notice", chromedp.Text(`.flash`, &notice, chromedp.ByQuery))
	if !hangul(notice) || !strings.Contains(notice, email) {
		t.Errorf("after registering: %q, want a Korean notice naming the address", notice)
	}
	inKorean("sign-in after registering")

	verify := mail.WaitFor(t, email, "", 30*time.Second)
	if !hangul(verify.Subject) || !hangul(verify.Text) || !hangul(verify.HTML) {
		t.Errorf("the verification email is not in Korean: %q\n%s", verify.Subject, verify.Text)
	}
	link, err := url.Parse(notifytest.FirstLink(verify.Text, "/verify/"))
	if err != nil || link.Path == "" {
		t.Fatalf("no verification link in:\n%s", verify.Text)
	}
	run("verify", chromedp.Navigate(base+link.Path), chromedp.WaitVisible(`form.form button`, chromedp.ByQuery))
	inKorean("verify page")
	run("confirm", chromedp.Click(`form.form button`, chromedp.ByQuery), chromedp.WaitVisible(`.flash`, chromedp.ByQuery))
	run("sign in",
		chromedp.Navigate(base+"/signin"),
		browserSignInForm("mapo-gu", "마포 구청 스마트 도시"),
		chromedp.WaitVisible(`.cards`, chromedp.ByQuery),
	)
	inKorean("dashboard")
	var h1 string
	run("dashboard greeting", chromedp.Text("h1", &h1, chromedp.ByQuery))
	if !strings.Contains(h1, "김민준") {
		t.Errorf("dashboard h1 %q does not greet 김민준", h1)
	}

	// Apply: the first section in the browser, on a desktop; the rest directly.
	var userID int64
	if err := e.pool.QueryRow(context.Background(), `SELECT id FROM users WHERE login_id = 'mapo-gu'`).Scan(&userID); err != nil {
		t.Fatal(err)
	}
	run("overview", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(base+"/application"), chromedp.WaitVisible(`ol.sections`, chromedp.ByQuery))
	inKorean("application overview")
	run("project section",
		chromedp.Navigate(base+"/application/sections/project"),
		chromedp.WaitVisible(`[id="f-q.project_title"]`, chromedp.ByQuery),
	)
	inKorean("project section")
	run("fill the project section",
		chromedp.SendKeys(`[id="f-q.project_title"]`, "마포 스마트 쉼터", chromedp.ByQuery),
		chromedp.Click(`button[value="save"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.flash`, chromedp.ByQuery),
	)
	inKorean("project section saved")
	completeTheRestWith(t, e, userID, completeAnswersFor(t, e, "human-centricity"))
	run("review", chromedp.Navigate(base+"/application/review"), chromedp.WaitVisible(`form[action="/application/submit"]`, chromedp.ByQuery))
	inKorean("review")
	run("submit",
		chromedp.Click(`form[action="/application/submit"] button`, chromedp.ByQuery),
		chromedp.WaitVisible(`ol.sections`, chromedp.ByQuery),
	)
	inKorean("submitted")
	browsertest.Screenshot(t, tab, "korean-submitted")

	receipts := mail.WaitForN(t, email, "", 2, 30*time.Second)
	receipt := receipts[1]
	if !hangul(receipt.Subject) || !hangul(receipt.Text) || !hangul(receipt.HTML) {
		t.Errorf("the receipt is not in Korean: %q\n%s", receipt.Subject, receipt.Text)
	}
	var pdf []byte
	for _, a := range receipt.Attachments {
		if a.ContentType == "application/pdf" {
			pdf = a.Data
		}
	}
	if pdf == nil {
		t.Fatalf("the receipt has no PDF copy: %+v", receipt.Attachments)
	}
	// the name and the title in Hangul, the copy's own words in Korean
	if text := pdfText(t, pdf); !strings.Contains(text, "김민준") || !strings.Contains(text, "마포 스마트 쉼터") ||
		!strings.Contains(text, "신청서 사본") || !strings.Contains(text, "1/3쪽") {
		t.Errorf("the receipt's PDF does not show the Hangul name and title with Korean labels:\n%s", text)
	}

	// A Korean secretariat member screens: their account prefers Korean, the browser says nothing.
	sec := matrixUser(t, e, "sec", "secretariat")
	if err := account.SetLanguage(context.Background(), e.pool, sec, "ko"); err != nil {
		t.Fatal(err)
	}
	clock.Advance(26 * 24 * time.Hour) // 5 June 2023: round 1 is under way
	run("forget the applicant", network.ClearBrowserCookies())
	browserSignIn(t, e, tab, sec)
	run("staff dashboard", chromedp.Navigate(base+"/dashboard"), chromedp.WaitVisible(`main h1`, chromedp.ByQuery))
	inKorean("staff dashboard")
	browsertest.Screenshot(t, tab, "korean-staff-dashboard")
	run("screening queue", chromedp.Navigate(base+"/secretariat/screening"), chromedp.WaitVisible(`main h1`, chromedp.ByQuery))
	browsertest.Screenshot(t, tab, "korean-screening-queue")
	inKorean("screening queue")
	run("the category's queue",
		chromedp.Click(`main a[href*="human-centricity"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#queue-caption`, chromedp.ByQuery),
	)
	inKorean("the category's queue")
	app := storedApplication(t, e, userID)
	href := "/secretariat/screening/" + strconv.FormatInt(app.ID, 10)
	run("open the entry", chromedp.Navigate(base+href), chromedp.WaitVisible(`#entry-decision`, chromedp.ByQuery))
	inKorean("screening view")
	run("mark eligible",
		chromedp.Click(`input[name="check.english"][value="yes"]`, chromedp.ByQuery),
		chromedp.Click(`input[name="check.documents"][value="yes"]`, chromedp.ByQuery),
		chromedp.Click(`input[name="check.not_duplicate"][value="yes"]`, chromedp.ByQuery),
		chromedp.Click(`input[name="decision"][value="eligible"]`, chromedp.ByQuery),
		chromedp.Click(`form[action="`+href+`/decision"] button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.flash`, chromedp.ByQuery),
	)
	inKorean("screening view decided")
	browsertest.Screenshot(t, tab, "korean-screening")
	if rec, err := screening.DecisionOf(context.Background(), e.pool, app.ID); err != nil || rec.Decision != screening.Eligible {
		t.Fatalf("decision: %+v, %v", rec, err)
	}
}
