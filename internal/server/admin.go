package server

import (
	"cmp"
	"context"
	"errors"
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
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/web/components"
	"prizeportal/web/pages"
	"prizeportal/web/views"
)

// Administration (DOMAIN.md, "People and roles": the admin runs accounts, roles and audit): users,
// roles with their history, staff invitations, deactivation, erasure and the audit log. Every
// route here is for admins (see routes.go) except the invitation links, which are public and
// checked by their token.

// adminPage is the layout data of an administration page, with the administration links.
func (s *Server) adminPage(r *http.Request, title string) components.Page {
	p := s.page(r, title)
	p.Nav = []components.Link{
		{Label: i18n.M("Users"), Href: "/admin/users"},
		{Label: i18n.M("Invite staff"), Href: "/admin/invite"},
		{Label: i18n.M("Jury"), Href: views.JuryPath},
		{Label: i18n.M("Audit log"), Href: "/admin/audit"},
	}
	return p
}

// adminBy names the signed-in admin for the audit log; the entries take the client's address
// from the request's context.
func (s *Server) adminBy(r *http.Request) account.By {
	return account.By{UserID: authz.ActorFrom(r.Context()).UserID}
}

// pathUserID reads the {id} of an /admin/users/{id} route; a malformed id is a missing page.
func pathUserID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errNotFound
	}
	return id, nil
}

func roleOption(r authz.Role) (string, string) { return string(r), account.RoleLabel(r) }

func editionOption(e edition.Summary) (string, string) { return strconv.FormatInt(e.ID, 10), e.Name }

// --- users

// adminUsers lists users with search, filters and pages (GET /admin/users).
func (s *Server) adminUsers(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := account.NewUserFilter(q.Get("q"), q.Get("role"), q.Get("edition"), q.Get("status"), queryPage(q))
	p, err := account.LoadUsersPage(r.Context(), s.pool, f)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, pages.AdminUsers(adminUsersView(s.adminPage(r, i18n.M("Users")), q, f, p)))
}

// adminUsersView is the list of users p, found with filter f from query q.
func adminUsersView(page components.Page, q url.Values, f account.UserFilter, p account.UsersPage) pages.AdminUsersView {
	v := pages.AdminUsersView{
		Page:    page,
		Query:   components.Field{Name: "q", Label: i18n.M("Search"), Type: "search", Value: f.Query, Hint: i18n.M("Name, login ID, email or organisation; any part of it.")},
		Role:    components.Field{Name: "role", Label: i18n.M("Role held"), Type: "select", Options: views.Options(i18n.M("Any role"), string(f.Role), authz.Roles, roleOption)},
		Edition: components.Field{Name: "edition", Label: i18n.M("Edition of the role"), Type: "select", Options: views.Options(i18n.M("Any edition"), strconv.FormatInt(f.EditionID, 10), p.Editions, editionOption)},
		Status: components.Field{Name: "status", Label: i18n.M("Status"), Type: "select",
			Options: views.Options(i18n.M("Any status"), f.Status, account.StatusOptions, func(o [2]string) (string, string) { return o[0], o[1] })},
		Filtered: f.Any(),
		Pager:    views.PagerFor("/admin/users", q, p.Page, p.Pages, p.Total, account.UsersPerPage, "users"),
	}
	for _, u := range p.Users {
		v.Users = append(v.Users, pages.AdminUserRow{
			Href: views.UserHref(u.ID), Name: u.DisplayName(), LoginID: u.LoginID, Email: u.Email, Organisation: u.Organisation,
			Status: u.StatusText(), LastSignIn: views.UTCOr(u.LastSignInAt, i18n.M("Never")), Roles: views.Labels(u.Roles),
		})
	}
	return v
}

type grantForm struct {
	Role    string `form:"role"`
	Edition string `form:"edition"`
}

// adminUser shows one user (GET /admin/users/{id}).
func (s *Server) adminUser(w http.ResponseWriter, r *http.Request) error {
	return s.renderAdminUser(w, r, http.StatusOK, grantForm{}, nil)
}

