package server

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"prizeportal/internal/account"
	"prizeportal/internal/audit"
	"prizeportal/internal/authz"
	"prizeportal/internal/db"
	"prizeportal/internal/edition"
	"prizeportal/internal/fault"
	"prizeportal/internal/field"
	"prizeportal/internal/privacy"
	"prizeportal/web/components"
	"prizeportal/web/pages"
)

// Administration (DOMAIN.md, "People and roles": the admin runs accounts, roles and audit): users,
// roles with their history, staff invitations, deactivation, erasure and the audit log. Every
// route here is for admins (see routes.go) except the invitation links, which are public and
// checked by their token.

// adminPage is the layout data of an administration page, with the administration links.
func (s *Server) adminPage(r *http.Request, title string) components.Page {
	p := s.page(r, title)
	p.Nav = []components.Link{
		{Label: "Users", Href: "/admin/users"},
		{Label: "Invite staff", Href: "/admin/invite"},
		{Label: "Audit log", Href: "/admin/audit"},
	}
	return p
}

// adminBy names the signed-in admin for the audit log; the entries take the client's address
// from the request's context.
func (s *Server) adminBy(r *http.Request) account.By {
	return account.By{UserID: authz.ActorFrom(r.Context()).UserID}
}

// utcStamp shows an instant in UTC with its zone: "10 May 2023, 03:00 UTC".
func utcStamp(t time.Time) string { return t.UTC().Format("2 January 2006, 15:04 MST") }

// utcStampOr shows *t like utcStamp, or none when t is nil.
func utcStampOr(t *time.Time, none string) string {
	if t == nil {
		return none
	}
	return utcStamp(*t)
}

// pathUserID reads the {id} of an /admin/users/{id} route; a malformed id is a missing page.
func pathUserID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errNotFound
	}
	return id, nil
}

func userHref(id int64) string { return "/admin/users/" + strconv.FormatInt(id, 10) }

// editionLabel names a grant's edition: "All editions" for the global admin role.
func editionLabel(editionID int64, name string) string {
	if editionID == 0 {
		return "All editions"
	}
	return name
}

// roleOptions offers roles, with a first empty option labelled first.
func roleOptions(roles []authz.Role, selected authz.Role, first string) []components.Option {
	opts := []components.Option{{Value: "", Label: first, Selected: selected == ""}}
	for _, r := range roles {
		opts = append(opts, components.Option{Value: string(r), Label: account.RoleLabel(r), Selected: r == selected})
	}
	return opts
}

// editionOptions offers the editions of list, newest first, with a first empty option labelled
// first.
func editionOptions(list []edition.Summary, selected int64, first string) []components.Option {
	opts := []components.Option{{Value: "", Label: first, Selected: selected == 0}}
	for _, e := range list {
		opts = append(opts, components.Option{Value: strconv.FormatInt(e.ID, 10), Label: e.Name, Selected: e.ID == selected})
	}
	return opts
}

// --- users

// adminUsers lists users with search, filters and pages (GET /admin/users).
func (s *Server) adminUsers(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	f := account.UserFilter{Query: strings.TrimSpace(q.Get("q")), Page: queryPage(q)}
	if role := authz.Role(q.Get("role")); account.ValidRole(role) {
		f.Role = role
	}
	f.EditionID, _ = strconv.ParseInt(q.Get("edition"), 10, 64)
	if st := q.Get("status"); st == account.StatusActive || st == account.StatusDeactivated || st == account.StatusInvited {
		f.Status = st
	}
	list, err := account.ListUsers(ctx, s.pool, f)
	if err != nil {
		return err
	}
	editions, err := edition.List(ctx, s.pool)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, pages.AdminUsers(adminUsersView(s.adminPage(r, "Users"), q, f, list, editions)))
}

