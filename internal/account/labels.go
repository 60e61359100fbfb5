package account

import (
	"strconv"
	"time"

	"prizeportal/internal/authz"
	"prizeportal/internal/i18n"
)

// Words about accounts, the same on every page that shows them (DOMAIN.md, "People and roles":
// the admin runs accounts and roles; every user sees what the portal holds about them).

// StatusText says in words whether an account can sign in: erased, deactivated, invited but not
// set up yet (InviteTTL), or active.
func StatusText(deactivated, erased *time.Time, pending bool) string {
	switch {
	case erased != nil:
		return i18n.Msg("Erased on {{.When}}", "When", i18n.Deadline(*erased, time.UTC))
	case deactivated != nil:
		return i18n.Msg("Deactivated on {{.When}}", "When", i18n.Deadline(*deactivated, time.UTC))
	case pending:
		return i18n.M("Invited; invitation not accepted yet")
	}
	return i18n.M("Active")
}

// StatusText says whether the account can sign in (see the function StatusText).
func (u UserSummary) StatusText() string {
	return StatusText(u.DeactivatedAt, u.ErasedAt, u.InvitationPending)
}

// StatusText says whether the account can sign in (see the function StatusText).
func (p Profile) StatusText() string {
	return StatusText(p.DeactivatedAt, p.ErasedAt, p.InvitationPending)
}

// DisplayName names an account: its name, or its login ID when it has none.
func (u User) DisplayName() string { return nameOr(u.Name, u.LoginID) }

// DisplayName names an account: its name, or its login ID when it has none.
func (u UserSummary) DisplayName() string { return nameOr(u.Name, u.LoginID) }

func nameOr(name, login string) string {
	if name == "" {
		return login
	}
	return name
}

// StatusOptions are the statuses the users list filters by (ListUsers), with their labels.
var StatusOptions = [][2]string{
	{StatusActive, i18n.M("Active")}, {StatusInvited, i18n.M("Invitation not accepted yet")}, {StatusDeactivated, i18n.M("Deactivated")},
}

// ValidStatus reports whether st is one of the statuses of StatusOptions.
func ValidStatus(st string) bool {
	return st == StatusActive || st == StatusDeactivated || st == StatusInvited
}

// EditionLabel names the edition of a grant: "All editions" for the administrator role, the only
// one not held in one edition (editionID 0).
func EditionLabel(editionID int64, name string) string {
	if editionID == 0 {
		return i18n.M("All editions")
	}
	return name
}

// Label names the role and its edition: "Evaluator, Seoul Smart City Prize 2023".
func (g RoleHeld) Label() string {
	return roleIn(g.Role, g.EditionID, g.EditionName)
}

// Label names the role and its edition: "Evaluator, Seoul Smart City Prize 2023".
func (g GrantRecord) Label() string {
	return roleIn(g.Role, g.EditionID, g.EditionName)
}

func roleIn(r authz.Role, editionID int64, name string) string {
	return i18n.Msg("{{.Role}}, {{.Edition}}", "Role", RoleLabel(r), "Edition", EditionLabel(editionID, name))
}

// VerifiedNote says after an address whether its owner confirmed it, and when.
func VerifiedNote(at *time.Time) string {
	if at == nil {
		return i18n.M(" (not confirmed)")
	}
	return i18n.Msg(" (confirmed {{.When}})", "When", i18n.Deadline(*at, time.UTC))
}

// ByName names who granted or revoked a role: "by Name", "by account 7" for one without a name,
// or none for the system (id 0).
func ByName(id int64, name, none string) string {
	switch {
	case id == 0:
		return none
	case name == "":
		return i18n.Msg("by account {{.ID}}", "ID", strconv.FormatInt(id, 10))
	}
	return i18n.Msg("by {{.Name}}", "Name", name)
}

// About says what an entry of the user's activity was about: their own account, another account
// (not named: it is someone else's data), or another object.
func (e PersonalRecord) About(userID int64) string {
	switch {
	case e.ObjectType == "user" && e.ObjectID == strconv.FormatInt(userID, 10):
		return i18n.M("your account")
	case e.ObjectType == "user":
		return i18n.M("another account")
	case e.ObjectType == "":
		return ""
	}
	return i18n.Msg("{{.Type}} {{.ID}}", "Type", e.ObjectType, "ID", e.ObjectID)
}
