package views

import (
	"slices"
	"strconv"
	"time"

	"prizeportal/internal/account"
	"prizeportal/internal/application"
	"prizeportal/internal/authz"
	"prizeportal/internal/award"
	"prizeportal/internal/blocks/timefmt"
	"prizeportal/internal/dashboard"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/internal/results"
	"prizeportal/web/components"
	"prizeportal/web/pages"
)

// DashboardData is what the dashboard shows: the user and, per role they hold, its edition and
// what the role's card needs.
type DashboardData struct {
	user    account.User
	cards   []CardData
	entries []dashboard.Entry
	offered *edition.Edition
}

// CardData is what one role card needs besides the edition's definition.
type CardData struct {
	role authz.Role
	ed   *edition.Edition // nil for admins
	// app is the applicant's application in ed (nil when they have none there).
	app *application.Application
	// category is the category the entrant registered for in ed (0 for staff).
	category int64
	// lead are the links put first (the attendance to confirm, a clarification waiting) and
	// results the links once the winners are announced (the results page, the ceremony video).
	lead, results []components.Link
	// closedVotes are the categories whose vote is closed (a council member's card).
	closedVotes []int64
	// deputised are the categories an evaluator decides for as deputy head.
	deputised []int64
}

// DashboardOf is the dashboard of p, with the links of each entrant's news. No I/O.
func DashboardOf(p dashboard.Page) DashboardData {
	d := DashboardData{user: p.User, entries: p.Entries, offered: p.Offered}
	for _, c := range p.Cards {
		cd, e := CardData{role: c.Role, ed: c.Edition, app: c.Application, category: c.CategoryID, closedVotes: c.ClosedVotes, deputised: c.Deputised}, c.Edition
		for _, a := range c.Attendance {
			cd.lead = append(cd.lead, components.Link{Label: "Confirm your attendance at the ceremony (" + a.PrizeName + ") by " +
				timefmt.Instant(e.AttendanceDeadline().Add(-1), e.TimeZone), Href: award.AttendancePath(a.ID)})
		}
		if c.OpenClarifications > 0 {
			cd.lead = append(cd.lead, components.Link{Label: i18n.M("Clarification requested"), Href: "/clarifications"})
		}
		if c.Announced {
			cd.results = append(cd.results, components.Link{Label: "The winners of " + e.Name, Href: results.Path(e)})
		}
		for _, a := range c.Awards {
			cd.results = append(cd.results, components.Link{Label: "Your video for the ceremony (" + a.Prize + ")", Href: results.VideoPath(a.ID)})
		}
		d.cards = append(d.cards, cd)
	}
	return d
}

// DashboardView builds the dashboard from d at now (no I/O).
func DashboardView(d DashboardData, now time.Time) pages.DashboardView {
	u := d.user
	v := pages.DashboardView{Name: u.Name, Email: u.Email, Unverified: u.EmailVerifiedAt == nil}
	for _, c := range d.cards {
		if c.role == authz.RoleAdmin {
			v.Cards = append(v.Cards, pages.DashboardCard{
				Title: i18n.M("Administration"),
				Lines: []string{"Manage accounts and roles, invite staff, and read the audit log and the email outbox."},
				Links: []components.Link{
					{Label: i18n.M("Users"), Href: "/admin/users"}, {Label: i18n.M("Invite staff"), Href: "/admin/invite"},
					{Label: i18n.M("Audit log"), Href: "/admin/audit"}, {Label: i18n.M("Email outbox"), Href: "/admin/outbox"},
					{Label: i18n.M("Export the audit log"), Href: ExportsPath}, {Label: i18n.M("The jury of an edition"), Href: JuryPath},
					{Label: i18n.M("Editions: set up and change"), Href: "/studio"},
				},
			})
			continue
		}
		v.Cards = append(v.Cards, RoleCard(c, u, now))
	}
	if c, ok := entriesCard(d); ok {
		v.Cards = append(v.Cards, c)
	}
	v.Cards = append(v.Cards, pages.DashboardCard{
		Title: i18n.M("Your account"),
		Lines: []string{"Login ID: " + u.LoginID, "Email: " + u.Email + VerifiedLabel(u)},
		Links: []components.Link{
			{Label: i18n.M("Change your password"), Href: "/account/password"},
			{Label: i18n.M("Two-factor sign-in"), Href: "/account/two-factor"},
			{Label: i18n.M("Your personal data"), Href: "/account/data"},
		},
	})
	return v
}