// adminUsersView is the list of users list, found with filter f from query q.
func adminUsersView(page components.Page, q url.Values, f account.UserFilter, list account.UserList, editions []edition.Summary) pages.AdminUsersView {
	v := pages.AdminUsersView{
		Page:    page,
		Query:   components.Field{Name: "q", Label: "Search", Type: "search", Value: f.Query, Hint: "Name, login ID, email or organisation; any part of it."},
		Role:    components.Field{Name: "role", Label: "Role held", Type: "select", Options: roleOptions(authz.Roles, f.Role, "Any role")},
		Edition: components.Field{Name: "edition", Label: "Edition of the role", Type: "select", Options: editionOptions(editions, f.EditionID, "Any edition")},
		Status: components.Field{Name: "status", Label: "Status", Type: "select", Options: []components.Option{
			{Value: "", Label: "Any status", Selected: f.Status == ""},
			{Value: account.StatusActive, Label: "Active", Selected: f.Status == account.StatusActive},
			{Value: account.StatusInvited, Label: "Invitation not accepted yet", Selected: f.Status == account.StatusInvited},
			{Value: account.StatusDeactivated, Label: "Deactivated", Selected: f.Status == account.StatusDeactivated},
		}},
		Filtered: f.Query != "" || f.Role != "" || f.EditionID != 0 || f.Status != "",
		Pager:    pagerFor("/admin/users", q, list.Page, list.Pages, list.Total, account.UsersPerPage, "users"),
	}
	for _, u := range list.Users {
		row := pages.AdminUserRow{
			Href: userHref(u.ID), Name: u.Name, LoginID: u.LoginID, Email: u.Email, Organisation: u.Organisation,
			Status:     userStatus(u.DeactivatedAt, u.ErasedAt, u.InvitationPending),
			LastSignIn: utcStampOr(u.LastSignInAt, "Never"),
		}
		if row.Name == "" {
			row.Name = u.LoginID
		}
		for _, g := range u.Roles {
			row.Roles = append(row.Roles, account.RoleLabel(g.Role)+", "+editionLabel(g.EditionID, g.EditionName))
		}
		v.Users = append(v.Users, row)
	}
	return v
}

// userStatus says in words whether an account can sign in.
func userStatus(deactivated, erased *time.Time, pending bool) string {
	switch {
	case erased != nil:
		return "Erased on " + utcStamp(*erased)
	case deactivated != nil:
		return "Deactivated on " + utcStamp(*deactivated)
	case pending:
		return "Invited; invitation not accepted yet"
	}
	return "Active"
}

// adminUser shows one user (GET /admin/users/{id}).
func (s *Server) adminUser(w http.ResponseWriter, r *http.Request) error {
	id, err := pathUserID(r)
	if err != nil {
		return err
	}
	return s.renderAdminUser(w, r, http.StatusOK, id, grantForm{}, nil)
}

type grantForm struct {
	Role    string `form:"role"`
	Edition string `form:"edition"`
}

func (s *Server) renderAdminUser(w http.ResponseWriter, r *http.Request, status int, id int64, gf grantForm, errs field.Errors) error {
	ctx := r.Context()
	d, err := account.LoadUserDetails(ctx, s.pool, id)
	if err != nil {
		return err
	}
	editions, err := edition.List(ctx, s.pool)
	if err != nil {
		return err
	}
	self := authz.ActorFrom(ctx).UserID == id
	return s.render(w, r, status, pages.AdminUser(adminUserView(s.adminPage(r, displayName(d.Profile)), d, editions, self, gf, errs)))
}

// displayName names an account: its name, or its login ID when it has none.
func displayName(p account.Profile) string {
	if p.Name == "" {
		return p.LoginID
	}
	return p.Name
}

