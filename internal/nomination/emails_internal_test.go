package nomination

import (
	"testing"
	"time"

	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/notify/wording/wordingtest"
)

// TestDefaultWording holds the registry's defaults to the emails of a nomination as built: the
// candidate's consent and answer, the letter's request, new copy, reminders and arrival, and the
// endorsements' confirmation.
func TestDefaultWording(t *testing.T) {
	ed, site := wordingtest.Edition(t)
	cat, _ := ed.Category("leadership")
	footer := site.Meta(ed).TextFooter()
	s := &Service{Deps: usecase.New(nil, nil, site, nil)}
	n := Nomination{ApplicationID: 9, UserID: 3, Details: Details{NominatorOrganisation: "Seoul Urban Institute",
		CandidateName: "Dr Lee", CandidateEmail: "lee@example.org", CandidatePosition: "Mayor", CandidateOrganisation: "Suwon"},
		EndorsementCode: "abc"}
	n.NominatorName, n.NominatorEmail = "Park Ji-ho", "park@example.org"
	p := Place{Nomination: n, Edition: ed, Category: cat}
	now := time.Date(2023, 5, 3, 2, 20, 0, 0, time.UTC)

	wordingtest.MatchesDefault(t, s.ConsentEmail(ed, cat, &n, "tok"), ed.ID, footer)
	target := &ConsentTarget{Place: p}
	wordingtest.MatchesDefault(t, s.consentAnswerEmail(target, true, "", now), ed.ID, footer)
	wordingtest.MatchesDefault(t, s.consentAnswerEmail(target, false, " Not this year. ", now), ed.ID, footer)

	party := letterParty{name: "Choi", email: "choi@example.org", candidate: n.CandidateName, nominator: NominatorLabel(&n)}
	wordingtest.MatchesDefault(t, s.letterInviteEmail(ed, cat, party, "tok", ""), ed.ID, footer)
	wordingtest.MatchesDefault(t, s.letterInviteEmail(ed, cat, party, "tok", "This is a new copy."), ed.ID, footer)
	for _, stage := range []int{1, 2} {
		m := s.reminderEmail(ed, cat, DueReminder{InvitedName: "Choi", InvitedEmail: "choi@example.org", CandidateName: n.CandidateName,
			NominatorName: n.NominatorName, Stage: stage}, "tok")
		if m.Wording.Key != "recommendation-letter-reminder" {
			t.Fatalf("reminder key %q", m.Wording.Key)
		}
		wordingtest.MatchesDefault(t, m, ed.ID, footer)
	}
	lt := &LetterTarget{Place: p, Letter: Letter{InvitedName: "Choi", InvitedEmail: "choi@example.org"}}
	wordingtest.MatchesDefault(t, s.letterReceivedEmail(lt, "12 May 2023, 09:30 KST"), ed.ID, footer)
	wordingtest.MatchesDefault(t, s.letterConfirmationEmail(lt, "Choi Hyun-woo", "12 May 2023, 09:30 KST"), ed.ID, footer)

	sig := Signature{Name: "Kang", Email: "kang@example.org"}
	wordingtest.MatchesDefault(t, s.endorseConfirmEmail(&p, sig, "tok", now), ed.ID, footer)
	wordingtest.MatchesDefault(t, s.alreadyEndorsedEmail(&p, sig), ed.ID, footer)
}
