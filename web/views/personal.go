package views

import (
	"cmp"
	"strconv"
	"time"

	"prizeportal/internal/account"
	"prizeportal/internal/authz"
	"prizeportal/internal/i18n"
	"prizeportal/internal/privacy"
	"prizeportal/web/components"
	"prizeportal/web/pages"
)

// PersonalDataView is the page of the personal data d.
func PersonalDataView(page components.Page, d privacy.Export) pages.PersonalDataView {
	a := d.Account
	v := pages.PersonalDataView{
		Page: page,
		Account: []pages.Fact{
			{Label: i18n.M("Account number"), Value: strconv.FormatInt(a.ID, 10)},
			{Label: i18n.M("Login ID"), Value: a.LoginID},
			{Label: i18n.M("Email"), Value: i18n.Msg("{{.Email}}{{.Note}}", "Email", a.Email, "Note", account.VerifiedNote(a.EmailVerifiedAt))},
			{Label: i18n.M("Name"), Value: cmp.Or(a.Name, i18n.M("Not given"))},
			{Label: i18n.M("Registered as"), Value: cmp.Or(a.EntityType, i18n.M("Not given"))},
			{Label: i18n.M("Organisation"), Value: cmp.Or(a.Organisation, i18n.M("Not given"))},
			{Label: i18n.M("Phone"), Value: cmp.Or(a.Phone, i18n.M("Not given"))},
			{Label: i18n.M("City"), Value: cmp.Or(a.City, i18n.M("Not given"))},
			{Label: i18n.M("Country"), Value: cmp.Or(a.Country, i18n.M("Not given"))},
		},
		ActivityTotal: len(d.Activity),
	}
	v.Account = append(v.Account, RegistrationFacts(a.Registrations)...)
	v.Account = append(v.Account,
		pages.Fact{Label: i18n.M("Two-factor sign-in"), Value: map[bool]string{true: i18n.M("On"), false: i18n.M("Off")}[a.TwoFactorEnabled]},
		pages.Fact{Label: i18n.M("Account created"), Value: i18n.Deadline(a.CreatedAt, time.UTC)},
		pages.Fact{Label: i18n.M("Last sign-in"), Value: UTCOr(a.LastSignInAt, i18n.M("Never"))})
	v.Written = []pages.Fact{
		{Label: i18n.M("Applications and nominations"), Value: strconv.Itoa(len(d.Entries))},
		{Label: i18n.M("Clarifications asked about them"), Value: strconv.Itoa(len(d.Clarifications))},
		{Label: i18n.M("Score sheets"), Value: strconv.Itoa(len(d.ScoreSheets))},
		{Label: i18n.M("Council ballots"), Value: strconv.Itoa(len(d.Ballots))},
	}
	for _, g := range d.Roles {
		v.Roles = append(v.Roles, pages.PersonalRoleRow{
			Role: account.RoleLabel(authz.Role(g.Role)), Edition: cmp.Or(g.Edition, i18n.M("All editions")),
			Granted: i18n.Deadline(g.GrantedAt, time.UTC), Ended: UTCOr(g.RevokedAt, i18n.M("Held now")), Reason: g.Reason,
		})
	}
	for _, e := range d.Activity[:min(len(d.Activity), PersonalActivityShown)] {
		v.Activity = append(v.Activity, pages.PersonalActivityRow{
			Time: i18n.Deadline(e.At, time.UTC), Action: e.Action, By: cmp.Or(activityBy[e.By], e.By), Object: e.About(a.ID), IP: e.IP, Details: string(e.Details),
		})
	}
	v.ActivityShown = len(v.Activity)
	for _, m := range d.Emails {
		v.Emails = append(v.Emails, pages.PersonalEmailRow{Subject: m.Subject, Created: i18n.Deadline(m.CreatedAt, time.UTC), Sent: UTCOr(m.SentAt, i18n.M("Not sent yet"))})
	}
	return v
}

// activityBy words who did an entry of the activity (account.PersonalRecord.By) for people.
var activityBy = map[string]string{"you": i18n.M("you"), "the system": i18n.M("the system"), "someone else": i18n.M("someone else")}

// UTCOr is *t in UTC (i18n.Deadline), or none when t is nil.
func UTCOr(t *time.Time, none string) string {
	if t == nil {
		return none
	}
	return i18n.Deadline(*t, time.UTC)
}

// PersonalActivityShown is how many audit entries the page shows; the download holds all.
const PersonalActivityShown = 200

// RegistrationFacts are an account's registrations for people to read: for each edition entered,
// the category and the version of the terms accepted for it (DOMAIN.md "Registration": the prize
// recurs yearly and an account may enter each edition).
func RegistrationFacts(regs []account.ProfileRegistration) []pages.Fact {
	if len(regs) == 0 {
		return []pages.Fact{{Label: i18n.M("Editions entered"), Value: i18n.M("None")}}
	}
	facts := make([]pages.Fact, len(regs))
	for i, r := range regs {
		facts[i] = pages.Fact{Label: i18n.Msg("Entered {{.Edition}}", "Edition", r.Edition),
			Value: i18n.Msg("{{.Category}}; terms version {{.Version}} accepted {{.When}}", "Category", r.Category, "Version", r.TermsVersion, "When", i18n.Deadline(r.TermsAcceptedAt, time.UTC))}
	}
	return facts
}
