package server

import (
	"cmp"
	"errors"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/blocks/timefmt"
	"prizeportal/internal/edition"
	"prizeportal/internal/results"
	"prizeportal/web/components"
	"prizeportal/web/pages"
)

// The announcement of the results (DOMAIN.md "Round 3"): the public results page from the
// schedule's WinnersAnnounced instant on, the periodic task that emails the outcomes and asks the
// winners for their ceremony video (results.Service.AnnouncementTask), and the winner's video
// page. The video is a link: the portal stores no video files.

// resultsAnnouncementText is when the winners of ed are announced, with the zone.
func resultsAnnouncementText(ed *edition.Edition) string {
	return timefmt.Instant(ed.Schedule.WinnersAnnounced, ed.TimeZone) + " (" + ed.TimeZone.String() + " time)"
}

// resultsPage is the public results page (GET /editions/{slug}/results): from the
// announcement on, the current winners of each category by place with their published details
// (a summary marked confidential is left out) and the special mentions; before it, when the
// winners will be announced, and nothing else.
func (s *Server) resultsPage(w http.ResponseWriter, r *http.Request) error {
	res, err := results.LoadPublic(r.Context(), s.pool, chi.URLParam(r, "slug"), s.now())
	if err != nil {
		return err
	}
	v := resultsView(res)
	v.Page = s.page(r, "Winners, "+res.Edition.Name)
	return s.render(w, r, http.StatusOK, pages.Results(v))
}

// resultsView is the public results page of res.
func resultsView(res *results.Public) pages.ResultsView {
	ed := res.Edition
	v := pages.ResultsView{Name: ed.Name, Home: "/editions/" + ed.Slug, Announcement: resultsAnnouncementText(ed), Announced: res.Announced}
	if !res.Announced {
		return v
	}
	for _, c := range ed.Categories {
		rc := pages.ResultCategory{Key: c.Key, Name: c.Name}
		for _, x := range res.Winners {
			if x.CategoryID != c.ID {
				continue
			}
			rc.Winners = append(rc.Winners, pages.ResultWinner{Place: edition.PlaceLabel(x.Place), Prize: x.Prize, Title: x.Title,
				TitleLabel: x.TitleLabel(), Organisation: x.Organisation, Location: entryPlace(x.City, x.Country), Summary: x.Summary})
		}
		v.Categories = append(v.Categories, rc)
	}
	for _, m := range res.Mentions {
		v.Mentions = append(v.Mentions, pages.ResultMention{Award: m.Award, Recipient: m.Recipient, Title: m.Title,
			Location: entryPlace(m.City, m.Country), Partner: m.Partner, Citation: m.Citation})
	}
	return v
}

// --- the winner's ceremony video

// videoForm is the posted video link.
type videoForm struct {
	URL string `form:"url"`
}

// ownAward loads award {id} for the acting account (the application's account: for a
// nomination the nominator), with its edition, from the announcement on (results.LoadOwn).
func (s *Server) ownAward(r *http.Request) (*results.Award, *edition.Edition, error) {
	id, err := routeID(r)
	if err != nil {
		return nil, nil, err
	}
	return results.LoadOwn(r.Context(), s.pool, authz.ActorFrom(r.Context()).UserID, id, s.now())
}

func (s *Server) renderVideo(w http.ResponseWriter, r *http.Request, status int, a *results.Award, ed *edition.Edition, typed string, errs field.Errors, notice string) error {
	v := videoView(a, ed, s.now(), typed, errs, notice)
	v.Page = s.page(r, "Your video for the ceremony")
	return s.render(w, r, status, pages.VideoPage(v))
}

// videoView is the ceremony video page of award a of ed at now; typed is the link as posted.
func videoView(a *results.Award, ed *edition.Edition, now time.Time, typed string, errs field.Errors, notice string) pages.VideoView {
	loc, deadline := ed.TimeZone, results.VideoDeadline(ed)
	cat := "its category"
	if c, ok := ed.CategoryByID(a.CategoryID); ok {
		cat = "the " + c.Name + " category"
	}
	v := pages.VideoView{Heading: "Your video for the prize ceremony",
		Intro: []string{
			"Congratulations: " + a.What() + " won the " + a.Prize + " in " + cat + ".",
			"The ceremony (" + ed.Schedule.Ceremony.Text(loc) + ") shows a short video of each winner. Upload your video to a video or file-sharing service and give us its link.",
		},
		Deadline: timefmt.End(deadline, loc), Open: now.Before(deadline), Notice: notice, Action: results.VideoPath(a.ID),
		Errors: errs, Back: "/dashboard"}
	if a.Video != nil {
		v.Current, v.Given = a.Video.URL, timefmt.Instant(a.Video.UpdatedAt, loc)
		typed = cmp.Or(typed, a.Video.URL)
	}
	if v.Open {
		v.Intro = append(v.Intro, "You can give or change the link until "+v.Deadline+".")
	} else if v.Notice == "" {
		v.Notice = "The deadline for the ceremony video passed on " + v.Deadline + ": the link can no longer be given or changed. Write to " + ed.ContactEmail + " if you need help."
	}
	v.Field = components.WithErrors([]components.Field{{Name: "url", Label: "Link to your video", Type: "url", Value: typed,
		Required: true, MaxLength: 2000, Autocomplete: "url",
		Hint: "The full web address where the organisers can watch or download the video, starting with https://."}}, errs)[0]
	return v
}

// videoPage shows the winner's ceremony video page (GET /awards/{id}/video).
func (s *Server) videoPage(w http.ResponseWriter, r *http.Request) error {
	a, ed, err := s.ownAward(r)
	if err != nil {
		return err
	}
	return s.renderVideo(w, r, http.StatusOK, a, ed, "", nil, "")
}

// videoPost records the winner's video link (POST /awards/{id}/video): before the deadline
// only (409 after), a valid http or https link (422 otherwise, the typed text kept), audited.
func (s *Server) videoPost(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var f videoForm
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	a, ed, err := s.ownAward(r)
	if err != nil {
		return err
	}
	link, msg := results.CheckVideoURL(f.URL)
	if msg != "" {
		var errs field.Errors
		errs.Add("url", msg)
		return s.renderVideo(w, r, http.StatusUnprocessableEntity, a, ed, f.URL, errs, "")
	}
	err = s.results.SaveVideo(ctx, authz.ActorFrom(ctx), ed, a, link)
	if errors.Is(err, results.ErrVideoClosed) {
		return s.renderVideo(w, r, http.StatusConflict, a, ed, "", nil, "")
	}
	if err != nil {
		return err
	}
	s.flash(ctx, "Thank you: the link to your video is saved.")
	return redirect(w, r, results.VideoPath(a.ID))
}
