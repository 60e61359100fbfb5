package server

import (
	"encoding/json"
	"net/http"
	"strconv"

	"prizeportal/internal/authz"
	"prizeportal/web/pages"
	"prizeportal/web/views"
)

// Personal data: every signed-in user can see and download what the portal
// holds about them. The data is read for the signed-in user only; no route takes a user id.

// personalData shows the signed-in user's data (GET /account/data).
func (s *Server) personalData(w http.ResponseWriter, r *http.Request) error {
	d, err := s.privacy().Export(r.Context(), authz.ActorFrom(r.Context()).UserID, s.now())
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, pages.PersonalData(views.PersonalDataView(s.page(r, "Your personal data"), d)))
}

// personalDataJSON downloads the signed-in user's data as JSON (GET /account/data.json).
func (s *Server) personalDataJSON(w http.ResponseWriter, r *http.Request) error {
	d, err := s.privacy().Export(r.Context(), authz.ActorFrom(r.Context()).UserID, s.now())
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return err
	}
	return sendBytes(w, download{Name: "personal-data-" + strconv.FormatInt(d.Account.ID, 10) + ".json",
		ContentType: "application/json; charset=utf-8", Data: append(b, '\n')})
}