func VerifiedLabel(u account.User) string {
	if u.EmailVerifiedAt == nil {
		return " (not confirmed yet)"
	}
	return " (confirmed)"
}

// RoleCard says what a role can do in an edition now, from the edition's schedule.
func RoleCard(d CardData, u account.User, now time.Time) pages.DashboardCard {
	role, e := d.role, d.ed
	loc, sch := e.TimeZone, e.Schedule
	window := func(label string, w edition.Window) string {
		switch {
		case now.Before(w.Start):
			return label + " runs " + w.Text(loc) + "."
		case now.Before(w.End):
			return label + " is under way until " + timefmt.Instant(w.End.Add(-1), loc) + "."
		default:
			return label + " ended on " + timefmt.Instant(w.End.Add(-1), loc) + "."
		}
	}
	c := pages.DashboardCard{Title: account.RoleLabel(role) + ", " + e.Name}
	ed := "?edition=" + strconv.FormatInt(e.ID, 10)
	// links adds links given as label, href, label, href...
	links := func(pairs ...string) {
		for i := 0; i+1 < len(pairs); i += 2 {
			c.Links = append(c.Links, components.Link{Label: pairs[i], Href: pairs[i+1]})
		}
	}
	switch role {
	case authz.RoleApplicant, authz.RoleNominator:
		entry := "Your entry"
		if cat, ok := e.CategoryByID(d.category); ok {
			entry = "Your " + cat.Name + " entry"
		}
		if et, ok := e.EntityType(u.EntityType); ok {
			entry += " as " + et.Name
		}
		c.Lines = append(c.Lines, entry+".")
		// The applicant is told their own deadline: an extension replaces the edition's.
		deadline, open := sch.ApplicationDeadline, now.Before(sch.ApplicationDeadline)
		var link *components.Link
		if a := d.app; a != nil {
			deadline = application.PublishedDeadline(sch, *a)
			open = application.Open(now, application.Deadline(sch, *a))
			link = &components.Link{Label: "Your project application (" + a.Status.Label() + ")", Href: "/application"}
			if a.Past {
				link = &components.Link{Label: "Your project application (" + a.Status.Label() + ", read-only)", Href: EntryPath(a.ID)}
			}
		}
		if open {
			c.Lines = append(c.Lines, "Entries can be edited until "+timefmt.Deadline(deadline, loc)+"; after that they are locked.")
		} else {
			c.Lines = append(c.Lines, "The deadline for entries passed on "+timefmt.Deadline(deadline, loc)+".")
		}
		switch {
		case link != nil && d.app.Past:
			c.Links = append(c.Links, *link)
		case link != nil:
			c.Links = append(c.Links, *link, components.Link{Label: i18n.M("Status of your application"), Href: "/application/status"})
		}
		if role == authz.RoleNominator {
			c.Links = append(c.Links, components.Link{Label: i18n.M("Your nominations"), Href: "/nominations"})
		}
		c.Links = append(c.Links, d.results...)
		c.Links = append(append([]components.Link{}, d.lead...), c.Links...)
	case authz.RoleSecretariat:
		c.Lines = append(c.Lines, window("Round 1, screening by the secretariat,", sch.Screening))
		links("The edition at a glance: timeline, counts and what needs action", StaffHomeHref(e.ID),
			"Round 1 screening queue", "/secretariat/screening"+ed,
			"Applications and deadline extensions", "/secretariat/applications"+ed,
			"Likely duplicates across categories", "/secretariat/duplicates"+ed,
			"Leadership nominations", "/secretariat/nominations"+ed,
			"Conflict-of-interest registry", "/secretariat/conflicts"+ed,
			"Context data (city and country indicators)", "/secretariat/context"+ed,
			"Invitations to apply", "/secretariat/invitations"+ed,
			"Evaluation Committee and expertise", CommitteeHref(e.ID),
			"Round 2 assignments", AssignmentsHref(e.ID),
			"Round 2 scoring progress", "/scoring/progress"+ed,
			"Round 2 ranking and semi-finalists", RankingHref(e.ID),
			"Prize Council: chair and votes", CouncilHref(e.ID),
			"Semi-finalists' dossiers", DossiersHref(e.ID),
			"Special mentions", MentionsHref(e.ID),
			"Best-practice repository: hidden cases", "/secretariat/repository"+ed,
			"Awards: status, invalidation and succession", AwardsHref(e.ID))
	case authz.RoleManager:
		links("The edition at a glance: timeline, counts and what needs action", StaffHomeHref(e.ID),
			"The edition: settings, schedule, categories, criteria, copy into next year", StudioHref(e.Slug),
			"The jury: evaluators, committee head, council and chair", JuryHref(e.ID))
	case authz.RoleEvaluator:
		c.Lines = append(c.Lines, window("Round 2, scoring by the Evaluation Committee,", sch.Scoring))
		links("Your entries to score", "/scoring", "Your affiliations and conflicts of interest", "/evaluator/declarations")
		if len(d.deputised) > 0 {
			links("Round 2 ranking: you decide as deputy head where the head has a conflict of interest", RankingHref(e.ID))
		}
	case authz.RoleCommitteeHead:
		c.Lines = append(c.Lines, window("Round 2, scoring by the Evaluation Committee,", sch.Scoring))
		links("Your entries to score", "/scoring",
			"Round 2 progress", "/scoring/progress"+ed,
			"Your affiliations and conflicts of interest", "/evaluator/declarations",
			"Evaluation Committee and expertise", CommitteeHref(e.ID),
			"Round 2 assignments", AssignmentsHref(e.ID),
			"Round 2 ranking and semi-finalists", RankingHref(e.ID),
			"Awards: status, invalidation and succession", AwardsHref(e.ID))
	case authz.RoleCouncil:
		c.Lines = append(c.Lines, window("Round 3, the vote of the Prize Council,", sch.Voting))
		for _, cat := range e.Categories {
			links("Your ballot: "+cat.Name, BallotsHref(e.ID, cat.Key))
			if slices.Contains(d.closedVotes, cat.ID) {
				links("Result protocol: "+cat.Name, BallotURL(e.ID, cat.Key, "protocol"))
			}
		}
		links("Semi-finalists' dossiers", DossiersHref(e.ID), "Awards: status, invalidation and succession", AwardsHref(e.ID),
			"Your affiliations and conflicts of interest", DeclarationsHref(e.ID))
	}
	if role == authz.RoleSecretariat || role == authz.RoleEvaluator || role == authz.RoleCommitteeHead || role == authz.RoleCouncil {
		links("Exports and the decision pack", ExportsHref(e.ID))
	}
	if role == authz.RoleSecretariat || role == authz.RoleEvaluator || role == authz.RoleCommitteeHead || role == authz.RoleCouncil {
		links("Analytics and charts", AnalyticsHref(e.ID))
	}
	c.Links = append(c.Links, components.Link{Label: "About " + e.Name, Href: "/editions/" + e.Slug})
	return c
}

