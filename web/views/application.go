package views

import (
	"strconv"
	"time"

	"prizeportal/internal/application"
	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/blocks/form"
	"prizeportal/internal/i18n"
	"prizeportal/internal/nomination"
	"prizeportal/web/components"
	"prizeportal/web/pages"
)

// SectionHref is the page of section key of the application whose pages start at home.
func SectionHref(home, key string) string { return home + "/sections/" + key }

// AppFileURL gives the address of a file of the application whose pages start at home.
func AppFileURL(home string) func(form.FileRef) string {
	return func(f form.FileRef) string { return home + "/files/" + f.ID }
}

// ApplicationSummary is what every page of application e shows at now: its prize, category,
// status and deadline; nominated tells a nomination.
func ApplicationSummary(e application.Entry, nominated bool, now time.Time) pages.ApplicationSummary {
	loc := e.Edition.TimeZone
	published := application.PublishedDeadline(e.Edition.Schedule, e.App)
	return pages.ApplicationSummary{
		Home: e.Home, Noun: e.Noun(), Nomination: nominated, Prize: e.Edition.Name, Category: e.Category.Name,
		Status: e.App.Status.Label(), StatusNote: e.StatusNote(), Open: e.Open(now),
		Deadline: pages.DeadlineView{
			Local: i18n.Deadline(published, loc), Zone: loc.String(), UTC: i18n.Deadline(published, time.UTC),
			Instant: published.UTC().Format(time.RFC3339), Now: now.UTC().Format(time.RFC3339),
			Extended: !published.Equal(e.Edition.Schedule.ApplicationDeadline),
		},
	}
}

// ApplicationReview is the whole application e at now before submitting, with the problems that
// stop it and notice, without its Page; verified tells that the acting user's email is verified.
func ApplicationReview(e application.Entry, nominated, verified bool, now time.Time, problems []application.Problem, notice string) pages.ApplicationReviewView {
	f := e.Category.Form
	v := pages.ApplicationReviewView{
		Summary: ApplicationSummary(e, nominated, now),
		Notice:  notice, Unverified: !verified, Version: e.App.Version,
	}
	for _, p := range problems {
		v.Problems = append(v.Problems, pages.ReviewProblem{Message: p.Message, Href: SectionHref(e.Home, p.Section) + "#f-" + p.Field})
	}
	for i := range f.Sections {
		sec := &f.Sections[i]
		v.Sections = append(v.Sections, pages.ReviewSection{Title: sec.Title, Href: SectionHref(e.Home, sec.Key),
			Questions: ReviewQuestions(f, sec, e.App.Answers, AppFileURL(e.Home))})
	}
	if !e.Open(now) && v.Notice == "" {
		v.Notice = e.ClosedNotice()
	}
	v.CanSubmit = v.Summary.Open && verified && e.App.ID != 0 &&
		(e.App.Status != application.Submitted || e.App.Changed())
	return v
}

// ApplicationWithdraw asks to confirm withdrawing application e at now, or says why it cannot be
// (notice when given), without its Page.
func ApplicationWithdraw(e application.Entry, now time.Time, notice string) pages.FormView {
	open := e.Open(now)
	submit, keep := i18n.M("Withdraw my project application"), i18n.M("Keep my project application and go back")
	if e.App.Kind == application.KindNomination {
		submit, keep = i18n.M("Withdraw my nomination"), i18n.M("Keep my nomination and go back")
	}
	v := pages.FormView{
		Heading: i18n.M("Withdraw your application"), Notice: notice,
		Action: e.Home + "/withdraw", Submit: submit,
		Intro: []string{
			i18n.Msg("Withdrawing takes your application out of the {{.Prize}}: the committee will not consider it.", "Prize", e.Edition.Name),
			i18n.Msg("Your answers are kept, and you can submit the application again until {{.Deadline}}.", "Deadline", application.DeadlineMsg(e.Edition, e.App)),
		},
		Links:  []components.Link{{Label: keep, Href: e.Home}},
		NoForm: e.App.Status != application.Submitted || !open,
	}
	switch {
	case v.Notice != "":
	case !open:
		v.Notice = e.ClosedNotice()
	case e.App.Status != application.Submitted:
		if f, ok := fault.As(application.ErrNotWithdrawable); ok {
			v.Notice = f.Message
		}
	}
	return v
}

// SectionState is what a section page shows besides the stored application.
type SectionState struct {
	Answers   form.Answers
	Version   int
	Errs      field.Errors
	Notice    string
	Conflicts []pages.ConflictView
	ExtraRows map[string]int
}

// ApplicationSection is section sec of application e at now with what st holds, without its
// Page: a form while the application is open, the answers read-only after.
func ApplicationSection(e application.Entry, nominated bool, now time.Time, sec *form.Section, st SectionState) pages.ApplicationSectionView {
	f := e.Category.Form
	idx := f.SectionIndex(sec.Key)
	fileURL := AppFileURL(e.Home)
	v := pages.ApplicationSectionView{
		Summary: ApplicationSummary(e, nominated, now),
		Heading: sec.Title, Step: i18n.Msg("Section {{.Number}} of {{.Total}}", "Number", strconv.Itoa(idx+1), "Total", strconv.Itoa(len(f.Sections))),
		Action: SectionHref(e.Home, sec.Key), Version: st.Version, Errors: st.Errs, Notice: st.Notice,
		Conflicts: st.Conflicts, HasNext: idx+1 < len(f.Sections),
		Section: components.SectionView{Form: f, Section: sec.Key, Answers: st.Answers, Errors: st.Errs,
			ExtraRows: st.ExtraRows, FileURL: fileURL},
	}
	if idx > 0 {
		v.Prev = SectionHref(e.Home, f.Sections[idx-1].Key)
	}
	if v.HasNext {
		v.Next = SectionHref(e.Home, f.Sections[idx+1].Key)
	}
	if !e.Open(now) {
		v.ReadOnly = true
		v.Answers = ReviewQuestions(f, sec, st.Answers, fileURL)
		if v.Notice == "" {
			v.Notice = e.ClosedNotice()
		}
	}
	return v
}

// Submitted is the message after e was submitted; a nomination n still incomplete says what it
// lacks and by when (nomination.Nomination.Missing). n is nil for a project application.
func Submitted(e application.Entry, n *nomination.Nomination) string {
	if n != nil && e.Category.Nominations != nil {
		if m := n.Missing(e.Category.Nominations, e.Edition.TimeZone); m != "" {
			return i18n.Msg("Your nomination was submitted. We have emailed you a receipt. {{.Missing}}", "Missing", m)
		}
	}
	if e.App.Kind == application.KindNomination {
		return i18n.M("Your nomination was submitted. We have emailed you a receipt.")
	}
	return i18n.M("Your project application was submitted. We have emailed you a receipt.")
}
