package server

import (
	"net/http"

	"prizeportal/internal/application"
	"prizeportal/internal/authz"
	"prizeportal/internal/dashboard"
	"prizeportal/web/pages"
)

// applicationStatus shows the applicant's status timeline (GET /application/status; DOMAIN.md
// "People and roles"), derived from the application's status, the edition's schedule and the outcomes the
// rounds recorded (round 1, the semi-finalists of round 2, the winners of round 3); application.Timeline reveals each
// outcome only from its announcement date on.
func (s *Server) applicationStatus(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadEntry(r)
	if err != nil {
		return err
	}
	outcomes, err := dashboard.Outcomes(r.Context(), s.pool, c.Edition.ID, c.App.ID)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, pages.ApplicationStatus(s.applicationStatusView(r, c, outcomes)))
}

// applicationStatusView is the status timeline of c's application with the rounds' outcomes.
func (s *Server) applicationStatusView(r *http.Request, c *appContext, outcomes application.Outcomes) pages.ApplicationStatusView {
	v := pages.ApplicationStatusView{
		Page: s.page(r, "Status of your application"), Summary: s.appSummary(c),
		Title: application.Title(c.App.Answers), Zone: c.Edition.TimeZone.String(),
	}
	for _, st := range application.Timeline(c.Edition.Schedule, c.App, outcomes, s.now()) {
		v.Steps = append(v.Steps, pages.StatusStep{Label: st.Text(), Done: st.State == application.StepDone,
			Current: st.State == application.StepCurrent, When: c.When(st)})
	}
	return v
}

// oneProject guards the registration routes (DOMAIN.md "Registration": one account holds one
// project application; another project needs another account): a signed-in applicant who opens
// the registration page is told why instead, and a registration they post is refused with 409.
func (s *Server) oneProject(next handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if !authz.ActorFrom(r.Context()).HasAny(authz.RoleApplicant) {
			return next(w, r)
		}
		status := http.StatusOK
		if r.Method != http.MethodGet {
			status = http.StatusConflict
		}
		return s.render(w, r, status, pages.OneProject(pages.OneProjectView{Page: s.page(r, "You already have a project application")}))
	}
}
