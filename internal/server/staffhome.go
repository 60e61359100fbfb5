package server

import (
	"net/http"
	"net/url"
	"strconv"

	"prizeportal/internal/authz"
	"prizeportal/internal/dashboard"
	"prizeportal/internal/i18n"
	"prizeportal/web/components"
	"prizeportal/web/pages"
	"prizeportal/web/views"
)

// staffHome shows an edition at a glance to its managers and secretariat (GET /staff?edition=):
// its timeline, its counts per category and state, and what needs action now, each linked to
// the filtered list when the actor may open it.
func (s *Server) staffHome(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ed, picker, err := s.scope(r)
	if err != nil {
		return err
	}
	now := s.now()
	g, err := dashboard.GlanceOf(ctx, s.pool, ed, now)
	if err != nil {
		return err
	}
	actor := authz.ActorFrom(ctx)
	v := views.StaffHome(ed, g, now, func(path string) bool { return s.mayOpen(actor, path, ed.ID) })
	v.Page, v.Edition, v.Choose = s.page(r, i18n.Msg("{{.Edition}} at a glance", "Edition", ed.Name)), picker, len(picker.Options) > 1
	return s.render(w, r, http.StatusOK, pages.StaffHome(v))
}

// mayOpen reports whether actor may open the staff page at the GET route pattern, in edition
// editionID (0: in some edition): the route's policy lets them in and, for a route scoped to an
// edition, they act in that one. The route table is the only source: no role list is repeated.
func (s *Server) mayOpen(actor authz.Actor, pattern string, editionID int64) bool {
	p, ok := s.policies["GET "+pattern]
	if !ok || p.IsPublic() || p.Check(actor) != nil {
		return false
	}
	if rule, ok := p.Edition(); ok && editionID != 0 {
		return rule.Acts(actor, editionID)
	}
	return true
}

// navLink is a page of the staff navigation: its route pattern, and the query that narrows it.
type navLink struct {
	label, pattern string
	query          url.Values
}

// navOnly narrows who sees the link to a page whose route admits more actors, each checked
// again per object: the ranking's route admits the evaluators for the deputy head, whose
// dashboard links it (authz.RankingDeciders); the navigation shows it to the ranking's staff.
var navOnly = map[string]authz.EditionRule{"/ranking": authz.RankingStaff}

// staffRounds are the staff pages by round (DOMAIN.md "Round 1" to "Round 3", "Data and
// publication"); each actor sees only those they may open (mayOpen).
var staffRounds = []struct {
	label string
	links []navLink
}{
	{i18n.M("Round 1"), []navLink{
		{i18n.M("Screening"), "/secretariat/screening", nil},
		{i18n.M("Overdue clarifications"), "/secretariat/screening", url.Values{"status": {"overdue"}}},
		{i18n.M("Applications and extensions"), "/secretariat/applications", nil},
		{i18n.M("Nominations"), "/secretariat/nominations", nil},
		{i18n.M("Likely duplicates"), "/secretariat/duplicates", nil},
		{i18n.M("Invitations to apply"), "/secretariat/invitations", nil},
		{i18n.M("Conflicts of interest"), "/secretariat/conflicts", nil},
		{i18n.M("Context data"), "/secretariat/context", nil},
	}},
	{i18n.M("Round 2"), []navLink{
		{i18n.M("Evaluation Committee"), views.CommitteePath, nil},
		{i18n.M("Assignments"), views.AssignmentsPath, nil},
		{i18n.M("Your entries to score"), "/scoring", nil},
		{i18n.M("Scoring progress"), "/scoring/progress", nil},
		{i18n.M("Your declarations"), "/evaluator/declarations", nil},
		{i18n.M("Ranking and semi-finalists"), "/ranking", nil},
	}},
	{i18n.M("Round 3"), []navLink{
		{i18n.M("Prize Council"), "/council", nil},
		// the ballots of the edition's categories follow (ballotsPattern)
		{i18n.M("Dossiers"), views.DossiersPath, nil},
		{i18n.M("Awards"), "/awards", nil},
		{i18n.M("Special mentions"), views.MentionsPath, nil},
	}},
	{i18n.M("Publication"), []navLink{
		{i18n.M("Analytics"), "/analytics", nil},
		{i18n.M("Exports"), views.ExportsPath, nil},
		{i18n.M("Repository: hidden cases"), "/secretariat/repository", nil},
	}},
}

