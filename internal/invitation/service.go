package invitation

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/i18n"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/audit"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/blocks/link"
	"prizeportal/internal/blocks/timefmt"
	"prizeportal/internal/db"
	"prizeportal/internal/edition"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
	"prizeportal/internal/notify/wording"
)

// Service holds the use cases of the secretariat's invitations to apply (DOMAIN.md
// "Registration": the secretariat may itself nominate or recommend an eligible entity and invite
// it to apply). Each method that writes opens its transaction, checks the rule it documents,
// records the audit entry and queues the email.
type Service struct {
	usecase.Deps
}

// ErrClosed is what a *ClosedError is (errors.Is).
var ErrClosed = fault.New(fault.Forbidden, "The application deadline has passed: no invitation can be sent.")

// ClosedError refuses an invitation after the application deadline; Reason says so in words for
// the secretariat.
type ClosedError struct{ Reason string }

func (e *ClosedError) Error() string { return "invitation: closed: " + i18n.English(e.Reason) }
func (e *ClosedError) Unwrap() error { return ErrClosed }

// ErrInvalid is what an *InvalidError is (errors.Is).
var ErrInvalid = fault.New(fault.Invalid, "Check the invitation: some of it cannot be accepted.")

// InvalidError refuses an invitation that breaks a rule; Fields say which, by the form's field
// names (Input.Validate).
type InvalidError struct{ Fields field.Errors }

func (e *InvalidError) Error() string { return "invitation: invalid input" }
func (e *InvalidError) Unwrap() error { return ErrInvalid }

// Closed says why no invitation can be sent in ed at now ("" while they can): the links expire
// at the application deadline, after which nobody can register.
func Closed(ed *edition.Edition, now time.Time) string {
	if now.Before(ed.Schedule.ApplicationDeadline) {
		return ""
	}
	return i18n.Msg("The application deadline passed on {{.When}}: nobody can register any more, so no invitation can be sent.",
		"When", i18n.End(ed.Schedule.ApplicationDeadline, ed.TimeZone))
}

// Closed says why no invitation can be sent in ed now ("" while they can).
func (s *Service) Closed(ed *edition.Edition) string { return Closed(ed, s.Now()) }

// EntityTypeName is the name of entity type key in ed (the key when unknown).
func EntityTypeName(ed *edition.Edition, key string) string {
	if et, ok := ed.EntityType(key); ok {
		return et.Name
	}
	return key
}

// Overview is one page of edition editionID's invitations with the edition's summary, for the
// secretariat member actor (the store's SQL filter keeps each to the editions they serve).
func (s *Service) Overview(ctx context.Context, actor authz.Actor, editionID int64, page int) (Summary, List, error) {
	sum, err := Summarize(ctx, s.Pool, actor.UserID, editionID)
	if err != nil {
		return Summary{}, List{}, err
	}
	list, err := ListForSecretariat(ctx, s.Pool, actor.UserID, editionID, page)
	return sum, list, err
}

// Send invites the entity of in to register in ed on behalf of the secretariat member actor: it
// stores the invitation, issues its private link (valid until the application deadline, once),
// audits it and queues the email, in one transaction, and returns the category invited to. The
// rules: only the secretariat of ed (authz.ErrForbidden; repeated in SQL by Create); before the
// application deadline (*ClosedError); a category open to the entity type (DOMAIN.md
// "Registration"; *InvalidError); an address whose account cannot enter ed (ErrHasAccount: a
// staff account, or one registered in ed already) and with no open invitation in ed
// (ErrAlreadyInvited); those two come with an *InvalidError saying so on the email field. An
// entrant's account of an earlier edition may be invited: its email asks it to sign in and start
// its entry (the returning participant accepts there).
func (s *Service) Send(ctx context.Context, actor authz.Actor, ed *edition.Edition, in Input) (*edition.Category, error) {
	if !authz.CanManageApplications(actor, ed.ID) {
		return nil, authz.ErrForbidden
	}
	now := s.Now()
	if why := Closed(ed, now); why != "" {
		return nil, &ClosedError{Reason: why}
	}
	in.Normalize()
	cat, errs := in.Validate(ed)
	if errs.Any() {
		return nil, &InvalidError{Fields: errs}
	}
	err := db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		id, err := Create(ctx, tx, actor.UserID, ed.ID, cat.ID, in, now)
		if err != nil {
			return err
		}
		token, err := link.New(ctx, tx, LinkPurpose, id, ed.Schedule.ApplicationDeadline, now)
		if err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: "invitation.send", ObjectType: "invitation",
			ObjectID: strconv.FormatInt(id, 10),
			Details:  map[string]any{"edition": ed.Slug, "category": cat.Key, "entity_type": in.EntityType, "email": in.Email}}); err != nil {
			return err
		}
		existing, err := HasAccount(ctx, tx, in.Email)
		if err != nil {
			return err
		}
		_, err = s.Outbox.Queue(ctx, tx, s.invitationEmail(ed, cat, in.EntityType, in.Name, in.Email, in.Message, token, false, existing))
		return err
	})
	switch {
	case errors.Is(err, ErrAlreadyInvited):
		return nil, errors.Join(err, &InvalidError{Fields: field.Errors{{Field: "email",
			Message: "This address was already invited to the " + ed.Name + " and has not registered yet: send that invitation again from the list below."}}})
	case errors.Is(err, ErrHasAccount):
		return nil, errors.Join(err, &InvalidError{Fields: field.Errors{{Field: "email",
			Message: "An account already uses this address and cannot accept an invitation to the " + ed.Name + ": it has an entry in it already, or it is a staff account. Invite another address, or write to the account holder directly."}}})
	case err != nil:
		return nil, err
	}
	return cat, nil
}