func (s *Server) renderAdminUser(w http.ResponseWriter, r *http.Request, status int, gf grantForm, errs field.Errors) error {
	id, err := pathUserID(r)
	if err != nil {
		return err
	}
	p, err := account.LoadUserPage(r.Context(), s.pool, id, authz.ActorFrom(r.Context()).UserID)
	if err != nil {
		return err
	}
	return s.render(w, r, status, pages.AdminUser(adminUserView(s.adminPage(r, p.DisplayName()), p, gf, errs)))
}

// adminUserView is the page p of an account, with the grant form gf and its errors.
func adminUserView(page components.Page, p account.UserPage, gf grantForm, errs field.Errors) pages.AdminUserView {
	id := p.ID
	v := pages.AdminUserView{
		Page: page, ID: strconv.FormatInt(id, 10), Name: p.DisplayName(), Status: p.StatusText(),
		GrantErrors: errs,
		GrantRole: components.Field{Name: "role", Label: i18n.M("Role"), Type: "select", Required: true, Error: errs.Get("role"),
			Options: views.Options(i18n.M("Choose a role"), gf.Role, authz.Roles, roleOption)},
		GrantEd: components.Field{Name: "edition", Label: i18n.M("Edition"), Type: "select", Error: errs.Get("edition"),
			Hint: i18n.M("Every role but administrator is held in one edition."), Options: views.Options(i18n.M("Choose an edition"), gf.Edition, p.Editions, editionOption)},
		Self: p.Self, Erased: p.ErasedAt != nil, Deactivated: p.DeactivatedAt != nil,
		EraseHref: views.UserHref(id) + "/erase", TwoFactorOn: p.TwoFactorEnabled,
		Facts: profileFacts(p.Profile),
	}
	for _, g := range p.History {
		ed := account.EditionLabel(g.EditionID, g.EditionName)
		h := pages.AdminHistoryRow{
			Role: account.RoleLabel(g.Role), Edition: ed, Granted: i18n.Deadline(g.GrantedAt, time.UTC),
			GrantedBy: account.ByName(g.GrantedByID, g.GrantedByName, i18n.M("at registration or by the system")), Reason: g.Reason,
		}
		if g.Active() {
			row := pages.AdminRoleRow{Role: h.Role, Edition: ed, Granted: h.Granted}
			if p.CanRevoke(g) {
				row.RevokeHref = views.UserHref(id) + "/revoke?" + url.Values{"role": {string(g.Role)}, "edition": {strconv.FormatInt(g.EditionID, 10)}}.Encode()
			}
			v.Roles = append(v.Roles, row)
		} else {
			h.Ended, h.EndedBy = i18n.Deadline(*g.RevokedAt, time.UTC), account.ByName(g.RevokedByID, g.RevokedByName, i18n.M("by the system"))
		}
		v.History = append(v.History, h)
	}
	return v
}

// profileFacts lists an account's data for people to read.
func profileFacts(p account.Profile) []pages.Fact {
	facts := []pages.Fact{
		{Label: i18n.M("Name"), Value: cmp.Or(p.Name, i18n.M("Not given"))},
		{Label: i18n.M("Login ID"), Value: p.LoginID},
		{Label: i18n.M("Email"), Value: i18n.Msg("{{.Email}}{{.Note}}", "Email", p.Email, "Note", account.VerifiedNote(p.EmailVerifiedAt))},
	}
	if p.EntityType != "" || p.Organisation != "" || len(p.Registrations) > 0 {
		facts = append(facts,
			pages.Fact{Label: i18n.M("Registered as"), Value: cmp.Or(p.EntityType, i18n.M("Not given"))},
			pages.Fact{Label: i18n.M("Organisation"), Value: cmp.Or(p.Organisation, i18n.M("Not given"))},
			pages.Fact{Label: i18n.M("Phone"), Value: cmp.Or(p.Phone, i18n.M("Not given"))},
			pages.Fact{Label: i18n.M("City and country"), Value: cmp.Or(views.JoinNonEmpty(p.City, p.Country), i18n.M("Not given"))},
		)
		facts = append(facts, views.RegistrationFacts(p.Registrations)...)
	}
	return append(facts,
		pages.Fact{Label: i18n.M("Two-factor sign-in"), Value: map[bool]string{true: i18n.M("On (authenticator app)"), false: i18n.M("Off")}[p.TwoFactorEnabled]},
		pages.Fact{Label: i18n.M("Account created"), Value: i18n.Deadline(p.CreatedAt, time.UTC)},
		pages.Fact{Label: i18n.M("Last sign-in"), Value: views.UTCOr(p.LastSignInAt, i18n.M("Never"))},
	)
}