// adminUserView is the page of the account d; self: it is the signed-in admin's own.
func adminUserView(page components.Page, d account.UserDetails, editions []edition.Summary, self bool, gf grantForm, errs field.Errors) pages.AdminUserView {
	id := d.ID
	edID, _ := strconv.ParseInt(gf.Edition, 10, 64)
	v := pages.AdminUserView{
		Page:        page,
		ID:          strconv.FormatInt(id, 10),
		Name:        displayName(d.Profile),
		Status:      userStatus(d.DeactivatedAt, d.ErasedAt, d.InvitationPending),
		GrantErrors: errs,
		GrantRole: components.Field{Name: "role", Label: "Role", Type: "select", Required: true, Error: errs.Get("role"),
			Options: roleOptions(authz.Roles, authz.Role(gf.Role), "Choose a role")},
		GrantEd: components.Field{Name: "edition", Label: "Edition", Type: "select", Error: errs.Get("edition"),
			Hint: "Every role but administrator is held in one edition.", Options: editionOptions(editions, edID, "Choose an edition")},
		Self:        self,
		Erased:      d.ErasedAt != nil,
		Deactivated: d.DeactivatedAt != nil,
		EraseHref:   userHref(id) + "/erase",
		TwoFactorOn: d.TwoFactorEnabled,
	}
	v.Facts = profileFacts(d.Profile)
	for _, g := range d.History {
		edition := editionLabel(g.EditionID, g.EditionName)
		h := pages.AdminHistoryRow{
			Role: account.RoleLabel(g.Role), Edition: edition, Granted: utcStamp(g.GrantedAt),
			GrantedBy: byLabel(g.GrantedByID, g.GrantedByName, "at registration or by the system"),
			Reason:    g.Reason,
		}
		if g.Active() {
			row := pages.AdminRoleRow{Role: h.Role, Edition: edition, Granted: h.Granted}
			if !v.Erased && !(v.Self && g.Role == authz.RoleAdmin) {
				row.RevokeHref = userHref(id) + "/revoke?" + url.Values{"role": {string(g.Role)}, "edition": {strconv.FormatInt(g.EditionID, 10)}}.Encode()
			}
			v.Roles = append(v.Roles, row)
		} else {
			h.Ended, h.EndedBy = utcStamp(*g.RevokedAt), byLabel(g.RevokedByID, g.RevokedByName, "by the system")
		}
		v.History = append(v.History, h)
	}
	return v
}

func byLabel(id int64, name, none string) string {
	if id == 0 {
		return none
	}
	if name == "" {
		name = "account " + strconv.FormatInt(id, 10)
	}
	return "by " + name
}

// profileFacts lists an account's data for people to read.
func profileFacts(p account.Profile) []pages.Fact {
	or := func(s, none string) string {
		if s == "" {
			return none
		}
		return s
	}
	facts := []pages.Fact{
		{Label: "Name", Value: or(p.Name, "Not given")},
		{Label: "Login ID", Value: p.LoginID},
		{Label: "Email", Value: p.Email + verifiedNote(p.EmailVerifiedAt)},
	}
	if p.EntityType != "" || p.Organisation != "" || p.EditionName != "" {
		facts = append(facts,
			pages.Fact{Label: "Registered as", Value: or(p.EntityType, "Not given")},
			pages.Fact{Label: "Organisation", Value: or(p.Organisation, "Not given")},
			pages.Fact{Label: "Phone", Value: or(p.Phone, "Not given")},
			pages.Fact{Label: "City and country", Value: or(strings.Trim(p.City+", "+p.Country, ", "), "Not given")},
			pages.Fact{Label: "Edition and category", Value: or(strings.Trim(p.EditionName+", "+p.CategoryName, ", "), "None")},
		)
	}
	if p.TermsAcceptedAt != nil {
		facts = append(facts, pages.Fact{Label: "Terms accepted", Value: "Version " + p.TermsVersion + ", " + utcStamp(*p.TermsAcceptedAt)})
	}
	twoFactor := "Off"
	if p.TwoFactorEnabled {
		twoFactor = "On (authenticator app)"
	}
	facts = append(facts,
		pages.Fact{Label: "Two-factor sign-in", Value: twoFactor},
		pages.Fact{Label: "Account created", Value: utcStamp(p.CreatedAt)},
		pages.Fact{Label: "Last sign-in", Value: utcStampOr(p.LastSignInAt, "Never")},
	)
	return facts
}

func verifiedNote(at *time.Time) string {
	if at == nil {
		return " (not confirmed)"
	}
	return " (confirmed " + utcStamp(*at) + ")"
}

