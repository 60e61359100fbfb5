package server

import (
	"encoding/json"
	"net/http"
	"strconv"

	"prizeportal/internal/account"
	"prizeportal/internal/authz"
	"prizeportal/internal/privacy"
	"prizeportal/web/components"
	"prizeportal/web/pages"
)

// Personal data: every signed-in user can see and download what the portal
// holds about them. The data is read for the signed-in user only; no route takes a user id.

// personalActivityShown is how many audit entries the page shows; the download holds all.
const personalActivityShown = 200

// personalData shows the signed-in user's data (GET /account/data).
func (s *Server) personalData(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	d, err := s.privacy().Export(ctx, authz.ActorFrom(ctx).UserID, s.now())
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, pages.PersonalData(personalDataView(s.page(r, "Your personal data"), d)))
}

// personalDataView is the page of the personal data d.
func personalDataView(page components.Page, d privacy.Export) pages.PersonalDataView {
	a := d.Account
	or := func(s, none string) string {
		if s == "" {
			return none
		}
		return s
	}
	v := pages.PersonalDataView{
		Page: page,
		Account: []pages.Fact{
			{Label: "Account number", Value: strconv.FormatInt(a.ID, 10)},
			{Label: "Login ID", Value: a.LoginID},
			{Label: "Email", Value: a.Email + verifiedNote(a.EmailVerifiedAt)},
			{Label: "Name", Value: or(a.Name, "Not given")},
			{Label: "Registered as", Value: or(a.EntityType, "Not given")},
			{Label: "Organisation", Value: or(a.Organisation, "Not given")},
			{Label: "Phone", Value: or(a.Phone, "Not given")},
			{Label: "City", Value: or(a.City, "Not given")},
			{Label: "Country", Value: or(a.Country, "Not given")},
			{Label: "Edition and category", Value: or(joinNonEmpty(a.Edition, a.Category), "None")},
			{Label: "Terms accepted", Value: termsNote(a)},
			{Label: "Two-factor sign-in", Value: map[bool]string{true: "On", false: "Off"}[a.TwoFactorEnabled]},
			{Label: "Account created", Value: utcStamp(a.CreatedAt)},
			{Label: "Last sign-in", Value: utcStampOr(a.LastSignInAt, "Never")},
		},
		ActivityTotal: len(d.Activity),
		Written: []pages.Fact{
			{Label: "Applications and nominations", Value: strconv.Itoa(len(d.Entries))},
			{Label: "Clarifications asked about them", Value: strconv.Itoa(len(d.Clarifications))},
			{Label: "Score sheets", Value: strconv.Itoa(len(d.ScoreSheets))},
			{Label: "Council ballots", Value: strconv.Itoa(len(d.Ballots))},
		},
	}
	for _, g := range d.Roles {
		v.Roles = append(v.Roles, pages.PersonalRoleRow{
			Role: account.RoleLabel(authz.Role(g.Role)), Edition: or(g.Edition, "All editions"),
			Granted: utcStamp(g.GrantedAt), Ended: utcStampOr(g.RevokedAt, "Held now"), Reason: g.Reason,
		})
	}
	for i, e := range d.Activity {
		if i == personalActivityShown {
			break
		}
		v.Activity = append(v.Activity, pages.PersonalActivityRow{
			Time: utcStamp(e.At), Action: e.Action, By: e.By, Object: activityObject(e, a.ID), IP: e.IP, Details: string(e.Details),
		})
	}
	v.ActivityShown = len(v.Activity)
	for _, m := range d.Emails {
		v.Emails = append(v.Emails, pages.PersonalEmailRow{Subject: m.Subject, Created: utcStamp(m.CreatedAt), Sent: utcStampOr(m.SentAt, "Not sent yet")})
	}
	return v
}

// activityObject says what an audit entry was about: the user's own account, another account
// (not named), or another object.
func activityObject(e account.PersonalRecord, userID int64) string {
	switch {
	case e.ObjectType == "user" && e.ObjectID == strconv.FormatInt(userID, 10):
		return "your account"
	case e.ObjectType == "user":
		return "another account"
	case e.ObjectType == "":
		return ""
	}
	return e.ObjectType + " " + e.ObjectID
}

func joinNonEmpty(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + ", " + b
}

func termsNote(a account.PersonalAccount) string {
	if a.TermsAcceptedAt == nil {
		return "Not asked"
	}
	return "Version " + a.TermsVersion + ", " + utcStamp(*a.TermsAcceptedAt)
}

// personalDataJSON downloads the signed-in user's data as JSON (GET /account/data.json).
func (s *Server) personalDataJSON(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	d, err := s.privacy().Export(ctx, authz.ActorFrom(ctx).UserID, s.now())
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="personal-data-`+strconv.FormatInt(d.Account.ID, 10)+`.json"`)
	h.Set("Cache-Control", "no-store")
	_, err = w.Write(append(b, '\n'))
	return err
}
