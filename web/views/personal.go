package views

import (
	"cmp"
	"strconv"

	"prizeportal/internal/account"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/timefmt"
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
			{Label: "Account number", Value: strconv.FormatInt(a.ID, 10)},
			{Label: "Login ID", Value: a.LoginID},
			{Label: "Email", Value: a.Email + account.VerifiedNote(a.EmailVerifiedAt)},
			{Label: "Name", Value: cmp.Or(a.Name, "Not given")},
			{Label: "Registered as", Value: cmp.Or(a.EntityType, "Not given")},
			{Label: "Organisation", Value: cmp.Or(a.Organisation, "Not given")},
			{Label: "Phone", Value: cmp.Or(a.Phone, "Not given")},
			{Label: "City", Value: cmp.Or(a.City, "Not given")},
			{Label: "Country", Value: cmp.Or(a.Country, "Not given")},
		},
		ActivityTotal: len(d.Activity),
	}
	v.Account = append(v.Account, RegistrationFacts(a.Registrations)...)
	v.Account = append(v.Account,
		pages.Fact{Label: "Two-factor sign-in", Value: map[bool]string{true: "On", false: "Off"}[a.TwoFactorEnabled]},
		pages.Fact{Label: "Account created", Value: timefmt.UTC(a.CreatedAt)},
		pages.Fact{Label: "Last sign-in", Value: timefmt.UTCOr(a.LastSignInAt, "Never")})
	v.Written = []pages.Fact{
		{Label: "Applications and nominations", Value: strconv.Itoa(len(d.Entries))},
		{Label: "Clarifications asked about them", Value: strconv.Itoa(len(d.Clarifications))},
		{Label: "Score sheets", Value: strconv.Itoa(len(d.ScoreSheets))},
		{Label: "Council ballots", Value: strconv.Itoa(len(d.Ballots))},
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
		return []pages.Fact{{Label: "Editions entered", Value: "None"}}
	}
	facts := make([]pages.Fact, len(regs))
	for i, r := range regs {
		facts[i] = pages.Fact{Label: "Entered " + r.Edition,
			Value: r.Category + "; terms version " + r.TermsVersion + " accepted " + timefmt.UTC(r.TermsAcceptedAt)}
	}
	return facts
}