// adminGrant grants a role (POST /admin/users/{id}/roles).
func (s *Server) adminGrant(w http.ResponseWriter, r *http.Request) error {
	id, err := pathUserID(r)
	if err != nil {
		return err
	}
	var f grantForm
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	role := authz.Role(f.Role)
	edID, _ := strconv.ParseInt(f.Edition, 10, 64)
	var errs field.Errors
	if !account.ValidRole(role) {
		errs.Add("role", "Choose a role.")
	} else if role != authz.RoleAdmin && edID == 0 {
		errs.Add("edition", "Choose the edition the role is for.")
	}
	if !errs.Any() {
		err = s.accounts.GrantRole(r.Context(), authz.ActorFrom(r.Context()), id, role, edID)
		// A refused grant (the role held already, a second committee head, no such edition)
		// is shown on the form with the rule's message.
		fe, refused := fault.As(err)
		switch {
		case errors.Is(err, account.ErrUnknownEdition):
			errs.Add("edition", fe.Message)
		case refused:
			errs.Add("role", fe.Message)
		case err != nil:
			return err
		}
	}
	if errs.Any() {
		return s.renderAdminUser(w, r, http.StatusUnprocessableEntity, id, f, errs)
	}
	s.flash(r.Context(), "Granted the role "+account.RoleLabel(role)+".")
	return redirect(w, r, userHref(id))
}

type revokeForm struct {
	Role    string `form:"role"`
	Edition string `form:"edition"`
	Reason  string `form:"reason"`
}

// adminRevokePage asks for the reason of a revocation (GET /admin/users/{id}/revoke).
func (s *Server) adminRevokePage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	return s.renderRevoke(w, r, http.StatusOK, revokeForm{Role: q.Get("role"), Edition: q.Get("edition")}, nil)
}

func (s *Server) renderRevoke(w http.ResponseWriter, r *http.Request, status int, f revokeForm, errs field.Errors) error {
	ctx := r.Context()
	id, err := pathUserID(r)
	if err != nil {
		return err
	}
	d, err := account.LoadUserDetails(ctx, s.pool, id)
	if err != nil {
		return err
	}
	v, err := adminRevokeView(s.adminPage(r, "Revoke a role"), d, f, errs)
	if err != nil {
		return err
	}
	return s.render(w, r, status, pages.AdminRevoke(v))
}

// adminRevokeView asks for the reason of revoking the role f names from the account d; a role d
// does not hold is account.ErrRoleNotHeld.
func adminRevokeView(page components.Page, d account.UserDetails, f revokeForm, errs field.Errors) (pages.AdminRevokeView, error) {
	role := authz.Role(f.Role)
	edID, _ := strconv.ParseInt(f.Edition, 10, 64)
	i := slices.IndexFunc(d.History, func(g account.GrantRecord) bool { return g.Active() && g.Role == role && g.EditionID == edID })
	if i < 0 {
		return pages.AdminRevokeView{}, fmt.Errorf("server: revoke: %w", account.ErrRoleNotHeld)
	}
	id := d.ID
	return pages.AdminRevokeView{
		Page:     page,
		UserName: d.Name, UserHref: userHref(id), Action: userHref(id) + "/revoke",
		Role: account.RoleLabel(role), Edition: editionLabel(edID, d.History[i].EditionName),
		RoleKey: string(role), EdKey: strconv.FormatInt(edID, 10),
		Reason: components.Field{Name: "reason", Label: "Reason", Value: f.Reason, Required: true, MaxLength: 500,
			Hint: "Kept in the role history and the audit log, e.g. \"conflict of interest with an applicant\".", Error: errs.Get("reason")},
		Errors: errs,
	}, nil
}

// adminRevoke revokes a role with a reason (POST /admin/users/{id}/revoke).
func (s *Server) adminRevoke(w http.ResponseWriter, r *http.Request) error {
	id, err := pathUserID(r)
	if err != nil {
		return err
	}
	var f revokeForm
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	role := authz.Role(f.Role)
	edID, _ := strconv.ParseInt(f.Edition, 10, 64)
	var errs field.Errors
	f.Reason = strings.TrimSpace(f.Reason)
	if f.Reason == "" {
		errs.Add("reason", "Enter the reason for revoking the role.")
	} else if len(f.Reason) > 500 {
		errs.Add("reason", "Use at most 500 characters.")
	}
	if !errs.Any() {
		err = s.accounts.RevokeRole(r.Context(), authz.ActorFrom(r.Context()), id, role, edID, f.Reason)
		switch {
		case errors.Is(err, account.ErrSelf):
			errs.Add("reason", "You cannot revoke your own administrator role. Ask another administrator.")
		case errors.Is(err, account.ErrLastAdmin):
			errs.Add("reason", "This is the last administrator who can sign in. Make someone else an administrator first.")
		case err != nil:
			return err
		}
	}
	if errs.Any() {
		return s.renderRevoke(w, r, http.StatusUnprocessableEntity, f, errs)
	}
	s.flash(r.Context(), "Revoked the role "+account.RoleLabel(role)+".")
	return redirect(w, r, userHref(id))
}

