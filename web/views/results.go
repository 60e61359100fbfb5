package views

import (
	"cmp"
	"time"

	"prizeportal/internal/blocks/field"
	"prizeportal/internal/dossier"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/internal/results"
	"prizeportal/web/components"
	"prizeportal/web/pages"
)

// ResultsAnnouncementText is when the winners of ed are announced, with the zone (shown through
// i18n.T).
func ResultsAnnouncementText(ed *edition.Edition) string {
	return i18n.Msg("{{.When}} ({{.Zone}} time)", "When", i18n.Instant(ed.Schedule.WinnersAnnounced, ed.TimeZone), "Zone", ed.TimeZone.String())
}

// ResultsView is the public results page of res.
func ResultsView(res *results.Public) pages.ResultsView {
	ed := res.Edition
	v := pages.ResultsView{Name: ed.Name, Home: "/editions/" + ed.Slug, Announcement: ResultsAnnouncementText(ed), Announced: res.Announced}
	if !res.Announced {
		return v
	}
	for _, c := range ed.Categories {
		rc := pages.ResultCategory{Key: c.Key, Name: c.Name, NoEntries: res.Submitted[c.ID] == 0}
		for _, x := range res.Winners {
			if x.CategoryID != c.ID {
				continue
			}
			rc.Winners = append(rc.Winners, pages.ResultWinner{Place: edition.PlaceText(x.Place), Prize: x.Prize, Title: x.Title,
				TitleLabel: x.TitleLabel(), Organisation: x.Organisation, Location: dossier.PlaceText(x.City, x.Country), Summary: x.Summary})
		}
		v.Categories = append(v.Categories, rc)
	}
	for _, m := range res.Mentions {
		v.Mentions = append(v.Mentions, pages.ResultMention{Award: m.Award, Recipient: m.Recipient, Title: m.Title,
			Location: dossier.PlaceText(m.City, m.Country), Partner: m.Partner, Citation: m.Citation})
	}
	return v
}

// VideoForm is the posted video link.
type VideoForm struct {
	URL string `form:"url"`
}

// VideoView is the ceremony video page of award a of ed at now; typed is the link as posted.
func VideoView(a *results.Award, ed *edition.Edition, now time.Time, typed string, errs field.Errors, notice string) pages.VideoView {
	loc, deadline := ed.TimeZone, results.VideoDeadline(ed)
	congratulations := i18n.Msg("Congratulations: {{.What}} won the {{.Prize}} in its category.", "What", a.What(), "Prize", a.Prize)
	if c, ok := ed.CategoryByID(a.CategoryID); ok {
		congratulations = i18n.Msg("Congratulations: {{.What}} won the {{.Prize}} in the {{.Category}} category.", "What", a.What(), "Prize", a.Prize, "Category", c.Name)
	}
	v := pages.VideoView{Heading: i18n.M("Your video for the prize ceremony"),
		Intro: []string{
			congratulations,
			i18n.Msg("The ceremony ({{.When}}) shows a short video of each winner. Upload your video to a video or file-sharing service and give us its link.",
				"When", i18n.Window(ed.Schedule.Ceremony.Start, ed.Schedule.Ceremony.End, loc)),
		},
		Deadline: i18n.End(deadline, loc), Open: now.Before(deadline), Notice: notice, Action: results.VideoPath(a.ID),
		Errors: errs, Back: "/dashboard", BackLabel: i18n.M("Back to your dashboard")}
	if a.Video != nil {
		v.Current, v.Given = a.Video.URL, i18n.Instant(a.Video.UpdatedAt, loc)
		typed = cmp.Or(typed, a.Video.URL)
	}
	if v.Open {
		v.Intro = append(v.Intro, i18n.Msg("You can give or change the link until {{.When}}.", "When", v.Deadline))
	} else if v.Notice == "" {
		v.Notice = i18n.Msg("The deadline for the ceremony video passed on {{.When}}: the link can no longer be given or changed. Write to {{.Email}} if you need help.",
			"When", v.Deadline, "Email", ed.ContactEmail)
	}
	v.Field = components.WithErrors([]components.Field{{Name: "url", Label: i18n.M("Link to your video"), Type: "url", Value: typed,
		Required: true, MaxLength: 2000, Autocomplete: "url",
		Hint: i18n.M("The full web address where the organisers can watch or download the video, starting with https://.")}}, errs)[0]
	return v
}
