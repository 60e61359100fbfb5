package server

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"prizeportal/internal/blocks/field"
	"prizeportal/internal/files"
	"prizeportal/internal/i18n"
	"prizeportal/internal/nomination"
	"prizeportal/web/components"
	"prizeportal/web/pages"
	"prizeportal/web/views"
)

// Letters of recommendation (DOMAIN.md "Leadership nominations"; the use cases are
// nomination.Service's). The nominator invites a recommender, resends the link or replaces the
// recommender, and sees only where the letter stands. The recommender answers through a private
// link without an account, writing the letter or uploading a PDF. Reminders go out a week and a
// day before the deadline (nomination.Service.LetterReminderTask). The secretariat reads the
// letter.

// --- the nominator's side

// recommenderForm is the form that invites (or replaces) the recommender.
type recommenderForm struct {
	Name         string `form:"name"`
	Email        string `form:"email"`
	Organisation string `form:"organisation"`
}

func (s *Server) renderLetterStatus(w http.ResponseWriter, r *http.Request, status int, c *appContext, f recommenderForm, errs field.Errors, notice string) error {
	n, rules, loc := c.nom, c.Category.Nominations, c.Edition.TimeZone
	v := pages.LetterStatusView{
		Page: s.page(r, "Letter of recommendation"), Candidate: n.CandidateName, Home: c.Home,
		Deadline: i18n.End(rules.LetterDeadline, loc), Notice: notice, Open: nomination.LetterOpen(rules, s.now()),
		ResendAction: c.url("/letter/resend"), Action: c.url("/letter"), Errors: errs,
		FormHeading: i18n.M("Invite a recommender"), Submit: i18n.M("Invite the recommender"),
	}
	if l := n.Letter; l != nil {
		v.Facts = append([]pages.Fact{
			{Label: i18n.M("Recommender"), Value: l.InvitedName + " (" + l.InvitedEmail + ")"},
			{Label: i18n.M("Organisation, as you entered it"), Value: l.InvitedOrganisation},
			{Label: i18n.M("Status"), Value: l.Status.Label()},
		}, views.LetterTimes(l, loc)...)
		if l.RemindersSent > 0 {
			v.Facts = append(v.Facts, pages.Fact{Label: i18n.M("Automatic reminders sent"), Value: strconv.Itoa(l.RemindersSent)})
		}
		v.CanResend = l.Status != nomination.LetterReceived && v.Open
		v.FormHeading, v.Submit = i18n.M("Replace the recommender"), i18n.M("Invite this recommender instead")
		v.FormIntro = []string{i18n.Msg("Inviting someone else replaces {{.Name}}: their link stops working and their letter will not be accepted.", "Name", l.InvitedName)}
		if l.Status == nomination.LetterReceived {
			v.FormIntro = []string{i18n.Msg("The letter from {{.Name}} has been received. Inviting someone else replaces it: it will no longer count.", "Name", l.InvitedName)}
		}
		v.Warning = n.HeadWarning()
	}
	if !v.Open && v.Notice == "" {
		v.Notice = i18n.Msg("The deadline for letters of recommendation passed on {{.When}}: no recommender can be invited or reminded any more.", "When", v.Deadline)
	}
	orgHint := i18n.M("The organisation the recommender heads.")
	if n.CandidateIsHead && n.Override == "" {
		orgHint = i18n.Msg("The organisation the recommender heads. The candidate heads an organisation ({{.Organisation}}), so the recommender must be from a different organisation (guidelines §6).",
			"Organisation", n.CandidateOrganisation)
	}
	v.Fields = components.WithErrors([]components.Field{
		{Name: "name", Label: i18n.M("The recommender's full name"), Value: f.Name, Required: true, MaxLength: 300,
			Hint: i18n.Msg("The recommender must be in one of these \"head of\" categories: {{.Categories}}.", "Categories", nomination.HeadCategoryNames(rules))},
		{Name: "email", Label: i18n.M("The recommender's email address"), Type: "email", Value: f.Email, Required: true, MaxLength: 300,
			Hint: i18n.M("We email the recommender a private link to write or upload the letter; they need no account.")},
		{Name: "organisation", Label: i18n.M("The recommender's organisation"), Value: f.Organisation, Required: true, MaxLength: 300, Hint: orgHint},
	}, errs)
	return s.render(w, r, status, pages.LetterStatus(v))
}

// letterPage shows the nomination's letter status and the invitation form
// (GET /nominations/{nomination}/letter).
func (s *Server) letterPage(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadEntry(r)
	if err != nil {
		return err
	}
	return s.renderLetterStatus(w, r, http.StatusOK, c, recommenderForm{}, nil, "")
}