// Resend emails invitation id again with a fresh link on behalf of the secretariat member actor;
// the earlier links stop working. Audited in the same transaction; it returns the invitation.
// The rules: only the secretariat of its edition (db.ErrNotFound from the SQL filter,
// authz.ErrForbidden); before the application deadline (*ClosedError); not once used to register
// (ErrAccepted). Both refusals carry their message for the secretariat (fault), naming the
// deadline's reason or the invitee.
func (s *Service) Resend(ctx context.Context, actor authz.Actor, id int64) (Invitation, error) {
	if id <= 0 {
		return Invitation{}, db.ErrNotFound
	}
	inv, err := ForSecretariat(ctx, s.Pool, actor.UserID, id)
	if err != nil {
		return Invitation{}, err
	}
	if !authz.CanManageApplications(actor, inv.EditionID) {
		return Invitation{}, authz.ErrForbidden
	}
	ed, err := edition.ByID(ctx, s.Pool, inv.EditionID)
	if err != nil {
		return Invitation{}, err
	}
	now := s.Now()
	if why := Closed(ed, now); why != "" {
		return inv, fault.Reword(&ClosedError{Reason: why}, why, ErrClosed)
	}
	cat, ok := ed.Category(inv.CategoryKey)
	if !ok {
		return Invitation{}, db.ErrNotFound
	}
	err = db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		if err := Resent(ctx, tx, actor.UserID, id, now); err != nil {
			return err
		}
		if err := link.Withdraw(ctx, tx, LinkPurpose, id, now); err != nil {
			return err
		}
		token, err := link.New(ctx, tx, LinkPurpose, id, ed.Schedule.ApplicationDeadline, now)
		if err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: "invitation.resend", ObjectType: "invitation",
			ObjectID: strconv.FormatInt(id, 10), Details: map[string]any{"email": inv.Email}}); err != nil {
			return err
		}
		existing, err := HasAccount(ctx, tx, inv.Email)
		if err != nil {
			return err
		}
		_, err = s.Outbox.Queue(ctx, tx, s.invitationEmail(ed, cat, inv.EntityType, inv.Name, inv.Email, inv.Message, token, true, existing))
		return err
	})
	return inv, fault.Reword(err, inv.Name+" has already registered through the invitation: there is nothing to send again.", ErrAccepted)
}

