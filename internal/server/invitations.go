package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/internal/invitation"
	"prizeportal/web/components"
	"prizeportal/web/pages"
	"prizeportal/web/views"
)

// Secretariat-initiated entries (invitation.Service; DOMAIN.md "Registration": the secretariat may
// itself nominate or recommend an eligible entity and invite it to apply). The secretariat
// invites an entity by email; the email links to /register?invitation=<token>, the registration
// form with the category and entity type chosen and the contact's details filled in. The link
// (invitation.LinkPurpose) works until the application deadline and only once; sending again
// replaces it. Registering through it records the account the invitation led to, and the page
// shows, per invitation and in total, whether that account registered, started and submitted.

// invitationForm is the posted invitation form.
type invitationForm struct {
	Email        string `form:"email"`
	Name         string `form:"name"`
	Organisation string `form:"organisation"`
	EntityType   string `form:"entity_type"`
	Category     string `form:"category"`
	Message      string `form:"message"`
}

// renderInvitations loads the invitations of ed and renders the page.
func (s *Server) renderInvitations(w http.ResponseWriter, r *http.Request, status int, ed *edition.Edition, picker components.Field, f invitationForm, errs field.Errors) error {
	ctx := r.Context()
	sum, list, err := s.invitations.Overview(ctx, authz.ActorFrom(ctx), ed.ID, queryPage(r.URL.Query()))
	if err != nil {
		return err
	}
	return s.render(w, r, status, pages.Invitations(s.invitationsView(r, ed, picker, f, errs, sum, list)))
}

// invitationsView is the invitations page of ed. No I/O.
func (s *Server) invitationsView(r *http.Request, ed *edition.Edition, picker components.Field, f invitationForm, errs field.Errors,
	sum invitation.Summary, list invitation.List) pages.InvitationsView {
	q := r.URL.Query()
	loc := ed.TimeZone
	v := pages.InvitationsView{
		Page:     s.page(r, i18n.Msg("Invitations to apply, {{.Edition}}", "Edition", ed.Name)),
		Edition:  picker,
		Choose:   len(picker.Options) > 1,
		Name:     ed.Name,
		Deadline: i18n.End(ed.Schedule.ApplicationDeadline, loc),
		Closed:   s.invitations.Closed(ed),
		Summary: []pages.Fact{
			{Label: i18n.M("Invitations sent"), Value: strconv.Itoa(sum.Sent)},
			{Label: i18n.M("Registered"), Value: strconv.Itoa(sum.Registered)},
			{Label: i18n.M("Started an application"), Value: strconv.Itoa(sum.Started)},
			{Label: i18n.M("Submitted"), Value: strconv.Itoa(sum.Submitted)},
		},
		Action: views.InvitationsHref(ed.ID),
		Errors: errs,
		Pager:  views.PagerFor("/secretariat/invitations", q, list.Page, list.Pages, list.Total, invitation.PerPage, "invitations"),
	}
	types := []components.Option{{Value: "", Label: i18n.M("Choose an entity type")}}
	for _, t := range ed.EntityTypes {
		types = append(types, components.Option{Value: t.Key, Label: t.Name, Selected: t.Key == f.EntityType})
	}
	cats := []components.Option{{Value: "", Label: i18n.M("Choose a category")}}
	for _, c := range ed.Categories {
		var open []string
		for _, k := range c.EligibleTypes {
			open = append(open, invitation.EntityTypeName(ed, k))
		}
		cats = append(cats, components.Option{Value: c.Key, Label: i18n.Msg("{{.Category}} (for {{.Types}})", "Category", c.Name, "Types", invitation.OrList(open)), Selected: c.Key == f.Category})
	}
	v.Fields = []components.Field{
		{Name: "name", Label: i18n.M("Contact name"), Value: f.Name, Required: true, MaxLength: 300, Autocomplete: "off",
			Hint: i18n.M("The person the email is addressed to.")},
		{Name: "email", Label: i18n.M("Email address"), Type: "email", Value: f.Email, Required: true, MaxLength: 300, Autocomplete: "off",
			Hint: i18n.M("The invitation goes here. It also fills in the registration form; the invitee may change it.")},
		{Name: "organisation", Label: i18n.M("Organisation"), Value: f.Organisation, MaxLength: 300, Autocomplete: "off",
			Hint: i18n.M("The city government, company or institution invited. Optional for an individual.")},
		{Name: "entity_type", Label: i18n.M("Entity type"), Type: "select", Required: true, Options: types,
			Hint: i18n.M("What the invitee registers as. Invite an individual to Leadership to ask them to make nominations.")},
		{Name: "category", Label: i18n.M("Category"), Type: "select", Required: true, Options: cats,
			Hint: i18n.M("Only a category open to the entity type can be chosen: City, Company and Institution enter the project categories, an Individual Leadership.")},
		{Name: "message", Label: i18n.M("Personal message (optional)"), Type: "textarea", Value: f.Message, MaxLength: invitation.MaxMessage,
			Hint: i18n.M("Added to the email, e.g. why the secretariat recommends the entity.")},
	}
	for _, i := range list.Rows {
		row := pages.InvitationRow{
			Name: i.Name, Email: i.Email, Organisation: i.Organisation, Status: i.Stage.Label(),
			Category: i18n.Msg("{{.Category}}, as {{.Type}}", "Category", i.Category, "Type", invitation.EntityTypeName(ed, i.EntityType)), Steps: i.Steps(loc, v.Closed != ""),
		}
		if i.AcceptedAt == nil && v.Closed == "" {
			row.ResendAction = "/secretariat/invitations/" + strconv.FormatInt(i.ID, 10) + "/resend"
		}
		v.Rows = append(v.Rows, row)
	}
	return v
}