// EntryPath is the read-only page of the applicant's entry id of an earlier edition.
func EntryPath(id int64) string { return "/entries/" + strconv.FormatInt(id, 10) }

// NewEntryPath is the page that starts an entry in the edition open to a returning participant.
const NewEntryPath = "/entries/new"

// entriesCard lists the applicant's entries, one per edition (the earlier ones read-only), and
// offers to start one in the edition open now; ok is false when there is nothing to list beyond
// the one entry its role card shows.
func entriesCard(d DashboardData) (pages.DashboardCard, bool) {
	if d.offered == nil && len(d.entries) < 2 {
		return pages.DashboardCard{}, false
	}
	c := pages.DashboardCard{Title: i18n.M("Your entries")}
	if d.offered != nil {
		c.Lines = append(c.Lines, "The "+d.offered.Name+" is open for entries: start yours with your profile filled in.")
		c.Links = append(c.Links, components.Link{Label: "Start your entry in the " + d.offered.Name, Href: NewEntryPath})
	}
	for _, e := range d.entries {
		label, href := e.Edition.Name+": "+entryLabel(e), "/application"
		if e.App.Past {
			label, href = label+", read-only", EntryPath(e.App.ID)
		}
		c.Links = append(c.Links, components.Link{Label: label, Href: href})
	}
	return c, true
}

// entryLabel names entry e by its title and status.
func entryLabel(e dashboard.Entry) string {
	title := application.Title(e.App.Answers)
	if title == "" {
		title = "untitled project"
	}
	if e.App.ID == 0 {
		title = "not started yet"
	}
	cat := ""
	if c, ok := e.Edition.CategoryByID(e.App.CategoryID); ok {
		cat = c.Name + ", "
	}
	return title + " (" + cat + e.App.Status.Label() + ")"
}
