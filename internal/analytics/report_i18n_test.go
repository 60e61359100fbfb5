package analytics_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"prizeportal/internal/analytics"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/chart"
	"prizeportal/internal/i18n"
)

// shownTexts are the texts of the report's sections as the analytics page shows them in the
// language of l (web/pages/analytics.templ): every title, description (with its rows), note,
// legend, table and mark label.
func shownTexts(l *i18n.Localizer, sections []chart.Section) []string {
	var out []string
	say := func(ss ...string) {
		for _, s := range ss {
			if s != "" {
				out = append(out, l.T(s))
			}
		}
	}
	for _, sec := range sections {
		say(sec.Title, sec.Intro, sec.Note)
		for _, c := range sec.Charts {
			items := make([]string, len(c.Items))
			for i, it := range c.Items {
				items[i] = l.T(it)
			}
			out = append(out, l.T(c.Desc, "Bars", strings.Join(items, "; ")))
			say(c.Title, c.Note, c.Legend, c.Table.Caption)
			say(c.Table.Head...)
			for _, row := range c.Table.Rows {
				say(row...)
			}
			for _, b := range c.Bars.Bars {
				say(b.Full)
			}
			for _, r := range c.Boxes.Rows {
				say(r.Full, r.Text)
			}
			for _, r := range c.Radars {
				say(r.Title, r.Desc)
			}
		}
	}
	return out
}

// withoutData is s without the edition's and the entries' own texts (names, titles, criteria:
// data, translated elsewhere) and the pseudo-locale's marked texts.
func withoutData(s string, data []string) string {
	s = i18n.Unmarked(s)
	for _, d := range data {
		s = strings.ReplaceAll(s, d, " ")
	}
	return s
}

// TestReportInKoreanAndPseudo: the closed round 2's analytics read by the council show every
// text of the score distributions, the criterion profiles and the country bars in the reader's
// language; only data (names, titles, criteria) stays as it is.
func TestReportInKoreanAndPseudo(t *testing.T) {
	t.Parallel()
	i18n.EnablePseudo()
	w := newWorld(t)
	w.closeRound(t)
	ctx := context.Background()
	council := authz.Actor{UserID: w.council, Grants: []authz.Grant{{Role: authz.RoleCouncil, EditionID: w.ed.ID}}}
	sections, err := analytics.LoadReport(ctx, w.pool, council, w.ed)
	if err != nil {
		t.Fatal(err)
	}
	data := []string{"Project T1", "Project T2", "Project T3", "Project H1"}
	for _, c := range w.ed.Categories {
		data = append(data, c.Name)
		for _, cr := range c.Criteria {
			data = append(data, cr.Name)
		}
	}
	// the longest first, so a name is not cut by a shorter one it holds
	for i := range data {
		for j := i + 1; j < len(data); j++ {
			if len(data[j]) > len(data[i]) {
				data[i], data[j] = data[j], data[i]
			}
		}
	}
	var mine []chart.Section
	for _, sec := range sections {
		switch sec.ID {
		case "scores", "semi-finalists":
			mine = append(mine, sec)
		case "submissions":
			for _, c := range sec.Charts {
				if c.ID == "submissions-country" || c.ID == "submissions-region" {
					mine = append(mine, chart.Section{ID: sec.ID, Charts: []chart.Figure{c}})
				}
			}
		}
	}
	if len(mine) != 4 {
		t.Fatalf("%d sections, want the scores, the profiles and two submission charts", len(mine))
	}
	for _, s := range shownTexts(i18n.For(i18n.Pseudo), mine) {
		if rest := withoutData(s, data); strings.IndexFunc(rest, unicode.IsLetter) >= 0 {
			t.Errorf("x-pseudo shows uncataloged text %q in %q", strings.TrimSpace(rest), s)
		}
	}
	english := regexp.MustCompile(`[A-Za-z]{2,}`)
	ko := shownTexts(i18n.For("ko"), mine)
	for _, s := range ko {
		// "UN M49" names the standard of the regions in every language
		if w := english.FindString(withoutData(strings.ReplaceAll(s, "UN M49", ""), data)); w != "" {
			t.Errorf("Korean shows the English %q in %q", w, s)
		}
	}
	all := strings.Join(ko, "\n")
	for _, want := range []string{"대한민국", "독일", "아시아", "유럽", "심사위원 1", "평가 기준별 점수", "본선 진출작의 평가 기준별 프로필",
		"심사위원장이 아직 Human-CentriCity 및 Leadership의 본선 진출작을 확정하지 않았습니다."} {
		if !strings.Contains(all, want) {
			t.Errorf("Korean lacks %q", want)
		}
	}
	// English unchanged: the descriptions list the rows as before
	en := strings.Join(shownTexts(i18n.For("en"), mine), "\n")
	for _, want := range []string{"Korea (South) 3; Germany 1", "Evaluator 1: mean ", "Asia 3; Europe 1",
		"The committee head has not confirmed the semi-finalists of Human-CentriCity and Leadership yet."} {
		if !strings.Contains(en, want) {
			t.Errorf("English lacks %q", want)
		}
	}
}