// adminDeactivate deactivates an account and ends its sessions (POST /admin/users/{id}/deactivate).
func (s *Server) adminDeactivate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathUserID(r)
	if err != nil {
		return err
	}
	err = s.accounts.Deactivate(r.Context(), authz.ActorFrom(r.Context()), id)
	switch {
	case errors.Is(err, account.ErrSelf):
		s.flash(r.Context(), "You cannot deactivate your own account.")
	case errors.Is(err, account.ErrLastAdmin):
		s.flash(r.Context(), "This is the last administrator who can sign in, so the account stays active. Make someone else an administrator first.")
	case err != nil:
		return err
	default:
		s.flash(r.Context(), "The account is deactivated and all its sessions have ended.")
	}
	return redirect(w, r, userHref(id))
}

// adminResetTwoFactor removes a user's TOTP and recovery codes, for someone who lost both
// (POST /admin/users/{id}/two-factor/reset).
func (s *Server) adminResetTwoFactor(w http.ResponseWriter, r *http.Request) error {
	id, err := pathUserID(r)
	if err != nil {
		return err
	}
	err = s.accounts.ResetTwoFactor(r.Context(), authz.ActorFrom(r.Context()), id)
	if errors.Is(err, account.ErrSelf) {
		s.flash(r.Context(), "You cannot remove your own two-factor sign-in here; another administrator can.")
		return redirect(w, r, userHref(id))
	}
	if err != nil {
		return err
	}
	s.flash(r.Context(), "Two-factor sign-in was removed and the person's sessions ended.")
	return redirect(w, r, userHref(id))
}

// adminReactivate lets a deactivated account sign in again (POST /admin/users/{id}/reactivate).
func (s *Server) adminReactivate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathUserID(r)
	if err != nil {
		return err
	}
	err = s.accounts.Reactivate(r.Context(), authz.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	s.flash(r.Context(), "The account is active again.")
	return redirect(w, r, userHref(id))
}

// --- erasure

type eraseForm struct {
	Confirm string `form:"confirm"`
}

// adminErasePage is the confirmation step of erasing a user (GET /admin/users/{id}/erase).
func (s *Server) adminErasePage(w http.ResponseWriter, r *http.Request) error {
	return s.renderErase(w, r, http.StatusOK, nil)
}

func (s *Server) renderErase(w http.ResponseWriter, r *http.Request, status int, errs field.Errors) error {
	ctx := r.Context()
	id, err := pathUserID(r)
	if err != nil {
		return err
	}
	p, err := s.privacy().PreviewAccount(ctx, id, authz.ActorFrom(ctx).UserID)
	if err != nil {
		return err
	}
	return s.render(w, r, status, pages.AdminErase(adminEraseView(s.adminPage(r, "Erase "+p.Profile.Name), p, errs)))
}

// adminEraseView is the confirmation of erasing the account of p.
func adminEraseView(page components.Page, p privacy.AccountPreview, errs field.Errors) pages.AdminEraseView {
	id := p.Profile.ID
	return pages.AdminEraseView{
		Page:     page,
		UserName: p.Profile.Name, UserHref: userHref(id), Action: userHref(id) + "/erase",
		Refusal: p.Refusal,
		Confirm: components.Field{Name: "confirm", Label: "I understand that erasing cannot be undone", Required: true, Error: errs.Get("confirm")},
		Errors:  errs,
		Deleted: p.Plan.Deleted, Anonymised: p.Plan.Anonymised,
		Kept: keptViews(p.Plan.Kept),
	}
}

