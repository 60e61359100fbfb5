package server

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"prizeportal/internal/account"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/internal/jury"
	"prizeportal/web/components"
	"prizeportal/web/pages"
	"prizeportal/web/views"
)

// The jury of an edition (DOMAIN.md "People and roles"), appointed by its managers and the
// administrators: the route policy (authz.InEdition(authz.EditionManagers)) scopes the pages to
// an edition the actor manages, and internal/jury checks it again and repeats it in SQL.

// juryForm is an appointment as posted.
type juryForm struct {
	Name       string  `form:"name"`
	Email      string  `form:"email"`
	Post       string  `form:"post"`
	Categories []int64 `form:"categories"`
}

// juryPage lists the jury of an edition with the appointment form (GET /jury?edition=ID).
func (s *Server) juryPage(w http.ResponseWriter, r *http.Request) error {
	ed, picker, err := s.scope(r)
	if err != nil {
		return err
	}
	return s.renderJury(w, r, http.StatusOK, ed, picker, juryForm{}, nil)
}

// renderJury shows the jury of ed with the appointment form f and its problems.
func (s *Server) renderJury(w http.ResponseWriter, r *http.Request, status int, ed *edition.Edition, picker components.Field, f juryForm, errs field.Errors) error {
	ctx := r.Context()
	members, err := s.jury.Members(ctx, authz.ActorFrom(ctx), ed)
	if err != nil {
		return err
	}
	return s.render(w, r, status, pages.Jury(juryView(s.page(r, i18n.Msg("Jury, {{.Edition}}", "Edition", ed.Name)), ed, picker, members, f, errs)))
}

// juryPostOptions name each post of the jury with what it does, on the appointment form.
var juryPostOptions = map[jury.Post]string{
	jury.Evaluator:     i18n.M("Evaluator: scores the entries of their categories in round 2"),
	jury.CommitteeHead: i18n.M("Head of the Evaluation Committee: heads the Evaluation Committee and is one of its evaluators; one per edition"),
	jury.Council:       i18n.M("Prize Council member: votes in round 3"),
	jury.Chair:         i18n.M("Chair of the Prize Council: sits on the council, closes its votes and confirms the winners; replaces the current chair"),
	jury.DeputyHead:    i18n.M("Deputy head of the Evaluation Committee: an evaluator who decides for the semi-finalists of a category where the head has a conflict of interest; replaces the current deputy"),
	jury.DeputyChair:   i18n.M("Deputy chair of the Prize Council: a council member who closes the vote and confirms the winners of a category where the chair has a conflict of interest; replaces the current deputy"),
}

// juryStatus says where a member is in joining the jury.
func juryStatus(m jury.Member) string {
	switch {
	case m.Deactivated:
		return i18n.M("Account deactivated")
	case !m.Accepted:
		return i18n.M("Invited, has not set a password yet")
	case !m.TwoFactor:
		return i18n.M("Accepted, second factor not enrolled yet")
	}
	return i18n.M("Accepted, second factor enrolled")
}

// juryView is the jury page of ed with its members and the appointment form f.
func juryView(page components.Page, ed *edition.Edition, picker components.Field, members []jury.Member, f juryForm, errs field.Errors) pages.JuryView {
	v := pages.JuryView{
		Page: page, Edition: picker, Choose: len(picker.Options) > 1, Name: ed.Name, Errors: errs, Action: views.JuryHref(ed.ID),
		Person: components.Field{Name: "name", Label: i18n.M("Name"), Value: f.Name, Required: true, Autocomplete: "off",
			Hint: i18n.M("How the invitation addresses the person; they can correct it."), Error: errs.Get("name")},
		Email: components.Field{Name: "email", Label: i18n.M("Email address"), Type: "email", Value: f.Email, Required: true,
			Autocomplete: "off", Error: errs.Get("email")},
		Post: components.Field{Name: "post", Label: i18n.M("Role"), Type: "radio", Required: true, Error: errs.Get("post")},
		Categories: pages.RoleChoices{Name: "categories", Legend: i18n.M("Categories of expertise"),
			Hint: i18n.M("For an evaluator or the committee head: they are assigned the entries of these categories."), Error: errs.Get("categories")},
	}
	for _, p := range jury.Posts {
		v.Post.Options = append(v.Post.Options, components.Option{Value: string(p), Label: juryPostOptions[p], Selected: f.Post == string(p)})
	}
	names := map[int64]string{}
	for _, c := range ed.Categories {
		names[c.ID] = c.Name
		v.Categories.Options = append(v.Categories.Options, pages.RoleChoice{Value: strconv.FormatInt(c.ID, 10), Label: c.Name,
			Checked: slices.Contains(f.Categories, c.ID)})
	}
	for _, m := range members {
		row := pages.JuryMember{ID: strconv.FormatInt(m.UserID, 10), Name: m.Name, Email: m.Email, Status: juryStatus(m)}
		var expertise []string
		for _, id := range m.CategoryIDs {
			expertise = append(expertise, names[id])
		}
		row.Expertise = strings.Join(expertise, ", ")
		for _, p := range m.Posts {
			row.Posts = append(row.Posts, pages.JuryPost{Label: p.Label(),
				Revoke: views.JuryMemberHref(ed.ID, m.UserID, "revoke") + "&post=" + string(p)})
		}
		if !m.Accepted && !m.Deactivated {
			row.Resend = views.JuryMemberHref(ed.ID, m.UserID, "resend")
		}
		v.Members = append(v.Members, row)
	}
	return v
}

