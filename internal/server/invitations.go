package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"

	"prizeportal/internal/audit"
	"prizeportal/internal/authz"
	"prizeportal/internal/db"
	"prizeportal/internal/edition"
	"prizeportal/internal/field"
	"prizeportal/internal/invitation"
	"prizeportal/internal/link"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
	"prizeportal/web/components"
	"prizeportal/web/pages"
)

// Secretariat-initiated entries (issue 6 item 6; DOMAIN.md "Registration": the secretariat may
// itself nominate or recommend an eligible entity and invite it to apply). The secretariat
// invites an entity by email; the email links to /register?invitation=<token>, the registration
// form with the category and entity type chosen and the contact's details filled in. The link
// (invitation.LinkPurpose) works until the application deadline and only once; sending again
// replaces it. Registering through it records the account the invitation led to, and the page
// shows, per invitation and in total, whether that account registered, started and submitted.

// invitationsHref is the invitations page of edition id.
func invitationsHref(id int64) string {
	return "/secretariat/invitations?edition=" + strconv.FormatInt(id, 10)
}

// invitationForm is the posted invitation form.
type invitationForm struct {
	Email        string `form:"email"`
	Name         string `form:"name"`
	Organisation string `form:"organisation"`
	EntityType   string `form:"entity_type"`
	Category     string `form:"category"`
	Message      string `form:"message"`
}

// invitationsClosed says why no invitation can be sent in ed now ("" while they can): the links
// expire at the application deadline.
func (s *Server) invitationsClosed(ed *edition.Edition) string {
	if s.now().Before(ed.Schedule.ApplicationDeadline) {
		return ""
	}
	return "The application deadline passed on " + endStamp(ed.Schedule.ApplicationDeadline, ed.TimeZone) +
		": nobody can register any more, so no invitation can be sent."
}

// entityTypeName is the name of entity type key in ed (the key when unknown).
func entityTypeName(ed *edition.Edition, key string) string {
	if et, ok := ed.EntityType(key); ok {
		return et.Name
	}
	return key
}