// adminErase erases a user after confirmation (POST /admin/users/{id}/erase).
func (s *Server) adminErase(w http.ResponseWriter, r *http.Request) error {
	id, err := pathUserID(r)
	if err != nil {
		return err
	}
	var f eraseForm
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	if f.Confirm != "yes" {
		return s.renderErase(w, r, http.StatusUnprocessableEntity, field.Errors{{Field: "confirm", Message: "Tick the box to confirm that the account should be erased."}})
	}
	_, err = s.privacy().Erase(r.Context(), id, s.adminBy(r), s.now())
	if errors.Is(err, account.ErrCannotErase) {
		// The situation changed since the confirmation page: show it again with the reason.
		return s.renderErase(w, r, http.StatusConflict, nil)
	}
	if err != nil {
		return err
	}
	s.flash(r.Context(), "The account was erased.")
	return redirect(w, r, userHref(id))
}

// --- invitations

type inviteForm struct {
	Email   string   `form:"email"`
	Name    string   `form:"name"`
	Roles   []string `form:"roles"`
	Edition string   `form:"edition"`
}

// adminInvitePage shows the invitation form (GET /admin/invite).
func (s *Server) adminInvitePage(w http.ResponseWriter, r *http.Request) error {
	var f inviteForm
	if e, err := edition.Current(r.Context(), s.pool); err == nil {
		f.Edition = strconv.FormatInt(e.ID, 10)
	} else if !errors.Is(err, db.ErrNotFound) {
		return err
	}
	return s.renderInvite(w, r, http.StatusOK, f, nil)
}

func (s *Server) renderInvite(w http.ResponseWriter, r *http.Request, status int, f inviteForm, errs field.Errors) error {
	editions, err := edition.List(r.Context(), s.pool)
	if err != nil {
		return err
	}
	return s.render(w, r, status, pages.AdminInvite(adminInviteView(s.adminPage(r, "Invite staff"), editions, f, errs)))
}

// staffRoleHints say what each staff role does, on the invitation form.
var staffRoleHints = map[authz.Role]string{
	authz.RoleSecretariat:   "Runs round 1 (screening) and manages the edition.",
	authz.RoleEvaluator:     "Scores applications in round 2.",
	authz.RoleCommitteeHead: "Heads the Evaluation Committee; includes the evaluator role. One per edition.",
	authz.RoleCouncil:       "Votes in round 3.",
	authz.RoleAdmin:         "Accounts, roles, configuration and the audit log, in every edition.",
}

// adminInviteView is the invitation form f with its errors.
func adminInviteView(page components.Page, editions []edition.Summary, f inviteForm, errs field.Errors) pages.AdminInviteView {
	edID, _ := strconv.ParseInt(f.Edition, 10, 64)
	v := pages.AdminInviteView{
		Page:   page,
		Errors: errs,
		Email: components.Field{Name: "email", Label: "Email address", Type: "email", Value: f.Email, Required: true,
			Autocomplete: "off", Error: errs.Get("email")},
		Name: components.Field{Name: "name", Label: "Name", Value: f.Name, Required: true, Autocomplete: "off",
			Hint: "How the invitation addresses the person; they can correct it.", Error: errs.Get("name")},
		Roles: pages.RoleChoices{Name: "roles", Legend: "Roles", Hint: "Choose one or more. One person may hold several roles.", Error: errs.Get("roles")},
		Edition: components.Field{Name: "edition", Label: "Edition", Type: "select", Options: editionOptions(editions, edID, "Choose an edition"), Error: errs.Get("edition"),
			Hint: "The roles are for this edition; administrator applies to all editions."},
	}
	for _, role := range account.StaffRoles {
		v.Roles.Options = append(v.Roles.Options, pages.RoleChoice{
			Value: string(role), Label: account.RoleLabel(role), Hint: staffRoleHints[role], Checked: slices.Contains(f.Roles, string(role)),
		})
	}
	return v
}

