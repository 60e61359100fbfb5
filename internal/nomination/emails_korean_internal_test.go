package nomination

import (
	"testing"
	"time"

	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/files"
	"prizeportal/internal/i18n"
	"prizeportal/internal/notify/wording/wordingtest"
)

// TestValuesTranslated: the nomination emails' values (the deadlines, the answer and its time,
// the candidate's message, a new copy, the reminders' wait, a letter's arrival, an endorsement's
// expiry) reach a Korean reader in Korean.
func TestValuesTranslated(t *testing.T) {
	ed, site := wordingtest.Edition(t)
	cat, _ := ed.Category("leadership")
	s := &Service{Deps: usecase.New(nil, nil, site, nil)}
	n := Nomination{ApplicationID: 9, UserID: 3, Details: Details{CandidateName: "Dr Lee", CandidateEmail: "lee@example.org",
		CandidatePosition: "Mayor", CandidateOrganisation: "Suwon"}, EndorsementCode: "abc"}
	n.NominatorName, n.NominatorEmail = "Park Ji-ho", "park@example.org"
	p := Place{Nomination: n, Edition: ed, Category: cat}
	now := time.Date(2023, 5, 3, 2, 20, 0, 0, time.UTC)
	data := []string{"Dr Lee", "Park Ji-ho", "Choi", "Kang", "Not this year.", ed.Name, cat.Name, p.Candidate(), HeadCategoryNames(cat.Nominations)}

	wordingtest.ValuesTranslated(t, s.ConsentEmail(ed, cat, &n, "tok"), data...)
	wordingtest.ValuesTranslated(t, s.consentAnswerEmail(&ConsentTarget{Place: p}, false, " Not this year. ", now), data...)
	party := letterParty{name: "Choi", email: "choi@example.org", candidate: n.CandidateName, nominator: "Park Ji-ho"}
	wordingtest.ValuesTranslated(t, s.letterInviteEmail(ed, cat, party, "tok", i18n.M("This is a new copy of an earlier request, sent at the nominator's wish.")),
		append(data, files.FormatSize(MaxLetterBytes))...)
	for _, stage := range []int{1, 2} {
		m := s.reminderEmail(ed, cat, DueReminder{InvitedName: "Choi", InvitedEmail: "choi@example.org", CandidateName: n.CandidateName,
			NominatorName: n.NominatorName, Stage: stage}, "tok")
		wordingtest.ValuesTranslated(t, m, append(data, files.FormatSize(MaxLetterBytes))...)
	}
	lt := &LetterTarget{Place: p, Letter: Letter{InvitedName: "Choi", InvitedEmail: "choi@example.org"}}
	wordingtest.ValuesTranslated(t, s.letterReceivedEmail(lt, i18n.Instant(now, ed.TimeZone)), data...)
	wordingtest.ValuesTranslated(t, s.letterConfirmationEmail(lt, "Choi", i18n.Instant(now, ed.TimeZone)), data...)
	wordingtest.ValuesTranslated(t, s.endorseConfirmEmail(&p, Signature{Name: "Kang", Email: "kang@example.org"}, "tok", now), data...)
}
