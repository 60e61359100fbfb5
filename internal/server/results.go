package server

import (
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5"

	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
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
	v.Page = s.page(r, i18n.Msg("Winners, {{.Edition}}", "Edition", res.Edition.Name))
	return s.render(w, r, http.StatusOK, pages.Results(v))
}

// --- the winner's ceremony video

// videoAt is a current award as its video page is opened: by the entry's account (c nil), or by
// the nomination's candidate through their private link (c, base: results.CandidatePath).
type videoAt struct {
	a    *results.Award
	ed   *edition.Edition
	c    *results.Candidate
	base string
}

// ownAward loads award {id} for the acting account (the application's account: for a
// nomination the nominator), with its edition, from the announcement on (results.LoadOwn).
func (s *Server) ownAward(r *http.Request) (*videoAt, error) {
	id, err := routeID(r)
	if err != nil {
		return nil, err
	}
	a, ed, err := results.LoadOwn(r.Context(), s.pool, authz.ActorFrom(r.Context()).UserID, id, s.now())
	if err != nil {
		return nil, err
	}
	return &videoAt{a: a, ed: ed}, nil
}

// candidateAward loads the current award the candidate's private link {token} opens, from the
// announcement on (results.LoadCandidate; 404 for an unknown or expired link).
func (s *Server) candidateAward(r *http.Request) (*videoAt, error) {
	token := chi.URLParam(r, "token")
	c, a, ed, err := results.LoadCandidate(r.Context(), s.pool, token, s.now())
	if err != nil {
		return nil, err
	}
	return &videoAt{a: a, ed: ed, c: c, base: results.CandidatePath(token)}, nil
}

// action is the address the link is posted to.
func (at *videoAt) action() string {
	if at.c != nil {
		return at.base + "/video"
	}
	return results.VideoPath(at.a.ID)
}

func (s *Server) renderVideo(w http.ResponseWriter, r *http.Request, status int, at *videoAt, typed string, errs field.Errors, notice string) error {
	v := views.VideoView(at.a, at.ed, s.now(), typed, errs, notice)
	v.Page = s.page(r, "Your video for the ceremony")
	v.Action = at.action()
	if vid := at.a.Video; vid != nil && vid.GivenBy(at.c != nil) != "" {
		// results.Video.GivenBy's wording, for the reader's language
		v.GivenBy = i18n.Msg("{{.Name}} (the nominator)", "Name", vid.By)
		if vid.ByCandidate {
			v.GivenBy = i18n.Msg("{{.Name}} (the candidate)", "Name", vid.By)
		}
	}
	if at.c != nil && at.a.Place == 1 {
		v.Back, v.BackLabel = at.base+"/attendance", i18n.M("Attendance at the ceremony")
	} else if at.c != nil {
		v.Back, v.BackLabel = "/editions/"+at.ed.Slug+"/results", i18n.M("See the winners")
	}
	return s.render(w, r, status, pages.VideoPage(v))
}

// videoPage shows the winner's ceremony video page (GET /awards/{id}/video).
func (s *Server) videoPage(w http.ResponseWriter, r *http.Request) error {
	return s.showVideo(w, r, s.ownAward)
}

// candidateVideoPage is videoPage for the candidate's private link (GET /winner/{token}/video).
func (s *Server) candidateVideoPage(w http.ResponseWriter, r *http.Request) error {
	return s.showVideo(w, r, s.candidateAward)
}

func (s *Server) showVideo(w http.ResponseWriter, r *http.Request, load func(*http.Request) (*videoAt, error)) error {
	at, err := load(r)
	if err != nil {
		return err
	}
	return s.renderVideo(w, r, http.StatusOK, at, "", nil, "")
}

// videoPost records the winner's video link (POST /awards/{id}/video): before the deadline
// only (409 after), a valid http or https link (422 otherwise, the typed text kept), audited.
func (s *Server) videoPost(w http.ResponseWriter, r *http.Request) error {
	return s.saveVideo(w, r, s.ownAward)
}

// candidateVideoPost records the link given by the candidate through their private link (POST
// /winner/{token}/video): the same rules as the account's.
func (s *Server) candidateVideoPost(w http.ResponseWriter, r *http.Request) error {
	return s.saveVideo(w, r, s.candidateAward)
}

func (s *Server) saveVideo(w http.ResponseWriter, r *http.Request, load func(*http.Request) (*videoAt, error)) error {
	ctx := r.Context()
	f, at, err := formThenLoadOne[views.VideoForm](w, r, load)
	if err != nil {
		return err
	}
	link, msg := results.CheckVideoURL(f.URL)
	if msg != "" {
		var errs field.Errors
		errs.Add("url", msg)
		return s.renderVideo(w, r, http.StatusUnprocessableEntity, at, f.URL, errs, "")
	}
	if at.c != nil {
		err = s.results.SaveCandidateVideo(ctx, at.c, at.ed, at.a, link)
	} else {
		err = s.results.SaveVideo(ctx, authz.ActorFrom(ctx), at.ed, at.a, link)
	}
	if errors.Is(err, results.ErrVideoClosed) {
		return s.renderVideo(w, r, http.StatusConflict, at, "", nil, "")
	}
	if err != nil {
		return err
	}
	s.flash(ctx, "Thank you: the link to your video is saved.")
	return redirect(w, r, at.action())
}