// adminInvite invites a person by email (POST /admin/invite): the account (or its new roles) and
// the email are written in one transaction.
func (s *Server) adminInvite(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var f inviteForm
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	inv := account.Invitation{Email: f.Email, Name: f.Name}
	inv.EditionID, _ = strconv.ParseInt(f.Edition, 10, 64)
	for _, role := range f.Roles {
		inv.Roles = append(inv.Roles, authz.Role(role))
	}
	res, err := s.accounts.Invite(ctx, authz.ActorFrom(ctx), inv)
	var fe field.Errors
	if errors.As(err, &fe) {
		return s.renderInvite(w, r, http.StatusUnprocessableEntity, f, fe)
	}
	if err != nil {
		return err
	}
	switch {
	case res.Created:
		s.flash(ctx, "Invitation sent to "+res.Email+". The link works for 7 days.")
	case res.Token != "":
		s.flash(ctx, "A new invitation was sent to "+res.Email+"; the earlier link no longer works.")
	case len(res.Granted) > 0:
		s.flash(ctx, res.Email+" already has an account: the roles were added and the person was told by email.")
	default:
		s.flash(ctx, res.Email+" already holds these roles; nothing was changed.")
	}
	return redirect(w, r, userHref(res.UserID))
}

// --- accepting an invitation (public: the token is the credential)

type acceptForm struct {
	Name     string `form:"name"`
	Password string `form:"password"`
	Repeat   string `form:"repeat"`
}

// invitePage shows the account set-up form of an invitation link (GET /invite/{token}).
func (s *Server) invitePage(w http.ResponseWriter, r *http.Request) error {
	token := chi.URLParam(r, "token")
	invitee, err := account.LoadInvitee(r.Context(), s.pool, token, s.now())
	if errors.Is(err, account.ErrTokenInvalid) {
		return s.render(w, r, http.StatusGone, pages.InviteLinkInvalid(s.page(r, "Invitation link cannot be used")))
	}
	if err != nil {
		return err
	}
	return s.renderAccept(w, r, http.StatusOK, token, invitee, acceptForm{Name: invitee.Name}, nil)
}

func (s *Server) renderAccept(w http.ResponseWriter, r *http.Request, status int, token string, invitee account.Invitee, f acceptForm, errs field.Errors) error {
	return s.render(w, r, status, pages.AcceptInvite(acceptInviteView(s.page(r, "Set up your account"), token, invitee, f, errs)))
}

// acceptInviteView is the account set-up form of the invitation token, for invitee.
func acceptInviteView(page components.Page, token string, invitee account.Invitee, f acceptForm, errs field.Errors) pages.AcceptInviteView {
	var roles []string
	for _, g := range invitee.Roles {
		roles = append(roles, account.RoleLabel(g.Role)+", "+editionLabel(g.EditionID, g.EditionName))
	}
	return pages.AcceptInviteView{
		Page:   page,
		Action: "/invite/" + token,
		Email:  invitee.Email,
		Roles:  roles,
		Errors: errs,
		Name: components.Field{Name: "name", Label: "Your name", Value: f.Name, Required: true, Autocomplete: "name",
			Error: errs.Get("name")},
		Password: components.Field{Name: "password", Label: "Password", Type: "password", Required: true, Autocomplete: "new-password",
			Hint: "At least 12 characters. A few unrelated words make a good password.", Error: errs.Get("password")},
		Repeat: components.Field{Name: "repeat", Label: "Password again", Type: "password", Required: true, Autocomplete: "new-password",
			Error: errs.Get("repeat")},
	}
}

// inviteAccept sets the invitee's name and password, consumes the link and signs them in, through
// two-factor enrolment for staff (POST /invite/{token}).
func (s *Server) inviteAccept(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	token := chi.URLParam(r, "token")
	var f acceptForm
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	userID, epoch, err := s.accounts.AcceptInvite(ctx, token, account.Acceptance{Name: f.Name, Password: f.Password, Repeat: f.Repeat})
	var fe field.Errors
	switch {
	case errors.Is(err, account.ErrTokenInvalid):
		return s.render(w, r, http.StatusGone, pages.InviteLinkInvalid(s.page(r, "Invitation link cannot be used")))
	case errors.As(err, &fe):
		invitee, err := account.LoadInvitee(ctx, s.pool, token, s.now())
		if err != nil {
			return err
		}
		return s.renderAccept(w, r, http.StatusUnprocessableEntity, token, invitee, acceptForm{Name: f.Name}, fe)
	case err != nil:
		return err
	}
	s.flash(ctx, "Your account is ready.")
	return s.completeSignIn(w, r, userID, epoch, "/dashboard")
}

