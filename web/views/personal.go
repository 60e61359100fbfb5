package views

import (
	"cmp"
	"strconv"

	"prizeportal/internal/account"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/timefmt"
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
			{Label: i18n.M("Email"), Value: a.Email + account.VerifiedNote(a.EmailVerifiedAt)},
			{Label: i18n.M("Name"), Value: cmp.Or(a.Name, "Not given")},
			{Label: i18n.M("Registered as"), Value: cmp.Or(a.EntityType, "Not given")},
			{Label: i18n.M("Organisation"), Value: cmp.Or(a.Organisation, "Not given")},
			{Label: i18n.M("Phone"), Value: cmp.Or(a.Phone, "Not given")},
			{Label: i18n.M("City"), Value: cmp.Or(a.City, "Not given")},
			{Label: i18n.M("Country"), Value: cmp.Or(a.Country, "Not given")},
		},
		ActivityTotal: len(d.Activity),
	}
	v.Account = append(v.Account, RegistrationFacts(a.Registrations)...)
	v.Account = append(v.Account,
		pages.Fact{Label: i18n.M("Two-factor sign-in"), Value: map[bool]string{true: "On", false: "Off"}[a.TwoFactorEnabled]},
		pages.Fact{Label: i18n.M("Account created"), Value: timefmt.UTC(a.CreatedAt)},
		pages.Fact{Label: i18n.M("Last sign-in"), Value: timefmt.UTCOr(a.LastSignInAt, "Never")})
	v.Written = []pages.Fact{
		{Label: i18n.M("Applications and nominations"), Value: strconv.Itoa(len(d.Entries))},
		{Label: i18n.M("Clarifications asked about them"), Value: strconv.Itoa(len(d.Clarifications))},
		{Label: i18n.M("Score sheets"), Value: strconv.Itoa(len(d.ScoreSheets))},
		{Label: i18n.M("Council ballots"), Value: strconv.Itoa(len(d.Ballots))},
	}
	for _, g := range d.Roles {
		v.Roles = append(v.Roles, pages.PersonalRoleRow{
			Role: account.RoleLabel(authz.Role(g.Role)), Edition: cmp.Or(g.Edition, "All editions"),
			Granted: timefmt.UTC(g.GrantedAt), Ended: timefmt.UTCOr(g.RevokedAt, "Held now"), Reason: g.Reason,
		})
	}
	for _, e := range d.Activity[:min(len(d.Activity), PersonalActivityShown)] {
		v.Activity = append(v.Activity, pages.PersonalActivityRow{
			Time: timefmt.UTC(e.At), Action: e.Action, By: e.By, Object: e.About(a.ID), IP: e.IP, Details: string(e.Details),
		})
	}
	v.ActivityShown = len(v.Activity)
	for _, m := range d.Emails {
		v.Emails = append(v.Emails, pages.PersonalEmailRow{Subject: m.Subject, Created: timefmt.UTC(m.CreatedAt), Sent: timefmt.UTCOr(m.SentAt, "Not sent yet")})
	}
	return v
}

// PersonalActivityShown is how many audit entries the page shows; the download holds all.
const PersonalActivityShown = 200

// RegistrationFacts are an account's registrations for people to read: for each edition entered,
// the category and the version of the terms accepted for it (DOMAIN.md "Registration": the prize
// recurs yearly and an account may enter each edition).
func RegistrationFacts(regs []account.ProfileRegistration) []pages.Fact {
	if len(regs) == 0 {
		return []pages.Fact{{Label: i18n.M("Editions entered"), Value: "None"}}
	}
	facts := make([]pages.Fact, len(regs))
	for i, r := range regs {
		facts[i] = pages.Fact{Label: "Entered " + r.Edition,
			Value: r.Category + "; terms version " + r.TermsVersion + " accepted " + timefmt.UTC(r.TermsAcceptedAt)}
	}
	return facts
}
