package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"

	"prizeportal/internal/audit"
	"prizeportal/internal/authz"
	"prizeportal/internal/db"
	"prizeportal/internal/edition"
	"prizeportal/internal/field"
	"prizeportal/internal/mention"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
	"prizeportal/internal/results"
	"prizeportal/web/components"
	"prizeportal/web/pages"
)

// The announcement of the results (issue 8 item 7): the public results page from the schedule's
// WinnersAnnounced instant on, the periodic task that emails the outcomes and asks the winners
// for their ceremony video (SendResults), and the winner's video page. The video is a link: the
// portal stores no video files.

func resultsHref(ed *edition.Edition) string { return "/editions/" + ed.Slug + "/results" }

func videoHref(awardID int64) string { return "/awards/" + strconv.FormatInt(awardID, 10) + "/video" }

// resultsAnnouncementText is when the winners of ed are announced, with the zone.
func resultsAnnouncementText(ed *edition.Edition) string {
	return formatInstant(ed.Schedule.WinnersAnnounced, ed.TimeZone) + " (" + ed.TimeZone.String() + " time)"
}

// placeLabel names a place: "First place", "Second place", ...
func placeLabel(place int) string {
	names := []string{"First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth"}
	if place >= 1 && place <= len(names) {
		return names[place-1] + " place"
	}
	return "Place " + strconv.Itoa(place)
}

// resultsPage is the public results page (GET /editions/{slug}/results): from the
// announcement on, the current winners of each category by place with their published details
// (a summary marked confidential is left out) and the special mentions; before it, when the
// winners will be announced, and nothing else.
func (s *Server) resultsPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ed, err := edition.BySlug(ctx, s.pool, chi.URLParam(r, "slug"))
	if err != nil {
		return err
	}
	v := pages.ResultsView{Page: s.page(r, "Winners, "+ed.Name), Name: ed.Name, Home: "/editions/" + ed.Slug,
		Announcement: resultsAnnouncementText(ed)}
	if !results.Announced(ed, s.now()) {
		return s.render(w, r, http.StatusOK, pages.Results(v))
	}
	v.Announced = true
	winners, err := results.Winners(ctx, s.pool, ed.ID)
	if err != nil {
		return err
	}
	for _, c := range ed.Categories {
		rc := pages.ResultCategory{Key: c.Key, Name: c.Name}
		for _, x := range winners {
			if x.CategoryID != c.ID {
				continue
			}
			label := "Project"
			if x.Kind == "nomination" {
				label = "Candidate"
			}
			rc.Winners = append(rc.Winners, pages.ResultWinner{Place: placeLabel(x.Place), Prize: x.Prize, Title: x.Title,
				TitleLabel: label, Organisation: x.Organisation, Location: entryPlace(x.City, x.Country), Summary: x.Summary})
		}
		v.Categories = append(v.Categories, rc)
	}
	mentions, err := mention.ListMentions(ctx, s.pool, ed.ID)
	if err != nil {
		return err
	}
	for _, m := range mentions {
		v.Mentions = append(v.Mentions, pages.ResultMention{Award: m.Award, Recipient: m.Recipient, Title: m.Title,
			Location: entryPlace(m.City, m.Country), Partner: m.Partner, Citation: m.Citation})
	}
	return s.render(w, r, http.StatusOK, pages.Results(v))
}

// --- emails on the announcement date

// SendResults is the periodic task "results-announcement": for every edition whose winners
// are announced (now >= WinnersAnnounced), it emails the outcome to every confirmed
// semi-finalist of each decided category not announced yet, and asks each winner for their
// ceremony video, all in one transaction per category recorded in results_announcements (so
// each is sent once, however often the task runs) and audited (results.announce). It then
// sends the video emails due (results.DueVideoEmails): the request to a winner who has none
// (a successor) and the reminders three days and one day before the video deadline, each once.
func (s *Server) SendResults(ctx context.Context) error {
	now := s.now()
	list, err := edition.List(ctx, s.pool)
	if err != nil {
		return err
	}
	var errs []error
	for _, sum := range list {
		ed, err := edition.ByID(ctx, s.pool, sum.ID)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !results.Announced(ed, now) {
			continue
		}
		errs = append(errs, s.announceResults(ctx, ed, now), s.sendVideoEmails(ctx, ed, now))
	}
	return errors.Join(errs...)
}