func (s *Server) renderInvitations(w http.ResponseWriter, r *http.Request, status int, ed *edition.Edition, picker components.Field, f invitationForm, errs field.Errors) error {
	ctx := r.Context()
	actor := authz.ActorFrom(ctx)
	q := r.URL.Query()
	sum, err := invitation.Summarize(ctx, s.pool, actor.UserID, ed.ID)
	if err != nil {
		return err
	}
	list, err := invitation.ListForSecretariat(ctx, s.pool, actor.UserID, ed.ID, queryPage(q))
	if err != nil {
		return err
	}
	loc := ed.TimeZone
	v := pages.InvitationsView{
		Page:     s.page(r, "Invitations to apply, "+ed.Name),
		Edition:  picker,
		Choose:   len(picker.Options) > 1,
		Name:     ed.Name,
		Deadline: endStamp(ed.Schedule.ApplicationDeadline, loc),
		Closed:   s.invitationsClosed(ed),
		Summary: []pages.Fact{
			{Label: "Invitations sent", Value: strconv.Itoa(sum.Sent)},
			{Label: "Registered", Value: strconv.Itoa(sum.Registered)},
			{Label: "Started an application", Value: strconv.Itoa(sum.Started)},
			{Label: "Submitted", Value: strconv.Itoa(sum.Submitted)},
		},
		Action: invitationsHref(ed.ID),
		Errors: errs,
		Pager:  pagerFor("/secretariat/invitations", q, list.Page, list.Pages, list.Total, invitation.PerPage, "invitations"),
	}
	types := []components.Option{{Value: "", Label: "Choose an entity type"}}
	for _, t := range ed.EntityTypes {
		types = append(types, components.Option{Value: t.Key, Label: t.Name, Selected: t.Key == f.EntityType})
	}
	cats := []components.Option{{Value: "", Label: "Choose a category"}}
	for _, c := range ed.Categories {
		var open []string
		for _, k := range c.EligibleTypes {
			open = append(open, entityTypeName(ed, k))
		}
		cats = append(cats, components.Option{Value: c.Key, Label: c.Name + " (for " + invitationOrList(open) + ")", Selected: c.Key == f.Category})
	}
	v.Fields = []components.Field{
		{Name: "name", Label: "Contact name", Value: f.Name, Required: true, MaxLength: 300, Autocomplete: "off",
			Hint: "The person the email is addressed to."},
		{Name: "email", Label: "Email address", Type: "email", Value: f.Email, Required: true, MaxLength: 300, Autocomplete: "off",
			Hint: "The invitation goes here. It also fills in the registration form; the invitee may change it."},
		{Name: "organisation", Label: "Organisation", Value: f.Organisation, MaxLength: 300, Autocomplete: "off",
			Hint: "The city government, company or institution invited. Optional for an individual."},
		{Name: "entity_type", Label: "Entity type", Type: "select", Required: true, Options: types,
			Hint: "What the invitee registers as. Invite an individual to Leadership to ask them to make nominations."},
		{Name: "category", Label: "Category", Type: "select", Required: true, Options: cats,
			Hint: "Only a category open to the entity type can be chosen: City, Company and Institution enter the project categories, an Individual Leadership."},
		{Name: "message", Label: "Personal message (optional)", Type: "textarea", Value: f.Message, MaxLength: invitation.MaxMessage,
			Hint: "Added to the email, e.g. why the secretariat recommends the entity."},
	}
	for _, i := range list.Rows {
		row := pages.InvitationRow{
			Name: i.Name, Email: i.Email, Organisation: i.Organisation, Status: i.Stage.Label(),
			Category: i.Category + ", as " + entityTypeName(ed, i.EntityType),
			Steps:    []string{"Sent " + formatInstant(i.InvitedAt, loc) + " by " + i.InviterName},
		}
		if i.SentCount > 1 {
			row.Steps = append(row.Steps, "Sent again "+formatInstant(i.LastSentAt, loc)+" ("+strconv.Itoa(i.SentCount)+" emails in all)")
		}
		if i.AcceptedAt != nil {
			row.Steps = append(row.Steps, "Account created "+formatInstant(*i.AcceptedAt, loc))
		} else if v.Closed == "" {
			row.ResendAction = "/secretariat/invitations/" + strconv.FormatInt(i.ID, 10) + "/resend"
		} else {
			row.Steps = append(row.Steps, "Not used: the link expired at the application deadline")
		}
		if i.StartedAt != nil {
			row.Steps = append(row.Steps, "Application started "+formatInstant(*i.StartedAt, loc))
		}
		if i.SubmittedAt != nil {
			row.Steps = append(row.Steps, "Submitted "+formatInstant(*i.SubmittedAt, loc))
		}
		v.Rows = append(v.Rows, row)
	}
	return s.render(w, r, status, pages.Invitations(v))
}

// secretariatInvitations shows the invitations of an edition, their summary and the form that
// sends one (GET /secretariat/invitations?edition=ID).
func (s *Server) secretariatInvitations(w http.ResponseWriter, r *http.Request) error {
	ed, picker, err := s.secretariatEdition(r)
	if err != nil {
		return err
	}
	return s.renderInvitations(w, r, http.StatusOK, ed, picker, invitationForm{}, nil)
}

