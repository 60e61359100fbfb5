package server

import (
	"errors"
	"net/http"
	"strings"

	"prizeportal/internal/blocks/field"
	"prizeportal/internal/privacy"
	"prizeportal/web/components"
	"prizeportal/web/pages"
	"prizeportal/web/views"
)

// privacy returns the service of erasure and retention (internal/privacy) on the server's
// database and file storage.
func (s *Server) privacy() *privacy.Service {
	return &privacy.Service{Pool: s.pool, Files: s.files, Log: s.log}
}

// --- erasure of a person without an account

// eraseAddressForm is the form of /admin/erase-address: the address, then the confirmation.
type eraseAddressForm struct {
	Email   string `form:"email"`
	Confirm string `form:"confirm"`
	// Previewed is the address whose plan the page showed: a changed address is shown first,
	// never erased unseen.
	Previewed string `form:"previewed"`
}

// adminEraseAddressPage asks for the address of a person without an account to erase (GET
// /admin/erase-address). The address travels only in POST bodies, never in a URL or a log line.
func (s *Server) adminEraseAddressPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderEraseAddress(w, r, http.StatusOK, eraseAddressForm{}, nil, nil)
}

func (s *Server) renderEraseAddress(w http.ResponseWriter, r *http.Request, status int, f eraseAddressForm, plan *privacy.AddressPlan, errs field.Errors) error {
	return s.render(w, r, status, pages.AdminEraseAddress(eraseAddressView(s.adminPage(r, "Erase a person without an account"), f, plan, errs)))
}

// eraseAddressView asks for the address of form f, then (with plan) shows what erasing it would
// do and asks for the confirmation.
func eraseAddressView(page components.Page, f eraseAddressForm, plan *privacy.AddressPlan, errs field.Errors) pages.AdminEraseAddressView {
	v := pages.AdminEraseAddressView{
		Page:   page,
		Email:  components.Field{Name: "email", Label: "Their email address", Type: "email", Value: f.Email, Required: true, MaxLength: 300, Error: errs.Get("email"), Hint: "The address they used as a recommender, an endorser, a nominated candidate or an invitee."},
		Errors: errs,
	}
	if plan != nil {
		v.Shown, v.Previewed = true, f.Email
		v.Confirm = components.Field{Name: "confirm", Label: "I understand that erasing cannot be undone", Required: true, Error: errs.Get("confirm")}
		if plan.AccountID != 0 {
			v.Refusal = privacy.ErrAddressHasAccount.Message
		}
		if plan.AccountID > 0 {
			v.AccountHref = views.UserHref(plan.AccountID)
		}
		v.Empty, v.Items = plan.Empty(), plan.Items()
		v.Kept = keptViews(plan.Kept)
	}
	return v
}

// adminEraseAddress shows what erasing an address would do, then erases it once confirmed (POST
// /admin/erase-address).
func (s *Server) adminEraseAddress(w http.ResponseWriter, r *http.Request) error {
	var f eraseAddressForm
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	f.Email = strings.TrimSpace(f.Email)
	plan, err := s.privacy().PreviewAddress(r.Context(), f.Email)
	if errs, status, ok := formRefusal(w, err, "email"); ok {
		return s.renderEraseAddress(w, r, status, f, nil, errs)
	} else if err != nil {
		return err
	}
	if f.Previewed == "" || !strings.EqualFold(f.Previewed, f.Email) || plan.AccountID != 0 || plan.Empty() {
		return s.renderEraseAddress(w, r, http.StatusOK, f, &plan, nil)
	}
	if f.Confirm != "yes" {
		return s.renderEraseAddress(w, r, http.StatusUnprocessableEntity, f, &plan,
			field.Errors{{Field: "confirm", Message: "Tick the box to confirm that this person's data should be erased."}})
	}
	_, err = s.privacy().EraseAddress(r.Context(), f.Email, s.adminBy(r), s.now())
	if errors.Is(err, privacy.ErrAddressHasAccount) {
		plan.AccountID = -1
		return s.renderEraseAddress(w, r, http.StatusConflict, f, &plan, nil)
	}
	if err != nil {
		return err
	}
	s.flash(r.Context(), "The person's data were erased.")
	return redirect(w, r, "/admin/users")
}

// keptViews describes the entries an erasure keeps in part, with why, for the confirmation pages.
func keptViews(kept []privacy.KeptEntry) []pages.ErasureKept {
	var out []pages.ErasureKept
	for _, k := range kept {
		out = append(out, pages.ErasureKept{Title: k.Heading(), Where: k.Edition + ", " + k.Category, Reason: k.Reason()})
	}
	return out
}