// announceResults announces each decided category of ed whose results were not emailed yet.
func (s *Server) announceResults(ctx context.Context, ed *edition.Edition, now time.Time) error {
	pending, err := results.Pending(ctx, s.pool, ed.ID)
	if err != nil {
		return err
	}
	deadline := results.VideoDeadline(ed)
	var errs []error
	for _, catID := range pending {
		cat := clarCategory(ed, catID)
		if cat == nil {
			continue
		}
		err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
			ok, err := results.Claim(ctx, tx, ed.ID, catID, now)
			if err != nil || !ok {
				return err
			}
			rcs, err := results.Recipients(ctx, tx, catID)
			if err != nil {
				return err
			}
			n, winners := 0, []int64{}
			for _, rc := range rcs {
				if _, err := s.outbox.Queue(ctx, tx, s.resultsEmail(ed, cat, rc)); err != nil {
					return err
				}
				n++
				if !rc.Winner() {
					continue
				}
				winners = append(winners, rc.ApplicationID)
				if !now.Before(deadline) {
					continue
				}
				claimed, err := results.ClaimVideoEmail(ctx, tx, rc.AwardID, results.StageRequest, now)
				if err != nil {
					return err
				}
				if claimed {
					if _, err := s.outbox.Queue(ctx, tx, s.videoEmail(ed, cat, rc, results.StageRequest)); err != nil {
						return err
					}
					n++
				}
			}
			if err := results.SetEmails(ctx, tx, catID, n); err != nil {
				return err
			}
			return audit.Record(ctx, tx, audit.Entry{ActorLabel: "system", Action: results.AnnounceAction, ObjectType: "edition",
				ObjectID: strconv.FormatInt(ed.ID, 10), Details: map[string]any{"category": cat.Key, "winners": winners,
					"semi_finalists": len(rcs), "emails": n, "video_deadline": deadline}})
		})
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// sendVideoEmails sends the video requests and reminders due in ed at now, each in its own
// transaction with its record and audit entry.
func (s *Server) sendVideoEmails(ctx context.Context, ed *edition.Edition, now time.Time) error {
	due, err := results.DueVideoEmails(ctx, s.pool, ed.ID, results.VideoDeadline(ed), now)
	if err != nil {
		return err
	}
	var errs []error
	for _, d := range due {
		cat := clarCategory(ed, d.CategoryID)
		if cat == nil {
			continue
		}
		err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
			ok, err := results.ClaimVideoEmail(ctx, tx, d.AwardID, d.Stage, now)
			if err != nil || !ok {
				return err
			}
			if err := audit.Record(ctx, tx, audit.Entry{ActorLabel: "system", Action: results.VideoEmailAction, ObjectType: "award",
				ObjectID: strconv.FormatInt(d.AwardID, 10), Details: map[string]any{"edition": ed.ID, "stage": d.Stage}}); err != nil {
				return err
			}
			_, err = s.outbox.Queue(ctx, tx, s.videoEmail(ed, cat, d.Recipient, d.Stage))
			return err
		})
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// entryWhat names a recipient's entry in an email: "your application “Title”" or "your
// nomination of Name".
func entryWhat(rc results.Recipient) string {
	if rc.Kind == "nomination" {
		return "your nomination of " + rc.Title
	}
	if rc.Title != "" {
		return "your application “" + rc.Title + "”"
	}
	return "your application"
}

