package server

import (
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5"

	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/edition"
	"prizeportal/internal/results"
	"prizeportal/web/pages"
	"prizeportal/web/views"
)

// The announcement of the results (DOMAIN.md "Round 3"): the public results page from the
// schedule's WinnersAnnounced instant on, the periodic task that emails the outcomes and asks the
// winners for their ceremony video (results.Service.AnnouncementTask), and the winner's video
// page. The video is a link: the portal stores no video files.

// resultsPage is the public results page (GET /editions/{slug}/results): from the
// announcement on, the current winners of each category by place with their published details
// (a summary marked confidential is left out) and the special mentions; before it, when the
// winners will be announced, and nothing else.
func (s *Server) resultsPage(w http.ResponseWriter, r *http.Request) error {
	res, err := results.LoadPublic(r.Context(), s.pool, chi.URLParam(r, "slug"), s.now())
	if err != nil {
		return err
	}
	v := views.ResultsView(res)
	v.Page = s.page(r, "Winners, "+res.Edition.Name)
	return s.render(w, r, http.StatusOK, pages.Results(v))
}

// --- the winner's ceremony video

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
	v := views.VideoView(a, ed, s.now(), typed, errs, notice)
	v.Page = s.page(r, "Your video for the ceremony")
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
	f, a, ed, err := formThenLoad[views.VideoForm](w, r, s.ownAward)
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
