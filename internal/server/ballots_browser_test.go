package server_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"prizeportal/internal/tools/browsertest"
)

// TestBrowserCouncilVotes: seven council members vote in the browser, one after another, on
// four seeded Tech-InnovaCity semi-finalists (A, B, C, D); the seventh abstains on D, stating a
// conflict. The chair closes the vote, reads the protocol and confirms the winners; the
// secretariat sees who voted. Every page passes axe-core.
//
// The ballots (ranks of A, B, C, D):
//
//	members 1–3: 1 2 3 4   (A > B > C > D)
//	members 4–5: 3 1 2 4   (B > C > A > D)
//	member 6:    2 3 1 4   (C > A > B > D)
//	member 7:    2 3 1 —   (C > A > B; abstains on D)
//
// Pairwise d: A:B 5:2, B:C 5:2, C:A 4:3 — a Condorcet cycle A > B > C > A; d[X,D] = 6 and
// d[D,X] = 0 for X in A, B, C. Schulze (winning votes) links: A→B 5, B→C 5, C→A 4, X→D 6.
// Strongest paths: p[A,B] = 5, p[B,A] = min(B→C 5, C→A 4) = 4; p[A,C] = min(A→B, B→C) = 5,
// p[C,A] = 4; p[B,C] = 5, p[C,B] = min(C→A 4, A→B 5) = 4; p[X,D] = 6, p[D,X] = 0. So A beats
// B and C, B beats C, everyone beats D: the order is A, B, C, D with no tie.
func TestBrowserCouncilVotes(t *testing.T) {
	w := newBallotWorld(t, votingDay, 7, 4)
	base := w.e.srv.URL
	ballots := [][]int{{1, 2, 3, 4}, {1, 2, 3, 4}, {1, 2, 3, 4}, {3, 1, 2, 4}, {3, 1, 2, 4}, {2, 3, 1, 4}, {2, 3, 1, 0}}
	field := func(kind string, i int) string { return fmt.Sprintf("#f-%s-%d", kind, w.entries[i]) }

	for m, ranks := range ballots {
		tab := browsertest.Tab(t)
		browserSignIn(t, w.e, tab, w.members[m])
		browserRun(t, tab, fmt.Sprintf("member %d: dashboard to the ballot", m+1),
			chromedp.Navigate(base+"/dashboard"),
			chromedp.Click(`a[href^="/council/ballots/tech-innovacity?"]`, chromedp.ByQuery),
			chromedp.WaitVisible(`#ballot-title`, chromedp.ByQuery),
		)
		if m == 0 {
			browsertest.CheckA11y(t, tab, "ballot, empty")
			// A ballot with a missing rank: the errors are shown and what was typed stays.
			browserRun(t, tab, "incomplete ballot",
				chromedp.SendKeys(field("rank", 0), "1", chromedp.ByQuery),
				chromedp.Click(`//button[contains(., "Cast my ballot")]`, chromedp.BySearch),
				chromedp.WaitVisible(`.error-summary`, chromedp.ByQuery),
			)
			browsertest.CheckA11y(t, tab, "ballot, errors")
			var kept string
			browserRun(t, tab, "kept value", chromedp.Value(field("rank", 0), &kept, chromedp.ByQuery))
			if kept != "1" {
				t.Fatalf("the typed rank was lost: %q", kept)
			}
		}
		for i, r := range ranks {
			if m == 0 && i == 0 {
				continue
			}
			if r == 0 {
				browserRun(t, tab, "abstain",
					chromedp.Click(field("abstain", i), chromedp.ByQuery),
					chromedp.SendKeys(field("conflict", i), "I chaired its advisory board until 2022.", chromedp.ByQuery))
				continue
			}
			browserRun(t, tab, "rank", chromedp.SendKeys(field("rank", i), fmt.Sprint(r), chromedp.ByQuery))
		}
		browserRun(t, tab, fmt.Sprintf("member %d casts", m+1),
			chromedp.Click(`//button[contains(., "Cast my ballot")]`, chromedp.BySearch),
			chromedp.WaitVisible(`//*[contains(@class, "flash")][contains(., "Your ballot is cast")]`, chromedp.BySearch),
		)
		if m == 0 || m == 6 {
			browsertest.CheckA11y(t, tab, fmt.Sprintf("ballot, cast by member %d", m+1))
		}
		txt := browserText(t, tab)
		if want := fmt.Sprintf("%d of 7 members have voted", m+1); !strings.Contains(txt, want) {
			t.Fatalf("member %d after casting: want %q in\n%s", m+1, want, txt)
		}
	}

	tab := browsertest.Tab(t)
	browserSignIn(t, w.e, tab, w.members[0])
	browserRun(t, tab, "chair closes the vote",
		chromedp.Navigate(base+w.url("")),
		chromedp.Click(`//button[contains(., "Close the vote and count")]`, chromedp.BySearch),
		chromedp.WaitVisible(`#ballots-caption`, chromedp.ByQuery),
	)
	browsertest.CheckA11y(t, tab, "protocol")
	var order string
	browserRun(t, tab, "read the order", chromedp.Text(`//h2[@id="order-title"]/following-sibling::ol`, &order, chromedp.BySearch))
	if !orderIs(order, "Entry A", "Entry B", "Entry C", "Entry D") {
		t.Fatalf("final order %q, want A, B, C, D", order)
	}
	txt := browserText(t, tab)
	for _, want := range []string{"Schulze method", "7 ballots from a council of 7 (quorum 4)", "Ballot 7", "abstained", "No tie-break was needed."} {
		if !strings.Contains(txt, want) {
			t.Errorf("protocol lacks %q:\n%s", want, txt)
		}
	}
	if strings.Contains(txt, "Evaluator cm2") {
		t.Errorf("the protocol names a voter")
	}
	browserRun(t, tab, "confirm the winners",
		chromedp.Click(`//button[contains(., "Confirm the winners")]`, chromedp.BySearch),
		chromedp.WaitVisible(`//*[contains(@class, "flash")][contains(., "winners are confirmed")]`, chromedp.BySearch),
	)
	browsertest.CheckA11y(t, tab, "protocol, winners confirmed")
	if txt := browserText(t, tab); !strings.Contains(txt, "First Prize: Entry A") || !strings.Contains(txt, "Third Prize: Entry C") {
		t.Fatalf("winners:\n%s", txt)
	}

	sec := signedInTab(t, w.e, w.secretariat)
	browserRun(t, sec, "council page",
		chromedp.Navigate(base+"/council?edition="+fmt.Sprint(w.edID)),
		chromedp.WaitVisible(`#votes-title`, chromedp.ByQuery),
	)
	browsertest.CheckA11y(t, sec, "council page")
	if txt := browserText(t, sec); !strings.Contains(txt, "7 of 7 members have voted") || !strings.Contains(txt, "The vote is closed.") {
		t.Errorf("council page:\n%s", txt)
	}
}

// orderIs reports whether the names appear in text in that order.
func orderIs(text string, names ...string) bool {
	at := 0
	for _, n := range names {
		i := strings.Index(text[at:], n)
		if i < 0 {
			return false
		}
		at += i + len(n)
	}
	return true
}