// secretariatInvitations shows the invitations of an edition, their summary and the form that
// sends one (GET /secretariat/invitations?edition=ID).
func (s *Server) secretariatInvitations(w http.ResponseWriter, r *http.Request) error {
	ed, picker, err := s.scope(r)
	if err != nil {
		return err
	}
	return s.renderInvitations(w, r, http.StatusOK, ed, picker, invitationForm{}, nil)
}

// secretariatInvite sends an invitation (POST /secretariat/invitations?edition=ID;
// invitation.Service.Send).
func (s *Server) secretariatInvite(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ed, picker, f, err := loadThenForm[invitationForm](w, r, s.scope)
	if err != nil {
		return err
	}
	in := invitation.Input{Email: f.Email, Name: f.Name, Organisation: f.Organisation, EntityType: f.EntityType,
		Category: f.Category, Message: f.Message}
	cat, err := s.invitations.Send(ctx, authz.ActorFrom(ctx), ed, in)
	var invalid *invitation.InvalidError
	switch {
	case errors.Is(err, invitation.ErrClosed):
		return s.renderInvitations(w, r, http.StatusForbidden, ed, picker, f, nil)
	case errors.As(err, &invalid):
		return s.renderInvitations(w, r, http.StatusUnprocessableEntity, ed, picker, f, invalid.Fields)
	case err != nil:
		return err
	}
	in.Normalize()
	s.flash(ctx, i18n.Msg("We emailed an invitation to {{.Name}} at {{.Email}} to register for {{.Category}}.", "Name", in.Name, "Email", in.Email, "Category", cat.Name))
	return redirect(w, r, views.InvitationsHref(ed.ID))
}

// secretariatInvitationResend emails an open invitation again with a fresh link; the earlier
// links stop working (POST /secretariat/invitations/{id}/resend; invitation.Service.Resend).
func (s *Server) secretariatInvitationResend(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	_, id, err := formThenLoadOne[struct{}](w, r, routeID)
	if err != nil {
		return err
	}
	inv, err := s.invitations.Resend(ctx, authz.ActorFrom(ctx), id)
	// Refused: closed, or used to register already.
	return s.flashThen(w, r, err, views.InvitationsHref(inv.EditionID), func() string {
		return i18n.Msg("We emailed the invitation to {{.Email}} again with a new link; the earlier link no longer works.", "Email", inv.Email)
	})
}

// --- the invitee's registration (GET and POST /register with an invitation)

// invitationLink is what an invitation link's page says when it cannot be used; contact is the
// edition's address.
func invitationLink(e *edition.Edition) linkTexts {
	return linkTexts{contact: e.ContactEmail,
		used:    i18n.M("This invitation has already been used to create an account, or the secretariat sent a newer one: use the link in the newest email, or sign in if you registered already. You can also register without an invitation."),
		expired: i18n.M("This invitation expired at the application deadline. Registration may have closed; write to the secretariat if you need help.")}
}

// registerInvited opens the registration form of an invitation: the entity type and category
// chosen, the email, name and organisation filled in (GET /register?invitation=token).
func (s *Server) registerInvited(w http.ResponseWriter, r *http.Request, e *edition.Edition, closed, token string) error {
	open := func(ctx context.Context, token string) (invitation.Invitation, error) {
		return s.invitations.ForRegistration(ctx, token, e.ID)
	}
	return linkPage(w, r, token, open, invitationLink(e).problem(s), func(inv invitation.Invitation) error {
		f := registerForm{EntityType: inv.EntityType, Category: inv.CategoryKey, Email: inv.Email, Name: inv.Name,
			Organisation: inv.Organisation, Invitation: token}
		return s.renderRegister(w, r, http.StatusOK, e, closed, f, nil)
	})
}

// invitationIntro is what the registration form says about the invitation of token; nil when
// the token opens none.
func (s *Server) invitationIntro(ctx context.Context, token string) []string {
	inv, err := s.invitations.Open(ctx, token)
	if err != nil {
		return nil
	}
	out := []string{i18n.Msg("The secretariat invited you to register for {{.Category}}. We filled in the details from the invitation: check them and change what needs changing.", "Category", inv.Category)}
	if inv.Message != "" {
		out = append(out, i18n.Msg("A message from the secretariat: {{.Message}}", "Message", inv.Message))
	}
	return out
}
