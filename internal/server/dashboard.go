package server

import (
	"net/http"

	"prizeportal/internal/authz"
	"prizeportal/internal/dashboard"
	"prizeportal/web/pages"
	"prizeportal/web/views"
)

// dashboard shows a signed-in user what they can do now, one card per role and edition.
func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p, err := dashboard.Load(ctx, s.pool, authz.ActorFrom(ctx), s.now(), s.ctxLog(ctx))
	if err != nil {
		return err
	}
	v := views.DashboardView(views.DashboardOf(p), s.now())
	v.Page = s.page(r, "Dashboard")
	return s.render(w, r, http.StatusOK, pages.Dashboard(v))
}