// letterInvite invites a recommender, replacing the current one if any
// (POST /nominations/{nomination}/letter; nomination.Service.InviteRecommender).
func (s *Server) letterInvite(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var f recommenderForm
	c, err := s.postedEntry(w, r, &f)
	if err != nil {
		return err
	}
	inv := nomination.Invitation{Name: f.Name, Email: f.Email, Organisation: f.Organisation}
	res, err := s.nominations.InviteRecommender(ctx, c.actor, c.App.ID, inv)
	var (
		errs  field.Errors
		limit *nomination.EmailLimitError
	)
	switch {
	case errors.As(err, &errs):
		return s.renderLetterStatus(w, r, http.StatusUnprocessableEntity, c, f, errs, "")
	case errors.As(err, &limit):
		return s.renderLetterStatus(w, r, http.StatusTooManyRequests, c, f, nil, i18n.Msg("The invitation was not sent. {{.Limit}}", "Limit", limit.Message))
	case isFault(err): // the letter deadline (nomination.ErrLetterDeadline)
		return s.renderLetterStatus(w, r, faultProblem(err).status, c, f, nil, faultMessage(err))
	case err != nil:
		return err
	}
	inv.Normalize()
	if res.Replaced != 0 {
		s.flash(ctx, i18n.Msg("We have emailed {{.Name}} at {{.Email}} a private link to write the letter of recommendation. The previous recommender's link no longer works.", "Name", inv.Name, "Email", inv.Email))
	} else {
		s.flash(ctx, i18n.Msg("We have emailed {{.Name}} at {{.Email}} a private link to write the letter of recommendation.", "Name", inv.Name, "Email", inv.Email))
	}
	return redirect(w, r, c.url("/letter"))
}

// letterResend emails the current recommender a fresh link
// (POST /nominations/{nomination}/letter/resend; nomination.Service.ResendLetterLink). Earlier
// links keep working until the letter is sent or they expire.
func (s *Server) letterResend(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c, err := s.postedEntry(w, r, &struct{}{})
	if err != nil {
		return err
	}
	sent, err := s.nominations.ResendLetterLink(ctx, c.actor, c.App.ID)
	if limit := (*nomination.EmailLimitError)(nil); errors.As(err, &limit) {
		s.flash(ctx, i18n.Msg("No new link was sent. {{.Limit}}", "Limit", limit.Message))
		return redirect(w, r, c.url("/letter"))
	}
	return s.flashThen(w, r, err, c.url("/letter"), func() string {
		if sent == nil {
			return i18n.M("The letter has already been received: there is nothing to resend.")
		}
		return i18n.Msg("We have emailed {{.Name}} at {{.Email}} a new link to the letter form.", "Name", sent.InvitedName, "Email", sent.InvitedEmail)
	})
}

// --- the recommender's side

var letterLink = linkTexts{
	used:    i18n.M("This link has been used: the letter it asked for was sent. Use the link in the latest email you received, or write to the nominator."),
	expired: i18n.M("The deadline for letters of recommendation has passed."),
}

// letterLinkProblem answers a letter link that cannot be used (a *nomination.LetterLinkError)
// with a page that says why (nomination.LetterLinkError.Explain), never an error page. Any other
// error is returned as it is.
func (s *Server) letterLinkProblem(w http.ResponseWriter, r *http.Request, err error) error {
	var le *nomination.LetterLinkError
	if !errors.As(err, &le) {
		return err
	}
	heading, message, ok := le.Explain(s.now())
	if !ok {
		return s.renderLinkProblem(w, r, le.Err, letterLink)
	}
	return s.render(w, r, http.StatusGone, pages.LinkProblem(pages.LinkProblemView{Page: s.page(r, "This link cannot be used"),
		Heading: heading, Message: message}))
}

func (s *Server) renderLetterForm(w http.ResponseWriter, r *http.Request, status int, t *nomination.LetterTarget, f nomination.Submission, errs field.Errors, notice string) error {
	n, rules, loc, ed := t.Nomination, t.Rules(), t.Edition.TimeZone, t.Edition
	var cats []components.Option
	for _, c := range rules.HeadCategories() {
		cats = append(cats, components.Option{Value: c.Key, Label: c.Name, Selected: c.Key == f.Category})
	}
	candidate := n.CandidateName
	if n.CandidatePosition != "" {
		candidate += ", " + n.CandidatePosition
	}
	if n.CandidateOrganisation != "" {
		candidate += ", " + n.CandidateOrganisation
	}
	v := pages.LetterFormView{
		Page: s.page(r, "Letter of recommendation"), Recipient: t.Letter.InvitedName, Prize: ed.Name,
		Candidate: n.CandidateName, Nominator: nomination.NominatorLabel(&n), Deadline: i18n.End(rules.LetterDeadline, loc),
		Facts: []pages.Fact{
			{Label: i18n.M("Prize"), Value: ed.Name + ", " + t.Category.Name},
			{Label: i18n.M("Candidate"), Value: candidate},
			{Label: i18n.M("Nominated by"), Value: nomination.NominatorLabel(&n)},
			{Label: i18n.M("Letters due by"), Value: i18n.End(rules.LetterDeadline, loc)},
		},
		Notice: notice, Action: r.URL.Path, Errors: errs,
		About: components.WithErrors([]components.Field{
			{Name: "name", Label: i18n.M("Your full name"), Value: f.Name, Required: true, Autocomplete: "name", MaxLength: 300},
			{Name: "title", Label: i18n.M("Your title or position"), Value: f.Title, Required: true, Autocomplete: "organization-title", MaxLength: 300,
				Hint: i18n.M("For example Mayor, President, Director-General or Rector.")},
			{Name: "organisation", Label: i18n.M("Your organisation"), Value: f.Organisation, Required: true, Autocomplete: "organization", MaxLength: 300},
			{Name: "category", Label: i18n.M("Which of these describes you?"), Type: "radio", Required: true, Options: cats,
				Hint: i18n.M("A letter of recommendation must come from someone in one of these categories.")},
		}, errs),
		Text: components.Field{Name: "letter_text", Label: i18n.M("Your letter, written here"), Type: "textarea", Value: f.Text,
			Error: errs.Get("letter_text"), Hint: i18n.Msg("At most {{.Count}} words. Leave it empty if you upload a PDF.", "Count", strconv.Itoa(nomination.MaxLetterWords))},
		File: components.Field{Name: nomination.LetterFileField, Label: i18n.M("Or your letter as a PDF file"), Error: errs.Get(nomination.LetterFileField),
			Hint: i18n.Msg("PDF only, at most {{.Size}}. Leave it empty if you write the letter above.", "Size", files.FormatSize(nomination.MaxLetterBytes))},
	}
	return s.render(w, r, status, pages.LetterForm(v))
}