// juryAppoint appoints a person to the jury (POST /jury?edition=ID): the account (or its new
// role), the expertise or the chair, and the email are written in one transaction.
func (s *Server) juryAppoint(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ed, picker, f, err := loadThenForm[juryForm](w, r, s.scope)
	if err != nil {
		return err
	}
	res, err := s.jury.Appoint(ctx, authz.ActorFrom(ctx), ed, jury.Appointment{Name: f.Name, Email: f.Email, Post: jury.Post(f.Post), CategoryIDs: f.Categories})
	return s.formDone(w, r, err, func(errs field.Errors) error {
		return s.renderJury(w, r, http.StatusUnprocessableEntity, ed, picker, f, errs)
	}, juryFlash(res, jury.Post(f.Post)), views.JuryHref(ed.ID))
}

// juryFlash says what an appointment to post did: the invitation (inviteFlash), and the chair
// or the expertise, which change even when the person already held the role.
func juryFlash(res account.InviteResult, post jury.Post) string {
	held := !res.Created && res.Token == "" && len(res.Granted) == 0
	switch {
	case post == jury.Chair && held:
		return i18n.Msg("{{.Email}} now chairs the Prize Council.", "Email", res.Email)
	case post == jury.Chair:
		return i18n.Msg("{{.Invitation}} They now chair the Prize Council.", "Invitation", inviteFlash(res))
	case post.Deputy() != "" && held:
		return i18n.Msg("{{.Email}} is now {{.Post}}.", "Email", res.Email, "Post", post.Label())
	case post.Deputy() != "":
		return i18n.Msg("{{.Invitation}} They are now {{.Post}}.", "Invitation", inviteFlash(res), "Post", post.Label())
	case post.Expert() && held:
		return i18n.Msg("{{.Email}} already held this role; their expertise was saved.", "Email", res.Email)
	}
	return inviteFlash(res)
}

// juryMember is the edition of the route's scope and the member {id} of its jury routes.
func (s *Server) juryMember(r *http.Request) (*edition.Edition, int64, error) {
	ed, _, err := s.scope(r)
	if err != nil {
		return nil, 0, err
	}
	id, err := pathUserID(r)
	return ed, id, err
}

// juryResend sends a member who has not accepted a new invitation link
// (POST /jury/{id}/resend?edition=ID).
func (s *Server) juryResend(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ed, id, err := s.juryMember(r)
	if err != nil {
		return err
	}
	res, err := s.jury.Resend(ctx, authz.ActorFrom(ctx), ed, id)
	return s.flashThen(w, r, err, views.JuryHref(ed.ID), func() string { return inviteFlash(res) })
}

// juryRevokePage asks for the reason of revoking a post of the jury
// (GET /jury/{id}/revoke?edition=ID&post=P).
func (s *Server) juryRevokePage(w http.ResponseWriter, r *http.Request) error {
	return s.renderJuryRevoke(w, r, http.StatusOK, revokeForm{Role: r.URL.Query().Get("post")}, nil)
}

// renderJuryRevoke asks for the reason of revoking the post f names from the member of the
// route; a post they do not hold is a missing page.
func (s *Server) renderJuryRevoke(w http.ResponseWriter, r *http.Request, status int, f revokeForm, errs field.Errors) error {
	ctx := r.Context()
	ed, id, err := s.juryMember(r)
	if err != nil {
		return err
	}
	m, err := s.jury.Member(ctx, authz.ActorFrom(ctx), ed, id)
	if err != nil {
		return err
	}
	p := jury.Post(f.Role)
	if !m.Holds(p) {
		return errNotFound
	}
	return s.render(w, r, status, pages.AdminRevoke(pages.AdminRevokeView{
		Page:     s.page(r, "Revoke a role"),
		UserName: m.Name, UserHref: views.JuryHref(ed.ID), Back: i18n.M("Back to the jury"), Action: views.JuryMemberHref(ed.ID, id, "revoke"),
		Role: p.Label(), Edition: ed.Name, RoleKey: string(p), EdKey: strconv.FormatInt(ed.ID, 10),
		Reason: reasonField(f.Reason, errs), Errors: errs,
	}))
}

// juryRevoke revokes a post of the jury with a reason (POST /jury/{id}/revoke?edition=ID).
func (s *Server) juryRevoke(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ed, id, f, err := loadThenForm[revokeForm](w, r, s.juryMember)
	if err != nil {
		return err
	}
	f.Reason = strings.TrimSpace(f.Reason)
	err = s.jury.Revoke(ctx, authz.ActorFrom(ctx), ed, id, jury.Post(f.Role), f.Reason)
	if errs, status, ok := formRefusal(w, err, "reason"); ok {
		return s.renderJuryRevoke(w, r, status, f, errs)
	} else if err != nil {
		return err
	}
	s.flash(ctx, i18n.Msg("Revoked the role {{.Role}}.", "Role", jury.Post(f.Role).Label()))
	return redirect(w, r, views.JuryHref(ed.ID))
}

// inviteFlash says what an invitation did (account.Service.Invite).
func inviteFlash(res account.InviteResult) string {
	switch {
	case res.Created:
		return i18n.Msg("Invitation sent to {{.Email}}. The link works for 7 days.", "Email", res.Email)
	case res.Token != "":
		return i18n.Msg("A new invitation was sent to {{.Email}}; the earlier link no longer works.", "Email", res.Email)
	case len(res.Granted) > 0:
		return i18n.Msg("{{.Email}} already has an account: the roles were added and the person was told by email.", "Email", res.Email)
	}
	return i18n.Msg("{{.Email}} already holds these roles; nothing was changed.", "Email", res.Email)
}