const (
	ballotsPattern = "/council/ballots/{category}"
	// editionsPath is the editions studio, for the actors who manage an edition.
	editionsPath = "/studio"
)

// staffNav is the staff navigation of r's page: Home (the staff home, or the dashboard for
// those who have none), the rounds and the editions studio, with only the pages r's actor may
// open, in the edition of the page when it has one, the current page marked. Empty for an actor
// who may open none of them.
func (s *Server) staffNav(r *http.Request) []components.NavGroup {
	actor := authz.ActorFrom(r.Context())
	if actor.Anonymous() {
		return nil
	}
	var edID int64
	var ballots []navLink
	if sc, ok := r.Context().Value(editionScopeKey{}).(*editionScope); ok {
		edID = sc.ed.ID
		for _, c := range sc.ed.Categories {
			ballots = append(ballots, navLink{i18n.Msg("Ballot: {{.Category}}", "Category", c.Name), "/council/ballots/" + c.Key, nil})
		}
	}
	var (
		groups []components.NavGroup
		// the current page: the link of route r.URL.Path with the most of r's query
		bestG, bestL, bestN = -1, -1, -1
	)
	add := func(g *components.NavGroup, l navLink, pattern string) {
		if only, ok := navOnly[pattern]; !s.mayOpen(actor, pattern, edID) || ok && !only.ServesIn(actor, edID) {
			return
		}
		q := url.Values{}
		for k, v := range l.query {
			q[k] = v
		}
		if _, ok := s.policies["GET "+pattern].Edition(); ok && edID != 0 {
			q.Set("edition", strconv.FormatInt(edID, 10))
		}
		href := l.pattern
		if len(q) > 0 {
			href += "?" + q.Encode()
		}
		g.Links = append(g.Links, components.NavLink{Label: l.label, Href: href})
		if l.pattern == r.URL.Path && len(l.query) > bestN && matches(r.URL.Query(), l.query) {
			bestG, bestL, bestN = len(groups), len(g.Links)-1, len(l.query)
		}
	}
	home := components.NavGroup{}
	if s.mayOpen(actor, views.StaffHomePath, edID) {
		add(&home, navLink{i18n.M("Home"), views.StaffHomePath, nil}, views.StaffHomePath)
	} else {
		add(&home, navLink{i18n.M("Home"), "/dashboard", nil}, "/dashboard")
	}
	groups = append(groups, home)
	staff := false
	for _, round := range staffRounds {
		g := components.NavGroup{Label: round.label}
		for _, l := range round.links {
			add(&g, l, l.pattern)
			if l.pattern == "/council" {
				for _, b := range ballots {
					add(&g, b, ballotsPattern)
				}
			}
		}
		if len(g.Links) > 0 {
			groups, staff = append(groups, g), true
		}
	}
	if (edID != 0 && authz.CanManageEdition(actor, edID)) || (edID == 0 && authz.InEdition(authz.EditionManagers).Check(actor) == nil) {
		groups, staff = append(groups, components.NavGroup{Links: []components.NavLink{{Label: i18n.M("Editions"), Href: editionsPath,
			Current: r.URL.Path == editionsPath}}}), true
	}
	if !staff {
		return nil
	}
	if bestG >= 0 {
		groups[bestG].Links[bestL].Current = true
		groups[bestG].Open = true
	}
	return groups
}

// matches reports whether query has every value of want.
func matches(query, want url.Values) bool {
	for k := range want {
		if query.Get(k) != want.Get(k) {
			return false
		}
	}
	return true
}
