package studio

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/timefmt"
	"prizeportal/internal/db"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
	"prizeportal/internal/notify/wording"
)

// roundWindow is a round whose window, once the edition is published, is moved only with a
// reason when people already work in it, and those people are told: the Evaluation Committee for
// the scoring window (DOMAIN.md "Round 2"), the Prize Council for the voting window ("Round 3").
type roundWindow struct {
	// prefix is the path of the window's dates in the definition.
	prefix string
	// kind is the outbox kind of the email.
	kind string
	// roles are the people of the edition the window concerns.
	roles []authz.Role
	// name is the round as the email names it; who are its people, as the review names them.
	name, who   string
	actionLabel string
	actionPath  string
	window      func(edition.Schedule) edition.Window
}

var roundWindows = []roundWindow{
	{prefix: "schedule.scoring.", kind: "scoring-window-moved", roles: []authz.Role{authz.RoleEvaluator, authz.RoleCommitteeHead},
		name: "scoring round of the Evaluation Committee", who: "the Evaluation Committee", actionLabel: "Open your entries", actionPath: "/scoring",
		window: func(s edition.Schedule) edition.Window { return s.Scoring }},
	{prefix: "schedule.voting.", kind: "voting-window-moved", roles: []authz.Role{authz.RoleCouncil},
		name: "vote of the Prize Council", who: "the Prize Council", actionLabel: "Open the portal", actionPath: "/dashboard",
		window: func(s edition.Schedule) edition.Window { return s.Voting }},
}

// movedWindow is a round window a change moves, with the people who work in it (found while the
// change is checked, in its transaction, and told once it is stored).
type movedWindow struct {
	roundWindow
	people []person
}

// movedWindows are the round windows whose start or end a change moves (by the paths of the
// moved dates).
func movedWindows(moved []string) []roundWindow {
	var out []roundWindow
	for _, w := range roundWindows {
		for _, path := range moved {
			if strings.HasPrefix(path, w.prefix) {
				out = append(out, w)
				break
			}
		}
	}
	return out
}

// windowPeople are the active accounts holding one of the roles of w in edition e.
func windowPeople(ctx context.Context, q db.DBTX, editionID int64, w roundWindow) ([]person, error) {
	roles := make([]string, len(w.roles))
	for i, r := range w.roles {
		roles[i] = string(r)
	}
	return db.List(ctx, q, "studio: people of "+w.kind, pgx.RowToStructByPos[person], `
		SELECT DISTINCT u.id, u.name, u.email FROM role_grants g JOIN users u ON u.id = g.user_id
		WHERE g.edition_id = $1 AND g.role = ANY($2) AND u.erased_at IS NULL AND u.deactivated_at IS NULL
		ORDER BY u.id`, editionID, roles)
}

// person is someone a change is emailed to.
type person struct {
	ID          int64
	Name, Email string
}

// windowMessage tells p that the window w of e has moved, giving the new one with its time zone.
func (s *Service) windowMessage(e *edition.Edition, w roundWindow, p person) notify.Message {
	win := w.window(e.Schedule)
	when := timefmt.Window(win.Start, win.End, e.TimeZone) + " (" + e.TimeZone.String() + " time)"
	// the value as the reader's language shows it (English: when)
	value := i18n.Msg("{{.When}} ({{.Zone}} time)", "When", i18n.Window(win.Start, win.End, e.TimeZone), "Zone", e.TimeZone.String())
	name, link := emails.PrizeName(e), s.Site.URL(w.actionPath)
	v := emails.ActionEmail{
		Meta: s.Site.Meta(e), Title: "The dates of the " + w.name + " have moved", Greeting: "Dear " + p.Name + ",",
		Paragraphs:  []string{"The secretariat of the " + name + " has moved the " + w.name + ".", "It now runs " + when + "."},
		ActionLabel: w.actionLabel, ActionURL: link,
	}
	m := emails.ActionMessage(w.kind, p.Email, p.Name, "The "+w.name+" of the "+name+" has moved", p.ID, v)
	m.Wording = s.Site.Wording(e, w.kind, wording.Values{wording.Name: p.Name, wording.EditionName: name, wording.Window: value, wording.Link: link})
	return m
}
