package server

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"prizeportal/internal/db"
	"prizeportal/internal/edition"
	"prizeportal/internal/results"
	"prizeportal/web/components"
	"prizeportal/web/pages"
)

// landing shows the current edition (the most recent one).
func (s *Server) landing(w http.ResponseWriter, r *http.Request) error {
	e, err := edition.Current(r.Context(), s.pool)
	if errors.Is(err, db.ErrNotFound) {
		return s.render(w, r, http.StatusNotFound, pages.ErrorPage(pages.ErrorView{
			Status:  http.StatusNotFound,
			Heading: "No prize edition yet",
			Message: "This portal has no prize edition yet. An administrator imports one with `portal edition import`.",
		}))
	}
	if err != nil {
		return err
	}
	return s.showEdition(w, r, e)
}

// editionPage shows any edition by its slug.
func (s *Server) editionPage(w http.ResponseWriter, r *http.Request) error {
	e, err := edition.BySlug(r.Context(), s.pool, chi.URLParam(r, "slug"))
	if err != nil {
		return err
	}
	return s.showEdition(w, r, e)
}

func (s *Server) showEdition(w http.ResponseWriter, r *http.Request, e *edition.Edition) error {
	all, err := edition.List(r.Context(), s.pool)
	if err != nil {
		return err
	}
	v := landingView(e, s.now())
	if results.Announced(e, s.now()) {
		v.Page.Nav = append(v.Page.Nav, components.Link{Label: "Winners", Href: resultsHref(e)})
	}
	v.Page.Nav = append(v.Page.Nav, components.Link{Label: "Best practices", Href: "/repository"})
	p := s.page(r, e.Name)
	v.Page.UserName, v.Page.Flash = p.UserName, p.Flash
	for _, o := range all {
		if o.Slug != e.Slug {
			v.OtherEditions = append(v.OtherEditions, components.Link{Label: o.Name, Href: "/editions/" + o.Slug})
		}
	}
	return s.render(w, r, http.StatusOK, pages.Landing(v))
}

// landingView builds the public page of an edition from its definition alone.
func landingView(e *edition.Edition, now time.Time) pages.LandingView {
	loc := e.TimeZone
	sch := e.Schedule
	v := pages.LandingView{
		Page: components.Page{
			Title:        e.Name,
			Description:  e.Theme,
			SiteName:     e.Name,
			ContactEmail: e.ContactEmail,
			Nav: []components.Link{
				{Label: "Categories", Href: "#categories"},
				{Label: "Schedule", Href: "#schedule"},
				{Label: "Criteria", Href: "#criteria"},
				{Label: "How to apply", Href: "#how-to-apply"},
			},
		},
		Name:          e.Name,
		Theme:         e.Theme,
		Intro:         e.Intro,
		Status:        status(sch, loc, now),
		TimeZoneLabel: zoneLabel(loc, sch.ApplicationDeadline),
		ContactEmail:  e.ContactEmail,
	}
	row := func(label string, start time.Time, when string) {
		v.Schedule = append(v.Schedule, pages.ScheduleRow{Label: label, When: when, Datetime: start.In(loc).Format(time.RFC3339)})
	}
	row("Applications open", sch.ApplicationsOpen, formatInstant(sch.ApplicationsOpen, loc))
	row("Application deadline", sch.ApplicationDeadline, formatInstant(sch.ApplicationDeadline, loc))
	row("Round 1: screening by the secretariat", sch.Screening.Start, formatWindow(sch.Screening, loc))
	row("Round 2: scoring by the Evaluation Committee", sch.Scoring.Start, formatWindow(sch.Scoring, loc))
	row("Semi-finalists announced", sch.SemiFinalistsAnnounced, formatInstant(sch.SemiFinalistsAnnounced, loc))
	row("Round 3: vote of the Prize Council", sch.Voting.Start, formatWindow(sch.Voting, loc))
	row("Winners announced", sch.WinnersAnnounced, formatInstant(sch.WinnersAnnounced, loc))
	row("Prize ceremony", sch.Ceremony.Start, formatWindow(sch.Ceremony, loc))

	typeName := map[string]string{}
	for _, t := range e.EntityTypes {
		typeName[t.Key] = t.Name
	}
	for _, t := range e.EntityTypes {
		ev := pages.EntityTypeView{Name: t.Name, Description: t.Description}
		for _, c := range e.Categories {
			for _, k := range c.EligibleTypes {
				if k == t.Key {
					ev.Categories = append(ev.Categories, c.Name)
				}
			}
		}
		v.EntityTypes = append(v.EntityTypes, ev)
	}
	for _, c := range e.Categories {
		cv := pages.CategoryView{
			Anchor:        "category-" + c.Key,
			Name:          c.Name,
			KindLabel:     kindLabel(c.Kind),
			Description:   c.Description,
			CoreValue:     c.CoreValue,
			SemiFinalists: c.SemiFinalists,
			ScaleLabel:    fmt.Sprintf("Each indicator is scored from %d to %d.", c.Scale.Min, c.Scale.Max),
		}
		for _, k := range c.EligibleTypes {
			cv.Eligible = append(cv.Eligible, typeName[k])
		}
		for _, p := range c.Prizes {
			label := p.Name
			if p.Count > 1 {
				label = fmt.Sprintf("%s (%d winners)", p.Name, p.Count)
			}
			cv.Prizes = append(cv.Prizes, label)
		}
		var total float64
		for _, cr := range c.Criteria {
			total += cr.Weight
		}
		for _, cr := range c.Criteria {
			crv := pages.CriterionView{Name: cr.Name, Description: cr.Description, Weight: percent(cr.Weight, total)}
			for _, ind := range cr.Indicators {
				crv.Indicators = append(crv.Indicators, ind.Name)
			}
			cv.Criteria = append(cv.Criteria, crv)
		}
		v.Categories = append(v.Categories, cv)
	}
	v.SpecialMentions.Description = e.SpecialMentions.Description
	for _, m := range e.SpecialMentions.Awards {
		v.SpecialMentions.Items = append(v.SpecialMentions.Items, pages.SpecialMentionView{Name: m.Name, Description: m.Description, Count: m.Count})
	}
	return v
}

func kindLabel(k edition.Kind) string {
	if k == edition.KindLeadership {
		return "Individuals, by nomination"
	}
	return "Projects"
}

// percent shows a weight as its share of the total: "20%" or "16.7%".
func percent(w, total float64) string {
	if total <= 0 {
		return "–"
	}
	s := strconv.FormatFloat(100*w/total, 'f', 1, 64)
	return strings.TrimSuffix(s, ".0") + "%"
}

// status says where the edition stands at now.
func status(sch edition.Schedule, loc *time.Location, now time.Time) string {
	switch {
	case now.Before(sch.ApplicationsOpen):
		return "Applications open on " + formatInstant(sch.ApplicationsOpen, loc) + "."
	case now.Before(sch.ApplicationDeadline):
		return "Applications are open until " + formatInstant(sch.ApplicationDeadline, loc) + "."
	case now.Before(sch.WinnersAnnounced):
		return "Applications closed on " + formatInstant(sch.ApplicationDeadline, loc) + "; the evaluation is under way."
	default:
		return "The winners were announced on " + formatInstant(sch.WinnersAnnounced, loc) + "."
	}
}