// invitationEmail is the invitation to register for cat as entity type entityType, with the
// link of token; again marks a resend; existing tells an address that has an account already,
// which signs in and starts its entry instead of registering.
func (s *Service) invitationEmail(ed *edition.Edition, cat *edition.Category, entityType, name, email, message, token string, again, existing bool) notify.Message {
	loc := ed.TimeZone
	// the values carry the reader's language; the English email below is their English
	typeName := EntityTypeName(ed, entityType)
	values := wording.Values{wording.Name: name, wording.EditionName: ed.Name,
		wording.InvitedTo: i18n.Msg("apply for the {{.Category}} prize, as {{.Article}} {{.Type}}", "Category", cat.Name,
			"Article", strings.TrimSuffix(withArticle(typeName), " "+typeName), "Type", typeName),
		wording.Action: i18n.Msg("Register for {{.Category}}", "Category", cat.Name), wording.Link: s.Site.URL("/register?invitation=" + token),
		wording.NextStep: i18n.M("Follow the link to create your account: the category is already chosen and your details are filled in. You can then prepare your entry, save it as a draft and submit it before the deadline."),
		wording.Deadline: i18n.End(ed.Schedule.ApplicationDeadline, loc)}
	if cat.Kind == edition.KindLeadership {
		values[wording.InvitedTo] = i18n.Msg("nominate candidates for the {{.Category}} prize: people whose leadership made their city smarter and more humane",
			"Category", cat.Name)
	}
	if existing {
		values[wording.NextStep] = i18n.Msg("You already have an account with this address: follow the link and sign in to start your entry in the {{.Edition}}. The category is already chosen and your profile is filled in. You can then prepare your entry, save it as a draft and submit it before the deadline.",
			"Edition", ed.Name)
		values[wording.Action], values[wording.Link] = i18n.Msg("Start your entry in {{.Category}}", "Category", cat.Name), s.Site.URL("/entries/new?invitation="+token)
	}
	paras := []string{"The secretariat of the " + ed.Name + " invites you to " + i18n.English(values[wording.InvitedTo]) + "."}
	if message != "" {
		paras = append(paras, "A message from the secretariat: "+message)
		values[wording.SecretariatMessage] = i18n.Msg("A message from the secretariat: {{.Message}}\n\n", "Message", message)
	}
	paras = append(paras, i18n.English(values[wording.NextStep]))
	if s.Now().Before(ed.Schedule.ApplicationsOpen) {
		opens := "Registration opens on " + timefmt.Instant(ed.Schedule.ApplicationsOpen, loc) + "."
		paras = append(paras, opens)
		values[wording.RegistrationOpens] = i18n.Msg("Registration opens on {{.When}}.\n\n", "When", i18n.Instant(ed.Schedule.ApplicationsOpen, loc))
	}
	if again {
		values[wording.Replaces] = i18n.M("This email replaces an earlier invitation: its link no longer works. ")
	}
	if ed.ContactEmail != "" {
		values[wording.Questions] = i18n.Msg(" Questions: {{.Email}}.", "Email", ed.ContactEmail)
	}
	m := emails.ActionMessage("entry-invitation", email, name, "An invitation to enter the "+ed.Name, 0, emails.ActionEmail{
		Meta:        s.Site.Meta(ed),
		Title:       "An invitation to enter the " + ed.Name,
		Greeting:    "Dear " + name + ",",
		Paragraphs:  paras,
		ActionLabel: i18n.English(values[wording.Action]),
		ActionURL:   values[wording.Link],
		Note: i18n.English(values[wording.Replaces]) + "The link is personal and works once, until the application deadline, " +
			timefmt.End(ed.Schedule.ApplicationDeadline, loc) + "." + i18n.English(values[wording.Questions]),
	})
	m.Wording = s.Site.Wording(ed, m.Kind, values)
	return m
}

// withArticle puts "a" or "an" before a noun.
func withArticle(noun string) string {
	if noun != "" && strings.ContainsRune("AEIOUaeiou", rune(noun[0])) {
		return "an " + noun
	}
	return "a " + noun
}

// Open is the invitation of the link token, or the errors of link.Open when it cannot be used.
func (s *Service) Open(ctx context.Context, token string) (Invitation, error) {
	return Open(ctx, s.Pool, token, s.Now())
}

// ForRegistration opens the invitation link token for the registration form of edition
// editionID: the errors of link.Open when it cannot be used, and link.ErrExpired for an
// invitation to another (earlier) edition.
func (s *Service) ForRegistration(ctx context.Context, token string, editionID int64) (Invitation, error) {
	inv, err := s.Open(ctx, token)
	if err == nil && inv.EditionID != editionID {
		err = link.ErrExpired
	}
	return inv, err
}

// AcceptInTx records, in tx (the registration's transaction), that userID registered through
// the invitation link token in edition editionID, and audits it. A link that can no longer be
// used does not stop the registration: the account is then simply not linked to the invitation,
// and nothing is recorded.
func (s *Service) AcceptInTx(ctx context.Context, tx pgx.Tx, token string, editionID, userID int64) error {
	inv, err := Accept(ctx, tx, token, editionID, userID, s.Now())
	if errors.Is(err, link.ErrUnknown) || errors.Is(err, link.ErrUsed) || errors.Is(err, link.ErrExpired) {
		return nil
	}
	if err != nil {
		return err
	}
	return audit.Record(ctx, tx, audit.Entry{ActorID: userID, Action: "invitation.accept", ObjectType: "invitation",
		ObjectID: strconv.FormatInt(inv.ID, 10), Details: map[string]any{"user": userID, "category": inv.CategoryKey}})
}