// --- audit log

// adminAudit shows the audit log with filters and pages (GET /admin/audit). Dates are UTC days;
// "to" includes its whole day.
func (s *Server) adminAudit(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := audit.Filter{
		Action: strings.TrimSpace(q.Get("action")), Actor: strings.TrimSpace(q.Get("actor")),
		ObjectType: strings.TrimSpace(q.Get("object_type")), ObjectID: strings.TrimSpace(q.Get("object_id")),
		Page: queryPage(q),
	}
	var errs field.Errors
	day := func(name string) time.Time {
		v := strings.TrimSpace(q.Get(name))
		if v == "" {
			return time.Time{}
		}
		t, err := time.Parse("2006-01-02", v)
		if err != nil {
			errs.Add(name, "Enter a date like 2023-05-31.")
		}
		return t
	}
	f.From = day("from")
	if to := day("to"); !to.IsZero() {
		f.To = to.AddDate(0, 0, 1)
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		errs.Add("to", "The end date must not be before the start date.")
	}
	status := http.StatusOK
	var res audit.Page
	if errs.Any() {
		status = http.StatusUnprocessableEntity
		res = audit.Page{Page: 1, Pages: 1}
	} else {
		var err error
		if res, err = audit.Search(r.Context(), s.pool, f); err != nil {
			return err
		}
	}
	return s.render(w, r, status, pages.AdminAudit(adminAuditView(s.adminPage(r, "Audit log"), q, f, res, errs)))
}

// adminAuditView is the page of audit entries res, found with filter f from query q.
func adminAuditView(page components.Page, q url.Values, f audit.Filter, res audit.Page, errs field.Errors) pages.AdminAuditView {
	input := func(name, label, typ, hint string) components.Field {
		return components.Field{Name: name, Label: label, Type: typ, Value: q.Get(name), Hint: hint, Error: errs.Get(name)}
	}
	v := pages.AdminAuditView{
		Page:       page,
		Errors:     errs,
		Action:     input("action", "Action", "text", "The start of an action, e.g. \"role.\" or \"account.signin\"."),
		Actor:      input("actor", "Actor", "text", "Login ID, email or name of who did it; any part of it."),
		ObjectType: input("object_type", "Object type", "text", "E.g. \"user\" or \"edition\"."),
		ObjectID:   input("object_id", "Object ID", "text", "E.g. a user's number."),
		From:       input("from", "From (UTC date)", "date", "The first day, e.g. 2023-05-01."),
		To:         input("to", "To (UTC date)", "date", "The last day, included."),
		Filtered:   f.Action != "" || f.Actor != "" || f.ObjectType != "" || f.ObjectID != "" || q.Get("from") != "" || q.Get("to") != "",
		Pager:      pagerFor("/admin/audit", q, res.Page, res.Pages, res.Total, audit.PerPage, "entries"),
	}
	for _, e := range res.Rows {
		row := pages.AdminAuditRow{
			Time: utcStamp(e.At), Datetime: e.At.UTC().Format(time.RFC3339), Action: e.Action,
			IP: e.IP, Details: e.Details, Actor: auditActor(e),
		}
		if e.ActorID != 0 {
			row.ActorHref = userHref(e.ActorID)
		}
		if e.ObjectType != "" {
			row.Object = e.ObjectType + " " + e.ObjectID
			if id, err := strconv.ParseInt(e.ObjectID, 10, 64); e.ObjectType == "user" && err == nil {
				row.ObjectHref = userHref(id)
			}
		}
		v.Rows = append(v.Rows, row)
	}
	return v
}

// auditActor names who did an audited action: the account (name and login) or the label.
func auditActor(e audit.Row) string {
	switch {
	case e.ActorID != 0 && e.ActorName != "" && e.ActorLogin != "":
		return e.ActorName + " (" + e.ActorLogin + ")"
	case e.ActorID != 0:
		return "account " + strconv.FormatInt(e.ActorID, 10)
	case e.ActorLabel != "":
		return e.ActorLabel
	}
	return "anonymous visitor"
}