// resultsEmail tells a confirmed semi-finalist whether it is among the winners.
func (s *Server) resultsEmail(ed *edition.Edition, cat *edition.Category, rc results.Recipient) notify.Message {
	what := entryWhat(rc)
	v := emails.ActionEmail{Meta: s.emailMeta(ed), Greeting: "Dear " + rc.Name + ",", ActionLabel: "See the winners",
		ActionURL: s.absURL(resultsHref(ed))}
	if rc.Winner() {
		v.Title = "You are a winner"
		v.Paragraphs = []string{
			"We are delighted to tell you that the Prize Council has awarded " + what + " the " + rc.Prize +
				" (" + strings.ToLower(placeLabel(rc.Place)) + ") in the " + cat.Name + " category.",
			"The prize ceremony takes place " + formatWindow(ed.Schedule.Ceremony, ed.TimeZone) + ". We will write to you about it separately.",
		}
		return actionMessage("results-winner", rc.Email, rc.Name, ed.Name+": you won the "+rc.Prize, rc.UserID, v)
	}
	v.Title = "The winners are announced"
	v.Paragraphs = []string{
		"The Prize Council has chosen the winners of the " + cat.Name + " category. We are sorry to tell you that " + what + " is not among the winners.",
		"Being a semi-finalist is a distinction in itself: thank you for taking part in the prize. If you have questions, write to " + ed.ContactEmail + ".",
	}
	return actionMessage("results-outcome", rc.Email, rc.Name, ed.Name+": the winners are announced", rc.UserID, v)
}

// videoEmail asks a winner for their ceremony video (stage results.StageRequest) or reminds
// them of it.
func (s *Server) videoEmail(ed *edition.Edition, cat *edition.Category, rc results.Recipient, stage string) notify.Message {
	deadline := endStamp(results.VideoDeadline(ed), ed.TimeZone)
	v := emails.ActionEmail{Meta: s.emailMeta(ed), Greeting: "Dear " + rc.Name + ",", ActionLabel: "Give the link to your video",
		ActionURL: s.absURL(videoHref(rc.AwardID)),
		Note:      "Sign in with your account to give the link. Upload the video to a video or file-sharing service and give us its link; we do not accept video files by email."}
	if stage == results.StageRequest {
		v.Title = "Your video for the prize ceremony"
		v.Paragraphs = []string{
			"Congratulations on the " + rc.Prize + " in the " + cat.Name + " category for " + entryWhat(rc) + ".",
			"The ceremony (" + formatWindow(ed.Schedule.Ceremony, ed.TimeZone) + ") shows a short video of each winner. Please give us the link to yours by " + deadline + ".",
		}
		return actionMessage("video-request", rc.Email, rc.Name, ed.Name+": your video for the ceremony, by "+deadline, rc.UserID, v)
	}
	when := "in three days"
	if stage == results.Stage1Day {
		when = "within a day"
	}
	v.Title = "Reminder: your video for the prize ceremony"
	v.Paragraphs = []string{
		"The deadline for your ceremony video ends " + when + ", on " + deadline + ", and we have no link to it yet.",
		"Please give us the link to your video for the " + rc.Prize + " (" + cat.Name + ").",
	}
	return actionMessage("video-reminder", rc.Email, rc.Name, "Reminder: your ceremony video by "+deadline, rc.UserID, v)
}

// --- the winner's ceremony video

// videoForm is the posted video link.
type videoForm struct {
	URL string `form:"url"`
}

// ownAward loads award {id} for the acting account (the application's account: for a
// nomination the nominator; results.OwnAward filters in SQL), with its edition. Before the
// announcement the award is not revealed: 404, as for anyone else's award.
func (s *Server) ownAward(r *http.Request) (*results.Award, *edition.Edition, error) {
	ctx := r.Context()
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, nil, errNotFound
	}
	a, err := results.OwnAward(ctx, s.pool, authz.ActorFrom(ctx).UserID, id)
	if err != nil {
		return nil, nil, err
	}
	ed, err := edition.ByID(ctx, s.pool, a.EditionID)
	if err != nil {
		return nil, nil, err
	}
	if !results.Announced(ed, s.now()) {
		return nil, nil, errNotFound
	}
	return a, ed, nil
}

