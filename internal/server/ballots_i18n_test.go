package server_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"prizeportal/internal/i18n"
)

// TestProtocolInTheReadersLanguage: the result protocol's page, with a tie left for the chair,
// shows no text outside the catalogs in the pseudo-locale; once the chair has decided and
// confirmed the winners, its PDF for a Korean reader has its own words in Korean and none of the
// English ones.
func TestProtocolInTheReadersLanguage(t *testing.T) {
	t.Parallel()
	i18n.EnablePseudo()
	w := newBallotWorld(t, votingDay, 3, 3)
	chair := w.e.signedInClient(t, w.members[0])
	a, b := w.entries[0], w.entries[1]
	w.vote(t, w.members[0], 1, 2, 3)
	w.vote(t, w.members[1], 2, 1, 3)
	if r := chair.post(w.url("close"), nil); r.status != 303 {
		t.Fatalf("chair closing: %d %s", r.status, r.body)
	}
	withLang(chair, i18n.Pseudo)
	r := chair.get(w.url("protocol"))
	wantStatus(t, "protocol", r, 200)
	if left := uncataloged(t, r.body, databaseTexts(t, w.e)); len(left) > 0 {
		t.Errorf("the protocol shows text that is not from a catalog:\n\t%s", strings.Join(left, "\n\t"))
	}
	good := url.Values{fmt.Sprintf("order-%d", a): {"2"}, fmt.Sprintf("order-%d", b): {"1"}, "reason": {"B's reach in the discussion"}}
	if r := chair.post(w.url("tiebreak"), good); r.status != 303 {
		t.Fatalf("decision: %d %s", r.status, r.body)
	}
	if r := chair.post(w.url("confirm"), nil); r.status != 303 {
		t.Fatalf("confirm: %d %s", r.status, r.body)
	}
	withLang(chair, "ko")
	pdf := chair.get(w.url("protocol.pdf"))
	wantStatus(t, "protocol PDF", pdf, 200)
	text := pdfText(t, []byte(pdf.body))
	for _, want := range []string{"결과 회의록", "방식", "슐체 방식", "후보", "투표용지 1", "개표", "일대일 집계", "가장 강한 경로", "동점 처리",
		"시상위원장의 결정", "최종 순위", "시상위원장이 확정한 수상자", "번", "쪽"} {
		if !strings.Contains(text, want) {
			t.Errorf("the Korean protocol PDF lacks %q:\n%s", want, text)
		}
	}
	for _, english := range []string{"Result protocol", "Method", "Schulze", "Candidates", "Ballot 1", "No. ", "Pairwise", "Strongest",
		"from a council of", "The chair's decision", "Final order", "Winners confirmed", "Confirmed by", "Organisation", "Generated", "Page 1"} {
		if strings.Contains(text, english) {
			t.Errorf("the Korean protocol PDF has %q:\n%s", english, text)
		}
	}
}