// secretariatInvite stores an invitation, issues its link, audits it and queues the email, in
// one transaction (POST /secretariat/invitations?edition=ID).
func (s *Server) secretariatInvite(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ed, picker, err := s.secretariatEdition(r)
	if err != nil {
		return err
	}
	var f invitationForm
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	if s.invitationsClosed(ed) != "" {
		return s.renderInvitations(w, r, http.StatusForbidden, ed, picker, f, nil)
	}
	in := invitation.Input{Email: f.Email, Name: f.Name, Organisation: f.Organisation, EntityType: f.EntityType,
		Category: f.Category, Message: f.Message}
	in.Normalize()
	cat, errs := in.Validate(ed)
	if errs.Any() {
		return s.renderInvitations(w, r, http.StatusUnprocessableEntity, ed, picker, f, errs)
	}
	actor := authz.ActorFrom(ctx)
	now := s.now()
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		id, err := invitation.Create(ctx, tx, actor.UserID, ed.ID, cat.ID, in, now)
		if err != nil {
			return err
		}
		token, err := link.New(ctx, tx, invitation.LinkPurpose, id, ed.Schedule.ApplicationDeadline, now)
		if err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: "invitation.send", ObjectType: "invitation",
			ObjectID: strconv.FormatInt(id, 10), IP: s.clientIP(r),
			Details: map[string]any{"edition": ed.Slug, "category": cat.Key, "entity_type": in.EntityType, "email": in.Email}}); err != nil {
			return err
		}
		_, err = s.outbox.Queue(ctx, tx, s.invitationEmail(ed, cat, in.EntityType, in.Name, in.Email, in.Message, token, false))
		return err
	})
	switch {
	case errors.Is(err, invitation.ErrAlreadyInvited):
		errs.Add("email", "This address was already invited to the "+ed.Name+" and has not registered yet: send that invitation again from the list below.")
	case errors.Is(err, invitation.ErrHasAccount):
		errs.Add("email", "An account already uses this address, so nobody can register with it. Invite another address, or write to the account holder directly.")
	case err != nil:
		return err
	}
	if errs.Any() {
		return s.renderInvitations(w, r, http.StatusUnprocessableEntity, ed, picker, f, errs)
	}
	s.flash(ctx, "We emailed an invitation to "+in.Name+" at "+in.Email+" to register for "+cat.Name+".")
	return redirect(w, r, invitationsHref(ed.ID))
}

// secretariatInvitationResend emails an open invitation again with a fresh link; the earlier
// links stop working (POST /secretariat/invitations/{id}/resend).
func (s *Server) secretariatInvitationResend(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := decodeForm(w, r, &struct{}{}); err != nil {
		return err
	}
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		return errNotFound
	}
	actor := authz.ActorFrom(ctx)
	inv, err := invitation.ForSecretariat(ctx, s.pool, actor.UserID, id)
	if err != nil {
		return err
	}
	if !authz.CanManageApplications(actor, inv.EditionID) {
		return authz.ErrForbidden
	}
	ed, err := edition.ByID(ctx, s.pool, inv.EditionID)
	if err != nil {
		return err
	}
	back := invitationsHref(ed.ID)
	if msg := s.invitationsClosed(ed); msg != "" {
		s.flash(ctx, msg)
		return redirect(w, r, back)
	}
	cat, ok := ed.Category(inv.CategoryKey)
	if !ok {
		return db.ErrNotFound
	}
	now := s.now()
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		if err := invitation.Resent(ctx, tx, actor.UserID, id, now); err != nil {
			return err
		}
		if err := link.Withdraw(ctx, tx, invitation.LinkPurpose, id, now); err != nil {
			return err
		}
		token, err := link.New(ctx, tx, invitation.LinkPurpose, id, ed.Schedule.ApplicationDeadline, now)
		if err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: "invitation.resend", ObjectType: "invitation",
			ObjectID: strconv.FormatInt(id, 10), IP: s.clientIP(r), Details: map[string]any{"email": inv.Email}}); err != nil {
			return err
		}
		_, err = s.outbox.Queue(ctx, tx, s.invitationEmail(ed, cat, inv.EntityType, inv.Name, inv.Email, inv.Message, token, true))
		return err
	})
	switch {
	case errors.Is(err, invitation.ErrAccepted):
		s.flash(ctx, inv.Name+" has already registered through the invitation: there is nothing to send again.")
	case err != nil:
		return err
	default:
		s.flash(ctx, "We emailed the invitation to "+inv.Email+" again with a new link; the earlier link no longer works.")
	}
	return redirect(w, r, back)
}

