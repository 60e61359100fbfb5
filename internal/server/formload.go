package server

import (
	"context"
	"net/http"

	"prizeportal/internal/blocks/field"
)

// The handlers' prologue: load what the request names (the edition in scope, a record by its
// route id) and decode the posted form, each handler in its own order: one that loads first
// answers 404 (or 403) before 400 for a form that does not fit, one that decodes first answers
// 400 first. Neither runs the second step when the first failed.

// loadThenForm runs load and, when it succeeds, decodes the posted form into an F.
func loadThenForm[F, A, B any](w http.ResponseWriter, r *http.Request, load func(*http.Request) (A, B, error)) (A, B, F, error) {
	var f F
	a, b, err := load(r)
	if err == nil {
		err = decodeForm(w, r, &f)
	}
	return a, b, f, err
}

// loadOneThenForm is loadThenForm for a load with one result.
func loadOneThenForm[F, A any](w http.ResponseWriter, r *http.Request, load func(*http.Request) (A, error)) (A, F, error) {
	var f F
	a, err := load(r)
	if err == nil {
		err = decodeForm(w, r, &f)
	}
	return a, f, err
}

// formThenLoad decodes the posted form into an F and, when it fits, runs load.
func formThenLoad[F, A, B any](w http.ResponseWriter, r *http.Request, load func(*http.Request) (A, B, error)) (F, A, B, error) {
	var f F
	var a A
	var b B
	err := decodeForm(w, r, &f)
	if err == nil {
		a, b, err = load(r)
	}
	return f, a, b, err
}

// formThenLoadOne is formThenLoad for a load with one result.
func formThenLoadOne[F, A any](w http.ResponseWriter, r *http.Request, load func(*http.Request) (A, error)) (F, A, error) {
	var f F
	var a A
	err := decodeForm(w, r, &f)
	if err == nil {
		a, err = load(r)
	}
	return f, a, err
}

// reasonForm is a change that needs only its reason (hiding a case, a recusal, ending an
// assignment).
type reasonForm struct {
	Reason string `form:"reason"`
}

// confirmForm is a removal's confirmation step: anything but confirm=yes shows the question.
type confirmForm struct {
	Confirm string `form:"confirm"`
}

// postForm is a form's post to what load finds (a, b; see loadThenForm: the load answers before
// the form): write makes the change with the form as posted. Its field problems show the form
// again with them through again (422); any other error is the error page; success flashes the
// message write returns and redirects to next.
func postForm[F, A, B any](s *Server, w http.ResponseWriter, r *http.Request, load func(*http.Request) (A, B, error),
	again func(w http.ResponseWriter, r *http.Request, status int, a A, b B, f F, errs field.Errors) error,
	write func(ctx context.Context, a A, b B, f F) (flash, next string, err error)) error {
	a, b, f, err := loadThenForm[F](w, r, load)
	if err != nil {
		return err
	}
	flash, next, err := write(r.Context(), a, b, f)
	return s.formDone(w, r, err, func(errs field.Errors) error {
		return again(w, r, http.StatusUnprocessableEntity, a, b, f, errs)
	}, flash, next)
}

// showForm is the page of what load finds with its form filled in from it (formOf), for a GET.
func showForm[F, A, B any](w http.ResponseWriter, r *http.Request, load func(*http.Request) (A, B, error), formOf func(A) F,
	show func(w http.ResponseWriter, r *http.Request, status int, a A, b B, f F, errs field.Errors) error) error {
	a, b, err := load(r)
	if err != nil {
		return err
	}
	return show(w, r, http.StatusOK, a, b, formOf(a), nil)
}
