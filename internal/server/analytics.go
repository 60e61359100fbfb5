package server

import (
	"bytes"
	"net/http"

	"github.com/go-chi/chi/v5"

	"prizeportal/internal/analytics"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/chart"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/web/components"
	"prizeportal/web/pages"
)

// Analytics with charts (DOMAIN.md "Round 2": the "analysis and visualization of data collected
// from the applicants" assists the committee and the council). The secretariat, the committee head
// and the council of an edition open /analytics?edition=: the submissions by category, entity type,
// world region, country and the answers to the form's choice questions (stage and sector among
// them); the numeric answers (number and money questions of each category's form) compared across
// entries; once the head has closed round 2 (the scores are sealed until then, as on the ranking
// page), the distribution of the criterion scores per criterion and per evaluator; and, once a
// category's semi-finalists are confirmed, their criterion profiles as radar charts. The council
// reads the evaluators as "Evaluator 1..n" (the dossiers, too, show the committee's work without
// the evaluators' names); the secretariat and the head see their names, as on the ranking page.
// Every chart is SVG drawn on the server (internal/blocks/chart), with a description, a data table and
// /analytics/{chart}.csv serving exactly the table. internal/analytics repeats the roles, the seal
// and the confirmation in SQL.

// scopedReport loads the report of the edition in scope as the actor may see it
// (analytics.LoadReport) with the edition and its chooser.
func (s *Server) scopedReport(r *http.Request) (*edition.Edition, components.Field, []chart.Section, error) {
	ed, picker, err := s.scope(r)
	if err != nil {
		return nil, picker, nil, err
	}
	sections, err := analytics.LoadReport(r.Context(), s.pool, authz.ActorFrom(r.Context()), ed)
	return ed, picker, sections, err
}

// analyticsPage shows every chart of the edition (GET /analytics?edition=): the report of the
// edition in the scope's picker, loaded and built at once (analytics.LoadReport).
func (s *Server) analyticsPage(w http.ResponseWriter, r *http.Request) error {
	ed, picker, sections, err := s.scopedReport(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, pages.Analytics(pages.AnalyticsView{Page: s.page(r, i18n.Msg("Analytics, {{.Edition}}", "Edition", ed.Name)),
		Edition: picker, Choose: len(picker.Options) > 1, Name: ed.Name, Sections: sections}))
}

// analyticsCSV serves the data of one chart as CSV, exactly its data table
// (GET /analytics/{chart}.csv?edition=); 404 for a chart the page does not show.
func (s *Server) analyticsCSV(w http.ResponseWriter, r *http.Request) error {
	ed, _, sections, err := s.scopedReport(r)
	if err != nil {
		return err
	}
	id := chi.URLParam(r, "chart")
	c, ok := analytics.Figure(sections, id)
	if !ok {
		return errNotFound
	}
	// the table in the reader's language, as the page shows it
	say := func(cells []string) []string {
		out := make([]string, len(cells))
		for i, c := range cells {
			out[i] = i18n.T(r.Context(), c)
		}
		return out
	}
	rows := make([][]string, len(c.Table.Rows))
	for i, row := range c.Table.Rows {
		rows[i] = say(row)
	}
	var buf bytes.Buffer
	if err := analytics.WriteCSV(&buf, say(c.Table.Head), rows); err != nil {
		return err
	}
	return sendBytes(w, download{Name: ed.Slug + "-" + id + ".csv", ContentType: "text/csv; charset=utf-8", Data: buf.Bytes()})
}