// recommenderPage shows the letter form to the recommender (GET /letters/{token}); the first
// visit marks the letter opened (nomination.Service.OpenLetter).
func (s *Server) recommenderPage(w http.ResponseWriter, r *http.Request) error {
	return linkPage(w, r, chi.URLParam(r, "token"), s.nominations.OpenLetter, s.letterLinkProblem, func(t *nomination.LetterTarget) error {
		return s.renderLetterForm(w, r, http.StatusOK, t, nomination.Submission{Name: t.Letter.InvitedName, Organisation: t.Letter.InvitedOrganisation}, nil, "")
	})
}

// recommenderPost receives the letter (POST /letters/{token}; nomination.Service.ReceiveLetter):
// written or a PDF, with who the recommender is. The link is used up in the transaction that
// stores the letter; the nominator is told it arrived (without its content) and the recommender
// gets a confirmation.
func (s *Server) recommenderPost(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	token := chi.URLParam(r, "token")
	t, err := s.nominations.Letter(ctx, token)
	if err != nil {
		return s.letterLinkProblem(w, r, err)
	}
	res, err := s.receive(w, r, nomination.LetterFileLimits, func(status int, msg string) error {
		return s.renderLetterForm(w, r, status, t, nomination.Submission{}, nil, i18n.Msg("{{.Problem}} Nothing was sent.", "Problem", msg))
	})
	if err != nil || res == nil {
		return err
	}
	discard := func() { s.discardUploads(ctx, res, "letter") }
	f, sub, upload, errs := t.ReadLetter(res) // f keeps what was typed; sub is checked and sent
	if errs.Any() {
		notice := ""
		if upload != nil {
			notice = i18n.M("Your letter was not sent yet. The PDF you chose was not kept: choose it again.")
		}
		discard()
		return s.renderLetterForm(w, r, http.StatusUnprocessableEntity, t, f, errs, notice)
	}
	t, at, err := s.nominations.ReceiveLetter(ctx, token, sub, upload)
	if err != nil {
		discard()
		return s.letterLinkProblem(w, r, err)
	}
	n := t.Nomination
	return s.render(w, r, http.StatusOK, pages.LetterThanks(pages.LetterThanksView{
		Page: s.page(r, "Thank you"), Candidate: n.CandidateName,
		Message: []string{
			i18n.Msg("Your letter of recommendation for {{.Candidate}} was received on {{.When}}. We have emailed you a confirmation.",
				"Candidate", n.CandidateName, "When", i18n.Instant(at, t.Edition.TimeZone)),
			i18n.M("The nominator is told that your letter arrived, but does not see it. There is nothing more to do, and this link no longer works."),
		},
	}))
}

// --- the secretariat's side

// secretariatLetter shows a nomination's letter of recommendation to the secretariat of its
// edition (GET /secretariat/nominations/{id}/letter): who was invited, what the recommender
// declared, and the letter.
func (s *Server) secretariatLetter(w http.ResponseWriter, r *http.Request) error {
	return showByID(s, w, r, s.nominations.SecretariatLetter, func(p nomination.LetterPage) templ.Component {
		v := views.SecretariatLetter(p)
		v.Page = s.page(r, i18n.Msg("Letter of recommendation for {{.Candidate}}", "Candidate", p.Nomination.CandidateName))
		return pages.SecretariatLetter(v)
	})
}

// secretariatLetterFile sends the PDF of a nomination's received letter to the secretariat of its
// edition (GET /secretariat/nominations/{id}/letter/file).
func (s *Server) secretariatLetterFile(w http.ResponseWriter, r *http.Request) error {
	return s.serveByID(w, r, s.nominations.LetterFile)
}
