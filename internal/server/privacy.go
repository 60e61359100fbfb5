package server

import (
	"errors"
	"net/http"
	"strings"

	"prizeportal/internal/blocks/field"
	"prizeportal/internal/i18n"
	"prizeportal/internal/privacy"
	"prizeportal/web/pages"
	"prizeportal/web/views"
)

// privacy returns the service of erasure and retention (internal/privacy) on the server's
// database and file storage.
func (s *Server) privacy() *privacy.Service {
	return &privacy.Service{Pool: s.pool, Files: s.files, Log: s.log}
}

// --- erasure of a person without an account

// adminEraseAddressPage asks for the address of a person without an account to erase (GET
// /admin/erase-address). The address travels only in POST bodies, never in a URL or a log line.
func (s *Server) adminEraseAddressPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderEraseAddress(w, r, http.StatusOK, views.EraseAddressForm{}, nil, nil)
}

func (s *Server) renderEraseAddress(w http.ResponseWriter, r *http.Request, status int, f views.EraseAddressForm, plan *privacy.AddressPlan, errs field.Errors) error {
	return s.render(w, r, status, pages.AdminEraseAddress(views.EraseAddressView(s.adminPage(r, i18n.M("Erase a person without an account")), f, plan, errs)))
}

// adminEraseAddress shows what erasing an address would do, then erases it once confirmed (POST
// /admin/erase-address).
func (s *Server) adminEraseAddress(w http.ResponseWriter, r *http.Request) error {
	var f views.EraseAddressForm
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
			field.Errors{{Field: "confirm", Message: i18n.M("Tick the box to confirm that this person's data should be erased.")}})
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