// invitationEmail is the invitation to register for cat as entity type entityType, with the
// link of token; again marks a resend.
func (s *Server) invitationEmail(ed *edition.Edition, cat *edition.Category, entityType, name, email, message, token string, again bool) notify.Message {
	loc := ed.TimeZone
	invite := "The secretariat of the " + ed.Name + " invites you to apply for the " + cat.Name + " prize, as " +
		withArticle(entityTypeName(ed, entityType)) + "."
	if cat.Kind == edition.KindLeadership {
		invite = "The secretariat of the " + ed.Name + " invites you to nominate candidates for the " + cat.Name +
			" prize: people whose leadership made their city smarter and more humane."
	}
	paras := []string{invite}
	if message != "" {
		paras = append(paras, "A message from the secretariat: "+message)
	}
	paras = append(paras, "Follow the link to create your account: the category is already chosen and your details are filled in. You can then prepare your entry, save it as a draft and submit it before the deadline.")
	if s.now().Before(ed.Schedule.ApplicationsOpen) {
		paras = append(paras, "Registration opens on "+formatInstant(ed.Schedule.ApplicationsOpen, loc)+".")
	}
	note := "The link is personal and works once, until the application deadline, " + endStamp(ed.Schedule.ApplicationDeadline, loc) + "."
	if again {
		note = "This email replaces an earlier invitation: its link no longer works. " + note
	}
	if ed.ContactEmail != "" {
		note += " Questions: " + ed.ContactEmail + "."
	}
	return actionMessage("entry-invitation", email, name, "An invitation to enter the "+ed.Name, 0, emails.ActionEmail{
		Meta:        s.emailMeta(ed),
		Title:       "An invitation to enter the " + ed.Name,
		Greeting:    "Dear " + name + ",",
		Paragraphs:  paras,
		ActionLabel: "Register for " + cat.Name,
		ActionURL:   s.absURL("/register?invitation=" + token),
		Note:        note,
	})
}

// invitationOrList joins names as "A, B or C".
func invitationOrList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// withArticle puts "a" or "an" before a noun.
func withArticle(noun string) string {
	if noun != "" && strings.ContainsRune("AEIOUaeiou", rune(noun[0])) {
		return "an " + noun
	}
	return "a " + noun
}

// --- the invitee's registration (GET and POST /register with an invitation)

// invitationLinkProblem explains an invitation link that cannot be used.
func (s *Server) invitationLinkProblem(w http.ResponseWriter, r *http.Request, e *edition.Edition, err error) error {
	return s.renderLinkProblem(w, r, err, e.ContactEmail,
		"This invitation has already been used to create an account, or the secretariat sent a newer one: use the link in the newest email, or sign in if you registered already. You can also register without an invitation.",
		"This invitation expired at the application deadline. Registration may have closed; write to the secretariat if you need help.")
}

// registerInvited opens the registration form of an invitation: the entity type and category
// chosen, the email, name and organisation filled in (GET /register?invitation=token).
func (s *Server) registerInvited(w http.ResponseWriter, r *http.Request, e *edition.Edition, closed, token string) error {
	inv, err := invitation.Open(r.Context(), s.pool, token, s.now())
	if err == nil && inv.EditionID != e.ID {
		err = link.ErrExpired // an invitation to an earlier edition
	}
	if err != nil {
		return s.invitationLinkProblem(w, r, e, err)
	}
	f := registerForm{EntityType: inv.EntityType, Category: inv.CategoryKey, Email: inv.Email, Name: inv.Name,
		Organisation: inv.Organisation, Invitation: token}
	return s.renderRegister(w, r, http.StatusOK, e, closed, f, nil)
}

// invitationIntro is what the registration form says about the invitation of token; nil when
// the token opens none.
func (s *Server) invitationIntro(ctx context.Context, token string) []string {
	inv, err := invitation.Open(ctx, s.pool, token, s.now())
	if err != nil {
		return nil
	}
	out := []string{"The secretariat invited you to register for " + inv.Category + ". We filled in the details from the invitation: check them and change what needs changing."}
	if inv.Message != "" {
		out = append(out, "A message from the secretariat: "+inv.Message)
	}
	return out
}

// acceptInvitation records, in the registration's transaction, that userID registered through
// the invitation of token in edition e. A link that can no longer be used does not stop the
// registration: the account is then simply not linked to the invitation.
func (s *Server) acceptInvitation(ctx context.Context, tx pgx.Tx, r *http.Request, e *edition.Edition, token string, userID int64) error {
	inv, err := invitation.Accept(ctx, tx, token, e.ID, userID, s.now())
	if errors.Is(err, link.ErrUnknown) || errors.Is(err, link.ErrUsed) || errors.Is(err, link.ErrExpired) {
		return nil
	}
	if err != nil {
		return err
	}
	return audit.Record(ctx, tx, audit.Entry{ActorID: userID, Action: "invitation.accept", ObjectType: "invitation",
		ObjectID: strconv.FormatInt(inv.ID, 10), IP: s.clientIP(r), Details: map[string]any{"user": userID, "category": inv.CategoryKey}})
}