// adminGrant grants a role (POST /admin/users/{id}/roles).
func (s *Server) adminGrant(w http.ResponseWriter, r *http.Request) error {
	id, f, err := loadOneThenForm[grantForm](w, r, pathUserID)
	if err != nil {
		return err
	}
	edID, _ := strconv.ParseInt(f.Edition, 10, 64)
	err = s.accounts.GrantRole(r.Context(), authz.ActorFrom(r.Context()), id, authz.Role(f.Role), edID)
	// A refused grant (no role, no such edition, the role held already, a second committee
	// head) is shown on the form with the rule's message.
	name := "role"
	if errors.Is(err, account.ErrUnknownEdition) {
		name = "edition"
	}
	if errs, status, ok := formRefusal(w, err, name); ok {
		return s.renderAdminUser(w, r, status, f, errs)
	} else if err != nil {
		return err
	}
	s.flash(r.Context(), i18n.Msg("Granted the role {{.Role}}.", "Role", account.RoleLabel(authz.Role(f.Role))))
	return redirect(w, r, views.UserHref(id))
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

// renderRevoke asks for the reason of revoking the role f names; a role the account does not
// hold is account.ErrRoleNotHeld.
func (s *Server) renderRevoke(w http.ResponseWriter, r *http.Request, status int, f revokeForm, errs field.Errors) error {
	id, err := pathUserID(r)
	if err != nil {
		return err
	}
	d, err := account.LoadUserDetails(r.Context(), s.pool, id)
	if err != nil {
		return err
	}
	edID, _ := strconv.ParseInt(f.Edition, 10, 64)
	g, err := d.Held(f.Role, edID)
	if err != nil {
		return err
	}
	return s.render(w, r, status, pages.AdminRevoke(pages.AdminRevokeView{
		Page:     s.adminPage(r, i18n.M("Revoke a role")),
		UserName: d.Name, UserHref: views.UserHref(id), Action: views.UserHref(id) + "/revoke",
		Role: account.RoleLabel(g.Role), Edition: account.EditionLabel(edID, g.EditionName),
		RoleKey: f.Role, EdKey: strconv.FormatInt(edID, 10),
		Reason: reasonField(f.Reason, errs), Errors: errs,
	}))
}

// reasonField is the reason of a role's revocation, with its problem in errs.
func reasonField(value string, errs field.Errors) components.Field {
	return components.Field{Name: "reason", Label: i18n.M("Reason"), Value: value, Required: true, MaxLength: account.MaxReason,
		Hint: i18n.M("Kept in the role history and the audit log, e.g. \"conflict of interest with an applicant\"."), Error: errs.Get("reason")}
}

// adminRevoke revokes a role with a reason (POST /admin/users/{id}/revoke).
func (s *Server) adminRevoke(w http.ResponseWriter, r *http.Request) error {
	id, f, err := loadOneThenForm[revokeForm](w, r, pathUserID)
	if err != nil {
		return err
	}
	f.Reason = strings.TrimSpace(f.Reason)
	edID, _ := strconv.ParseInt(f.Edition, 10, 64)
	err = s.accounts.RevokeRole(r.Context(), authz.ActorFrom(r.Context()), id, authz.Role(f.Role), edID, f.Reason)
	if errs, status, ok := formRefusal(w, err, "reason"); ok {
		return s.renderRevoke(w, r, status, f, errs)
	} else if err != nil {
		return err
	}
	s.flash(r.Context(), i18n.Msg("Revoked the role {{.Role}}.", "Role", account.RoleLabel(authz.Role(f.Role))))
	return redirect(w, r, views.UserHref(id))
}

// userAction runs an administrator's action on the account of the route and returns to its
// page, saying done, or the rule's message when the action is refused (account.ErrSelf,
// account.ErrLastAdmin).
func (s *Server) userAction(w http.ResponseWriter, r *http.Request, act func(context.Context, authz.Actor, int64) error, done string) error {
	id, err := pathUserID(r)
	if err != nil {
		return err
	}
	err = act(r.Context(), authz.ActorFrom(r.Context()), id)
	return s.flashThen(w, r, err, views.UserHref(id), func() string { return done })
}

// adminDeactivate deactivates an account and ends its sessions (POST /admin/users/{id}/deactivate).
func (s *Server) adminDeactivate(w http.ResponseWriter, r *http.Request) error {
	return s.userAction(w, r, s.accounts.Deactivate, i18n.M("The account is deactivated and all its sessions have ended."))
}

// adminResetTwoFactor removes a user's TOTP and recovery codes, for someone who lost both
// (POST /admin/users/{id}/two-factor/reset).
func (s *Server) adminResetTwoFactor(w http.ResponseWriter, r *http.Request) error {
	return s.userAction(w, r, s.accounts.ResetTwoFactor, i18n.M("Two-factor sign-in was removed and the person's sessions ended."))
}

// adminReactivate lets a deactivated account sign in again (POST /admin/users/{id}/reactivate).
func (s *Server) adminReactivate(w http.ResponseWriter, r *http.Request) error {
	return s.userAction(w, r, s.accounts.Reactivate, i18n.M("The account is active again."))
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
	id, err := pathUserID(r)
	if err != nil {
		return err
	}
	p, err := s.privacy().PreviewAccount(r.Context(), id, authz.ActorFrom(r.Context()).UserID)
	if err != nil {
		return err
	}
	return s.render(w, r, status, pages.AdminErase(pages.AdminEraseView{
		Page:     s.adminPage(r, i18n.Msg("Erase {{.Name}}", "Name", p.Profile.Name)),
		UserName: p.Profile.Name, UserHref: views.UserHref(id), Action: views.UserHref(id) + "/erase",
		Refusal: p.Refusal,
		Confirm: components.Field{Name: "confirm", Label: i18n.M("I understand that erasing cannot be undone"), Required: true, Error: errs.Get("confirm")},
		Errors:  errs,
		Deleted: p.Plan.Deleted, Anonymised: p.Plan.Anonymised,
		Kept: views.KeptViews(p.Plan.Kept),
	}))
}

// adminErase erases a user after confirmation (POST /admin/users/{id}/erase).
func (s *Server) adminErase(w http.ResponseWriter, r *http.Request) error {
	id, f, err := loadOneThenForm[eraseForm](w, r, pathUserID)
	if err != nil {
		return err
	}
	if f.Confirm != "yes" {
		return s.renderErase(w, r, http.StatusUnprocessableEntity, field.Errors{{Field: "confirm", Message: i18n.M("Tick the box to confirm that the account should be erased.")}})
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
	return redirect(w, r, views.UserHref(id))
}

// --- invitations

type inviteForm struct {
	Email   string   `form:"email"`
	Name    string   `form:"name"`
	Roles   []string `form:"roles"`
	Edition string   `form:"edition"`
}

// adminInvitePage shows the invitation form (GET /admin/invite), the current edition chosen.
func (s *Server) adminInvitePage(w http.ResponseWriter, r *http.Request) error {
	return s.renderInvite(w, r, http.StatusOK, nil, nil)
}

// renderInvite shows the invitation form f (nil: a new one, for the current edition).
func (s *Server) renderInvite(w http.ResponseWriter, r *http.Request, status int, f *inviteForm, errs field.Errors) error {
	c, err := account.LoadInviteChoices(r.Context(), s.pool)
	if err != nil {
		return err
	}
	if f == nil {
		f = &inviteForm{Edition: strconv.FormatInt(c.Current, 10)}
	}
	return s.render(w, r, status, pages.AdminInvite(adminInviteView(s.adminPage(r, i18n.M("Invite staff")), c.Editions, *f, errs)))
}

// staffRoleHints say what each staff role does, on the invitation form.
var staffRoleHints = map[authz.Role]string{
	authz.RoleSecretariat:   i18n.M("Runs round 1 (screening) and manages the edition."),
	authz.RoleEvaluator:     i18n.M("Scores applications in round 2."),
	authz.RoleCommitteeHead: i18n.M("Heads the Evaluation Committee; includes the evaluator role. One per edition."),
	authz.RoleCouncil:       i18n.M("Votes in round 3."),
	authz.RoleAdmin:         i18n.M("Accounts, roles, configuration and the audit log, in every edition."),
}

// adminInviteView is the invitation form f with its errors.
func adminInviteView(page components.Page, editions []edition.Summary, f inviteForm, errs field.Errors) pages.AdminInviteView {
	v := pages.AdminInviteView{
		Page:   page,
		Errors: errs,
		Email: components.Field{Name: "email", Label: i18n.M("Email address"), Type: "email", Value: f.Email, Required: true,
			Autocomplete: "off", Error: errs.Get("email")},
		Name: components.Field{Name: "name", Label: i18n.M("Name"), Value: f.Name, Required: true, Autocomplete: "off",
			Hint: i18n.M("How the invitation addresses the person; they can correct it."), Error: errs.Get("name")},
		Roles: pages.RoleChoices{Name: "roles", Legend: i18n.M("Roles"), Hint: i18n.M("Choose one or more. One person may hold several roles."), Error: errs.Get("roles")},
		Edition: components.Field{Name: "edition", Label: i18n.M("Edition"), Type: "select", Options: views.Options(i18n.M("Choose an edition"), f.Edition, editions, editionOption), Error: errs.Get("edition"),
			Hint: i18n.M("The roles are for this edition; administrator applies to all editions.")},
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
	if fe, ok := errors.AsType[field.Errors](err); ok {
		return s.renderInvite(w, r, http.StatusUnprocessableEntity, &f, fe)
	}
	if err != nil {
		return err
	}
	s.flash(ctx, inviteFlash(res))
	return redirect(w, r, views.UserHref(res.UserID))
}

// --- accepting an invitation (public: the token is the credential)

type acceptForm struct {
	Name     string `form:"name"`
	Password string `form:"password"`
	Repeat   string `form:"repeat"`
}

// invitePage shows the account set-up form of an invitation link (GET /invite/{token}).
func (s *Server) invitePage(w http.ResponseWriter, r *http.Request) error {
	return s.renderAccept(w, r, http.StatusOK, nil, nil)
}

// renderAccept shows the set-up form f (nil: a new one, with the name the invitation gave) of
// the invitation of the route's token, or that the link cannot be used.
func (s *Server) renderAccept(w http.ResponseWriter, r *http.Request, status int, f *acceptForm, errs field.Errors) error {
	token := chi.URLParam(r, "token")
	invitee, err := account.LoadInvitee(r.Context(), s.pool, token, s.now())
	if errors.Is(err, account.ErrTokenInvalid) {
		return s.render(w, r, http.StatusGone, pages.InviteLinkInvalid(s.page(r, "Invitation link cannot be used")))
	}
	if err != nil {
		return err
	}
	if f == nil {
		f = &acceptForm{Name: invitee.Name}
	}
	return s.render(w, r, status, pages.AcceptInvite(pages.AcceptInviteView{
		Page: s.page(r, "Set up your account"), Action: "/invite/" + token, Email: invitee.Email, Roles: views.Labels(invitee.Roles), Errors: errs,
		Name: components.Field{Name: "name", Label: i18n.M("Your name"), Value: f.Name, Required: true, Autocomplete: "name",
			Error: errs.Get("name")},
		Password: components.Field{Name: "password", Label: i18n.M("Password"), Type: "password", Required: true, Autocomplete: "new-password",
			Hint: i18n.M("At least 12 characters. A few unrelated words make a good password."), Error: errs.Get("password")},
		Repeat: components.Field{Name: "repeat", Label: i18n.M("Password again"), Type: "password", Required: true, Autocomplete: "new-password",
			Error: errs.Get("repeat")},
	}))
}

// inviteAccept sets the invitee's name and password, consumes the link and signs them in, through
// two-factor enrolment for staff (POST /invite/{token}).
func (s *Server) inviteAccept(w http.ResponseWriter, r *http.Request) error {
	var f acceptForm
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	userID, epoch, err := s.accounts.AcceptInvite(r.Context(), chi.URLParam(r, "token"), account.Acceptance{Name: f.Name, Password: f.Password, Repeat: f.Repeat})
	if fe, ok := errors.AsType[field.Errors](err); ok || errors.Is(err, account.ErrTokenInvalid) {
		return s.renderAccept(w, r, http.StatusUnprocessableEntity, &acceptForm{Name: f.Name}, fe)
	}
	if err != nil {
		return err
	}
	s.flash(r.Context(), "Your account is ready.")
	return s.completeSignIn(w, r, userID, epoch, "/dashboard")
}

// --- audit log

// adminAudit shows the audit log with filters and pages (GET /admin/audit).
func (s *Server) adminAudit(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f, errs := audit.ParseFilter(q, queryPage(q))
	var err error
	status, res := http.StatusOK, audit.Page{Page: 1, Pages: 1}
	if errs.Any() {
		status = http.StatusUnprocessableEntity
	} else if res, err = audit.Search(r.Context(), s.pool, f); err != nil {
		return err
	}
	return s.render(w, r, status, pages.AdminAudit(adminAuditView(s.adminPage(r, i18n.M("Audit log")), q, f, res, errs)))
}

// adminAuditView is the page of audit entries res, found with filter f from query q.
func adminAuditView(page components.Page, q url.Values, f audit.Filter, res audit.Page, errs field.Errors) pages.AdminAuditView {
	// labels and hints are marked (i18n.M) where they are written below
	input := func(name, label, typ, hint string) components.Field {
		return components.Field{Name: name, Label: label, Type: typ, Value: q.Get(name), Hint: hint, Error: errs.Get(name)}
	}
	v := pages.AdminAuditView{
		Page:       page,
		Errors:     errs,
		Action:     input("action", i18n.M("Action"), "text", i18n.M("The start of an action, e.g. \"role.\" or \"account.signin\".")),
		Actor:      input("actor", i18n.M("Actor"), "text", i18n.M("Login ID, email or name of who did it; any part of it.")),
		ObjectType: input("object_type", i18n.M("Object type"), "text", i18n.M("E.g. \"user\" or \"edition\".")),
		ObjectID:   input("object_id", i18n.M("Object ID"), "text", i18n.M("E.g. a user's number.")),
		From:       input("from", i18n.M("From (UTC date)"), "date", i18n.M("The first day, e.g. 2023-05-01.")),
		To:         input("to", i18n.M("To (UTC date)"), "date", i18n.M("The last day, included.")),
		Filtered:   f.Any() || q.Get("from") != "" || q.Get("to") != "",
		Pager:      views.PagerFor("/admin/audit", q, res.Page, res.Pages, res.Total, audit.PerPage, "entries"),
	}
	for _, e := range res.Rows {
		row := pages.AdminAuditRow{
			Time: i18n.Deadline(e.At, time.UTC), Datetime: e.At.UTC().Format(time.RFC3339), Action: e.Action,
			IP: e.IP, Details: e.Details, Actor: e.ActorText(),
		}
		if e.ActorID != 0 {
			row.ActorHref = views.UserHref(e.ActorID)
		}
		if e.ObjectType != "" {
			row.Object = i18n.Msg("{{.Type}} {{.ID}}", "Type", e.ObjectType, "ID", e.ObjectID)
			if id, err := strconv.ParseInt(e.ObjectID, 10, 64); e.ObjectType == "user" && err == nil {
				row.ObjectHref = views.UserHref(id)
			}
		}
		v.Rows = append(v.Rows, row)
	}
	return v
}
