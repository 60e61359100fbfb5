package award

import (
	"strconv"
	"time"

	"prizeportal/internal/account"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
	"prizeportal/internal/notify/wording"
	"prizeportal/internal/results"
)

// AttendancePath is the address of an award's attendance page.
func AttendancePath(awardID int64) string {
	return "/awards/" + strconv.FormatInt(awardID, 10) + "/attendance"
}

// SuccessorEmail tells u, an addressee of an entry that receives a new place (m) of cat, of it;
// a first place is asked to confirm attendance by ed's attendance deadline ("award-successor-first"
// of the email registry, the other places "award-successor"). private is the address of a
// nomination's candidate's private page (results.NewCandidateLink), "" for the account: the
// candidate's version links there ("-candidate" keys). It is not sent before the winners are
// announced (DOMAIN.md "Round 3": winners are announced on the website).
func SuccessorEmail(site emails.Site, ed *edition.Edition, cat *edition.Category, u account.User, private string, m Move, now time.Time) notify.Message {
	// the values carry the reader's language; the English email below is their English
	values := wording.Values{wording.ApplicantName: u.Name, wording.EditionName: emails.PrizeName(ed), wording.Prize: m.ToPrize,
		wording.Place: results.PlaceInSentence(m.ToPlace), wording.Category: cat.Name, wording.Project: m.Title,
		wording.CeremonyWindow: i18n.Window(ed.Schedule.Ceremony.Start, ed.Schedule.Ceremony.End, ed.TimeZone)}
	ceremony := i18n.English(values[wording.CeremonyWindow])
	paragraphs := []string{"The " + m.ToPrize + " (" + i18n.English(values[wording.Place]) + ") of " + cat.Name + ", " + values[wording.EditionName] +
		", passes to your entry " + m.Title + ": an entry ranked before it cannot receive its prize. The Prize Council's chair confirmed the new result."}
	msg := emails.ActionEmail{Meta: site.Meta(ed), Title: "You receive the " + m.ToPrize, Greeting: "Dear " + u.Name + ","}
	key := "award-successor"
	if m.ToPlace == 1 {
		key, values[wording.Deadline] = "award-successor-first", i18n.Instant(ed.AttendanceDeadline().Add(-1), ed.TimeZone)
		paragraphs = append(paragraphs, "First-place winners must attend the ceremony ("+ceremony+
			") with the highest-level representative available. Please confirm your attendance, with your representative's name and title, by "+i18n.English(values[wording.Deadline])+".")
		msg.ActionLabel, msg.ActionURL = "Confirm attendance", site.URL(AttendancePath(m.NewAward))
		msg.Note = "If you cannot attend, say so on the same page: the prize then passes to the next-ranked entry that can attend."
		if private != "" {
			msg.ActionLabel, msg.ActionURL = results.CandidatePageLabel, site.URL(private+"/attendance")
		}
	} else {
		msg.ActionLabel, msg.ActionURL = "Open your dashboard", site.URL("/dashboard")
		msg.Note = "Winners of this place are encouraged, not required, to attend the ceremony (" + ceremony + ")."
		if private != "" {
			msg.ActionLabel, msg.ActionURL = results.CandidatePageLabel, site.URL(private+"/video")
			msg.Note = results.CandidateNote + "\n\n" + msg.Note
		}
	}
	if private != "" {
		key = results.CandidateKey(key)
	}
	values[wording.Link] = msg.ActionURL
	msg.Paragraphs = paragraphs
	out := emails.ActionMessage("award-successor", u.Email, u.Name, "You receive the "+m.ToPrize+" of the "+values[wording.EditionName], u.ID, msg)
	out.Wording = site.Wording(ed, key, values)
	out.Announces = notify.At(ed.ID, edition.WinnersAnnounced, now)
	return out
}
