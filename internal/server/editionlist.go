package server

import (
	"context"
	"net/http"

	"github.com/a-h/templ"

	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/db"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/web/components"
)

// editionList is an edition's list page with a form to add to it (the conflict-of-interest
// registry, the declarations, the special mentions): load reads what the actor may see of the
// edition (filtered in SQL by the actor's role there), view builds the page's model from it with
// the form as posted and its problems (web/views), page is the templ page.
type editionList[L, F, V any] struct {
	title string // the page's title, a key marked with i18n.M naming the edition {{.Edition}}
	load  func(ctx context.Context, q db.DBTX, userID, editionID int64) (L, error)
	view  func(components.Page, *edition.Edition, components.Field, L, F, field.Errors) V
	page  func(V) templ.Component
}

func newEditionList[L, F, V any](title string, load func(context.Context, db.DBTX, int64, int64) (L, error),
	view func(components.Page, *edition.Edition, components.Field, L, F, field.Errors) V, page func(V) templ.Component) editionList[L, F, V] {
	return editionList[L, F, V]{title: title, load: load, view: view, page: page}
}

// render answers status with the page of ed, the edition chooser picker and the form f with its
// problems errs.
func (p editionList[L, F, V]) render(s *Server, w http.ResponseWriter, r *http.Request, status int, ed *edition.Edition, picker components.Field, f F, errs field.Errors) error {
	ctx := r.Context()
	list, err := p.load(ctx, s.pool, authz.ActorFrom(ctx).UserID, ed.ID)
	if err != nil {
		return err
	}
	return s.render(w, r, status, p.page(p.view(s.page(r, i18n.Msg(p.title, "Edition", ed.Name)), ed, picker, list, f, errs)))
}

// show is the page of the edition in scope with an empty form (GET).
func (p editionList[L, F, V]) show(s *Server, w http.ResponseWriter, r *http.Request) error {
	ed, picker, err := s.scope(r)
	if err != nil {
		return err
	}
	var f F
	return p.render(s, w, r, http.StatusOK, ed, picker, f, nil)
}

// add takes the posted form for the edition in scope (the scope answers before the form: 404
// before 400) and runs write with it. Its field problems show the page again (422) with the
// form as posted; any other error is the error page; success flashes the message write returns
// and redirects to next.
func (p editionList[L, F, V]) add(s *Server, w http.ResponseWriter, r *http.Request,
	write func(ctx context.Context, ed *edition.Edition, f F) (flash, next string, err error)) error {
	again := func(w http.ResponseWriter, r *http.Request, status int, ed *edition.Edition, picker components.Field, f F, errs field.Errors) error {
		return p.render(s, w, r, status, ed, picker, f, errs)
	}
	return postForm(s, w, r, s.scope, again, func(ctx context.Context, ed *edition.Edition, _ components.Field, f F) (string, string, error) {
		return write(ctx, ed, f)
	})
}

// scopedQuery runs query for the edition in scope as the acting user (the query filters by the
// user's role in that edition, in SQL): the edition, its chooser and what query returned.
func scopedQuery[L any](s *Server, r *http.Request, query func(ctx context.Context, q db.DBTX, userID, editionID int64) (L, error)) (*edition.Edition, components.Field, L, error) {
	var list L
	ed, picker, err := s.scope(r)
	if err == nil {
		list, err = query(r.Context(), s.pool, authz.ActorFrom(r.Context()).UserID, ed.ID)
	}
	return ed, picker, list, err
}
