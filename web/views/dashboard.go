package views

import (
	"slices"
	"strconv"
	"time"

	"prizeportal/internal/account"
	"prizeportal/internal/application"
	"prizeportal/internal/authz"
	"prizeportal/internal/award"
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
			cd.lead = append(cd.lead, components.Link{Label: i18n.Msg("Confirm your attendance at the ceremony ({{.Prize}}) by {{.When}}", "Prize", a.PrizeName,
				"When", i18n.Instant(e.AttendanceDeadline().Add(-1), e.TimeZone)), Href: award.AttendancePath(a.ID)})
		}
		if c.OpenClarifications > 0 {
			cd.lead = append(cd.lead, components.Link{Label: i18n.M("Clarification requested"), Href: "/clarifications"})
		}
		if c.Announced {
			cd.results = append(cd.results, components.Link{Label: i18n.Msg("The winners of {{.Edition}}", "Edition", e.Name), Href: results.Path(e)})
		}
		for _, a := range c.Awards {
			cd.results = append(cd.results, components.Link{Label: i18n.Msg("Your video for the ceremony ({{.Prize}})", "Prize", a.Prize), Href: results.VideoPath(a.ID)})
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
				Lines: []string{i18n.M("Manage accounts and roles, invite staff, and read the audit log and the email outbox.")},
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
		Lines: []string{i18n.Msg("Login ID: {{.LoginID}}", "LoginID", u.LoginID), emailLine(u)},
		Links: []components.Link{
			{Label: i18n.M("Change your password"), Href: "/account/password"},
			{Label: i18n.M("Two-factor sign-in"), Href: "/account/two-factor"},
			{Label: i18n.M("Your personal data"), Href: "/account/data"},
		},
	})
	return v
}

// emailLine is the account's address and whether it is confirmed.
func emailLine(u account.User) string {
	if u.EmailVerifiedAt == nil {
		return i18n.Msg("Email: {{.Email}} (not confirmed yet)", "Email", u.Email)
	}
	return i18n.Msg("Email: {{.Email}} (confirmed)", "Email", u.Email)
}