func (s *Server) renderVideo(w http.ResponseWriter, r *http.Request, status int, a *results.Award, ed *edition.Edition, typed string, errs field.Errors, notice string) error {
	loc := ed.TimeZone
	deadline := results.VideoDeadline(ed)
	what := "your project “" + a.Title + "”"
	if a.Kind == "nomination" {
		what = "your nomination of " + a.Title
	}
	cat := "its category"
	if c := clarCategory(ed, a.CategoryID); c != nil {
		cat = "the " + c.Name + " category"
	}
	v := pages.VideoView{Page: s.page(r, "Your video for the ceremony"), Heading: "Your video for the prize ceremony",
		Intro: []string{
			"Congratulations: " + what + " won the " + a.Prize + " in " + cat + ".",
			"The ceremony (" + formatWindow(ed.Schedule.Ceremony, loc) + ") shows a short video of each winner. Upload your video to a video or file-sharing service and give us its link.",
		},
		Deadline: endStamp(deadline, loc), Open: s.now().Before(deadline), Notice: notice, Action: videoHref(a.ID),
		Errors: errs, Back: "/dashboard"}
	if a.Video != nil {
		v.Current, v.Given = a.Video.URL, formatInstant(a.Video.UpdatedAt, loc)
	}
	if v.Open {
		v.Intro = append(v.Intro, "You can give or change the link until "+v.Deadline+".")
	} else if v.Notice == "" {
		v.Notice = "The deadline for the ceremony video passed on " + v.Deadline + ": the link can no longer be given or changed. Write to " + ed.ContactEmail + " if you need help."
	}
	if typed == "" && a.Video != nil {
		typed = a.Video.URL
	}
	v.Field = components.WithErrors([]components.Field{{Name: "url", Label: "Link to your video", Type: "url", Value: typed,
		Required: true, MaxLength: 2000, Autocomplete: "url",
		Hint: "The full web address where the organisers can watch or download the video, starting with https://."}}, errs)[0]
	return s.render(w, r, status, pages.VideoPage(v))
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
	now := s.now()
	if !now.Before(results.VideoDeadline(ed)) {
		return s.renderVideo(w, r, http.StatusConflict, a, ed, "", nil, "")
	}
	link, msg := results.CheckVideoURL(f.URL)
	if msg != "" {
		var errs field.Errors
		errs.Add("url", msg)
		return s.renderVideo(w, r, http.StatusUnprocessableEntity, a, ed, f.URL, errs, "")
	}
	actor := authz.ActorFrom(ctx)
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		if err := results.SaveVideo(ctx, tx, a.ID, actor.UserID, link, now); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: results.VideoAction, ObjectType: "award",
			ObjectID: strconv.FormatInt(a.ID, 10), IP: s.clientIP(r), Details: map[string]any{"url": link, "replaced": a.Video != nil}})
	})
	if err != nil {
		return err
	}
	s.flash(ctx, "Thank you: the link to your video is saved.")
	return redirect(w, r, videoHref(a.ID))
}

// resultLinks are the dashboard links of an applicant or nominator of ed once its winners are
// announced: the results page and a video page per current award of theirs.
func (s *Server) resultLinks(ctx context.Context, userID int64, ed *edition.Edition) []components.Link {
	if !results.Announced(ed, s.now()) {
		return nil
	}
	links := []components.Link{{Label: "The winners of " + ed.Name, Href: resultsHref(ed)}}
	awards, err := results.OwnAwards(ctx, s.pool, userID, ed.ID)
	if err != nil {
		s.ctxLog(ctx).Error("dashboard: awards", "err", err)
		return links
	}
	for _, a := range awards {
		links = append(links, components.Link{Label: "Your video for the ceremony (" + a.Prize + ")", Href: videoHref(a.ID)})
	}
	return links
}
