package server

import (
	"errors"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"prizeportal/internal/db"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/internal/ranking"
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
			Heading: i18n.M("No prize edition yet"),
			Message: i18n.M("This portal has no prize edition yet. An administrator imports one with `portal edition import`."),
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
	if e.Draft() { // a draft is visible only to its managers, in the edition studio
		return db.ErrNotFound
	}
	return s.showEdition(w, r, e)
}

func (s *Server) showEdition(w http.ResponseWriter, r *http.Request, e *edition.Edition) error {
	all, err := edition.Published(r.Context(), s.pool)
	if err != nil {
		return err
	}
	v := landingView(e, s.now())
	// the public lists, each from its announcement on (DOMAIN.md "Round 2": semi-finalists
	// announced; "Round 3": winners announced on the website)
	if e.Publication.SemiFinalistsList && !s.now().Before(ranking.Announcement(e)) {
		v.Page.Nav = append(v.Page.Nav, components.Link{Label: i18n.M("Semi-finalists"), Href: ranking.PublicPath(e)})
	}
	if results.Announced(e, s.now()) {
		v.Page.Nav = append(v.Page.Nav, components.Link{Label: i18n.M("Winners"), Href: results.Path(e)})
	}
	v.Page.Nav = append(v.Page.Nav, components.Link{Label: i18n.M("Best practices"), Href: "/repository"})
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
	v := pages.LandingView{
		Page: components.Page{Title: e.Name, Description: e.Theme, SiteName: e.Name, ContactEmail: e.ContactEmail,
			Nav: []components.Link{{Label: i18n.M("Categories"), Href: "#categories"}, {Label: i18n.M("Schedule"), Href: "#schedule"},
				{Label: i18n.M("Criteria"), Href: "#criteria"}, {Label: i18n.M("How to apply"), Href: "#how-to-apply"}},
		},
		Name: e.Name, Theme: e.Theme, Intro: e.Intro, Status: e.Stage(now), ContactEmail: e.ContactEmail,
		TimeZoneLabel: i18n.Zone(e.TimeZone, e.Schedule.ApplicationDeadline),
	}
	for _, m := range e.Milestones() {
		v.Schedule = append(v.Schedule, pages.ScheduleRow{Label: m.Label, When: m.When, Datetime: m.Start.In(e.TimeZone).Format(time.RFC3339)})
	}
	for _, t := range e.EntityTypes {
		v.EntityTypes = append(v.EntityTypes, pages.EntityTypeView{Name: t.Name, Description: t.Description, Categories: e.CategoriesFor(t.Key)})
	}
	for _, c := range e.Categories {
		cv := pages.CategoryView{Anchor: "category-" + c.Key, Name: c.Name, KindLabel: c.Kind.Label(), Description: c.Description,
			CoreValue: c.CoreValue, SemiFinalists: c.SemiFinalists, ScaleLabel: i18n.Msg("Each indicator is scored from {{.Min}} to {{.Max}}.", "Min", c.Scale.Min, "Max", c.Scale.Max)}
		for _, k := range c.EligibleTypes {
			if t, ok := e.EntityType(k); ok { // validated: every eligible type is defined
				cv.Eligible = append(cv.Eligible, t.Name)
			}
		}
		for _, p := range c.Prizes {
			cv.Prizes = append(cv.Prizes, p.Label())
		}
		for _, cr := range c.Criteria {
			crv := pages.CriterionView{Name: cr.Name, Description: cr.Description, Weight: c.Share(cr)}
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