// RoleCard says what a role can do in an edition now, from the edition's schedule.
func RoleCard(d CardData, u account.User, now time.Time) pages.DashboardCard {
	role, e := d.role, d.ed
	loc, sch := e.TimeZone, e.Schedule
	// window says where a round's window stands: texts gives the sentence before, during and
	// after it, each with the window or its last minute as {{.When}}.
	window := func(w edition.Window, before, during, after string) string {
		switch {
		case now.Before(w.Start):
			return i18n.Msg(before, "When", i18n.Window(w.Start, w.End, loc))
		case now.Before(w.End):
			return i18n.Msg(during, "When", i18n.Instant(w.End.Add(-1), loc))
		default:
			return i18n.Msg(after, "When", i18n.Instant(w.End.Add(-1), loc))
		}
	}
	screening := func() string {
		return window(sch.Screening, i18n.M("Round 1, screening by the secretariat, runs {{.When}}."),
			i18n.M("Round 1, screening by the secretariat, is under way until {{.When}}."), i18n.M("Round 1, screening by the secretariat, ended on {{.When}}."))
	}
	scoring := func() string {
		return window(sch.Scoring, i18n.M("Round 2, scoring by the Evaluation Committee, runs {{.When}}."),
			i18n.M("Round 2, scoring by the Evaluation Committee, is under way until {{.When}}."), i18n.M("Round 2, scoring by the Evaluation Committee, ended on {{.When}}."))
	}
	voting := func() string {
		return window(sch.Voting, i18n.M("Round 3, the vote of the Prize Council, runs {{.When}}."),
			i18n.M("Round 3, the vote of the Prize Council, is under way until {{.When}}."), i18n.M("Round 3, the vote of the Prize Council, ended on {{.When}}."))
	}
	c := pages.DashboardCard{Title: i18n.Msg("{{.Role}}, {{.Edition}}", "Role", account.RoleLabel(role), "Edition", e.Name)}
	ed := "?edition=" + strconv.FormatInt(e.ID, 10)
	// links adds links given as label, href, label, href...
	links := func(pairs ...string) {
		for i := 0; i+1 < len(pairs); i += 2 {
			c.Links = append(c.Links, components.Link{Label: pairs[i], Href: pairs[i+1]})
		}
	}
	switch role {
	case authz.RoleApplicant, authz.RoleNominator:
		cat, hasCat := e.CategoryByID(d.category)
		et, hasType := e.EntityType(u.EntityType)
		switch {
		case hasCat && hasType:
			c.Lines = append(c.Lines, i18n.Msg("Your {{.Category}} entry as {{.Type}}.", "Category", cat.Name, "Type", et.Name))
		case hasCat:
			c.Lines = append(c.Lines, i18n.Msg("Your {{.Category}} entry.", "Category", cat.Name))
		case hasType:
			c.Lines = append(c.Lines, i18n.Msg("Your entry as {{.Type}}.", "Type", et.Name))
		default:
			c.Lines = append(c.Lines, i18n.M("Your entry."))
		}
		// The applicant is told their own deadline: an extension replaces the edition's.
		deadline, open := sch.ApplicationDeadline, now.Before(sch.ApplicationDeadline)
		var link *components.Link
		if a := d.app; a != nil {
			deadline = application.PublishedDeadline(sch, *a)
			open = application.Open(now, application.Deadline(sch, *a))
			link = &components.Link{Label: i18n.Msg("Your project application ({{.Status}})", "Status", a.Status.Label()), Href: "/application"}
			if a.Past {
				link = &components.Link{Label: i18n.Msg("Your project application ({{.Status}}, read-only)", "Status", a.Status.Label()), Href: EntryPath(a.ID)}
			}
		}
		if open {
			c.Lines = append(c.Lines, i18n.Msg("Entries can be edited until {{.When}}; after that they are locked.", "When", i18n.Deadline(deadline, loc)))
		} else {
			c.Lines = append(c.Lines, i18n.Msg("The deadline for entries passed on {{.When}}.", "When", i18n.Deadline(deadline, loc)))
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
		c.Lines = append(c.Lines, screening())
		links(i18n.M("The edition at a glance: timeline, counts and what needs action"), StaffHomeHref(e.ID),
			i18n.M("Round 1 screening queue"), "/secretariat/screening"+ed,
			i18n.M("Applications and deadline extensions"), "/secretariat/applications"+ed,
			i18n.M("Likely duplicates across categories"), "/secretariat/duplicates"+ed,
			i18n.M("Leadership nominations"), "/secretariat/nominations"+ed,
			i18n.M("Conflict-of-interest registry"), "/secretariat/conflicts"+ed,
			i18n.M("Context data (city and country indicators)"), "/secretariat/context"+ed,
			i18n.M("Invitations to apply"), "/secretariat/invitations"+ed,
			i18n.M("Evaluation Committee and expertise"), CommitteeHref(e.ID),
			i18n.M("Round 2 assignments"), AssignmentsHref(e.ID),
			i18n.M("Round 2 scoring progress"), "/scoring/progress"+ed,
			i18n.M("Round 2 ranking and semi-finalists"), RankingHref(e.ID),
			i18n.M("Prize Council: chair and votes"), CouncilHref(e.ID),
			i18n.M("Semi-finalists' dossiers"), DossiersHref(e.ID),
			i18n.M("Special mentions"), MentionsHref(e.ID),
			i18n.M("Best-practice repository: hidden cases"), "/secretariat/repository"+ed,
			i18n.M("Awards: status, invalidation and succession"), AwardsHref(e.ID))
	case authz.RoleManager:
		links(i18n.M("The edition at a glance: timeline, counts and what needs action"), StaffHomeHref(e.ID),
			i18n.M("The edition: settings, schedule, categories, criteria, copy into next year"), StudioHref(e.Slug),
			i18n.M("The jury: evaluators, committee head, council and chair"), JuryHref(e.ID))
	case authz.RoleEvaluator:
		c.Lines = append(c.Lines, scoring())
		links(i18n.M("Your entries to score"), "/scoring", i18n.M("Your affiliations and conflicts of interest"), "/evaluator/declarations")
		if len(d.deputised) > 0 {
			links(i18n.M("Round 2 ranking: you decide as deputy head where the head has a conflict of interest"), RankingHref(e.ID))
		}
	case authz.RoleCommitteeHead:
		c.Lines = append(c.Lines, scoring())
		links(i18n.M("Your entries to score"), "/scoring",
			i18n.M("Round 2 progress"), "/scoring/progress"+ed,
			i18n.M("Your affiliations and conflicts of interest"), "/evaluator/declarations",
			i18n.M("Evaluation Committee and expertise"), CommitteeHref(e.ID),
			i18n.M("Round 2 assignments"), AssignmentsHref(e.ID),
			i18n.M("Round 2 ranking and semi-finalists"), RankingHref(e.ID),
			i18n.M("Awards: status, invalidation and succession"), AwardsHref(e.ID))
	case authz.RoleCouncil:
		c.Lines = append(c.Lines, voting())
		for _, cat := range e.Categories {
			links(i18n.Msg("Your ballot: {{.Category}}", "Category", cat.Name), BallotsHref(e.ID, cat.Key))
			if slices.Contains(d.closedVotes, cat.ID) {
				links(i18n.Msg("Result protocol: {{.Category}}", "Category", cat.Name), BallotURL(e.ID, cat.Key, "protocol"))
			}
		}
		links(i18n.M("Semi-finalists' dossiers"), DossiersHref(e.ID), i18n.M("Awards: status, invalidation and succession"), AwardsHref(e.ID),
			i18n.M("Your affiliations and conflicts of interest"), DeclarationsHref(e.ID))
	}
	if role == authz.RoleSecretariat || role == authz.RoleEvaluator || role == authz.RoleCommitteeHead || role == authz.RoleCouncil {
		links(i18n.M("Exports and the decision pack"), ExportsHref(e.ID), i18n.M("Analytics and charts"), AnalyticsHref(e.ID))
	}
	c.Links = append(c.Links, components.Link{Label: i18n.Msg("About {{.Edition}}", "Edition", e.Name), Href: "/editions/" + e.Slug})
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
		c.Lines = append(c.Lines, i18n.Msg("The {{.Edition}} is open for entries: start yours with your profile filled in.", "Edition", d.offered.Name))
		c.Links = append(c.Links, components.Link{Label: i18n.Msg("Start your entry in the {{.Edition}}", "Edition", d.offered.Name), Href: NewEntryPath})
	}
	for _, e := range d.entries {
		label, href := i18n.Msg("{{.Edition}}: {{.Entry}}", "Edition", e.Edition.Name, "Entry", entryLabel(e)), "/application"
		if e.App.Past {
			label, href = i18n.Msg("{{.Edition}}: {{.Entry}}, read-only", "Edition", e.Edition.Name, "Entry", entryLabel(e)), EntryPath(e.App.ID)
		}
		c.Links = append(c.Links, components.Link{Label: label, Href: href})
	}
	return c, true
}

// entryLabel names entry e by its title and status.
func entryLabel(e dashboard.Entry) string {
	title := application.Title(e.App.Answers)
	if title == "" {
		title = i18n.M("untitled project")
	}
	if e.App.ID == 0 {
		title = i18n.M("not started yet")
	}
	if c, ok := e.Edition.CategoryByID(e.App.CategoryID); ok {
		return i18n.Msg("{{.Title}} ({{.Category}}, {{.Status}})", "Title", title, "Category", c.Name, "Status", e.App.Status.Label())
	}
	return i18n.Msg("{{.Title}} ({{.Status}})", "Title", title, "Status", e.App.Status.Label())
}
