package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"

	"prizeportal/internal/audit"
	"prizeportal/internal/authz"
	"prizeportal/internal/db"
	"prizeportal/internal/edition"
	"prizeportal/internal/field"
	"prizeportal/internal/files"
	"prizeportal/internal/link"
	"prizeportal/internal/nomination"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
	"prizeportal/web/components"
	"prizeportal/web/pages"
)

// Letters of recommendation (issue 5 item 3; DOMAIN.md "Leadership nominations"). The nominator
// invites a recommender, resends the link or replaces the recommender, and sees only where the
// letter stands. The recommender answers through a private link (nomination.LinkLetter, subject
// the letter's id, valid until the letter deadline, used up by the letter) without an account,
// writing the letter or uploading a PDF. Reminders go out a week and a day before the deadline
// (SendLetterReminders, run periodically by the worker). The secretariat reads the letter.

// letterFileField is the name of the recommender's PDF input.
const letterFileField = "letter_file"

// letterOpen reports whether letters may still be asked for and sent.
func (s *Server) letterOpen(rules *edition.Nominations) bool {
	return s.now().Before(rules.LetterDeadline)
}

// letterDeadlineText is the letter deadline in the edition's zone, naming the zone.
func letterDeadlineText(rules *edition.Nominations, loc *time.Location) string {
	return endStamp(rules.LetterDeadline, loc)
}

// headCategoryNames lists the "head of" categories a recommender must belong to, as one sentence.
func headCategoryNames(rules *edition.Nominations) string {
	var names []string
	for _, c := range rules.HeadCategories() {
		names = append(names, c.Name)
	}
	return strings.Join(names, "; ")
}

// Tasks are the server's periodic tasks, for the worker (notify.WorkerConfig.Tasks).
func (s *Server) Tasks() []notify.Task {
	return []notify.Task{{Name: "letter-reminders", Every: 30 * time.Minute, Run: s.SendLetterReminders},
		{Name: "scoring-reminders", Every: 30 * time.Minute, Run: s.SendScoringReminders},
		{Name: "results-announcement", Every: 30 * time.Minute, Run: s.SendResults},
		{Name: "repository-rebuild", Every: 6 * time.Hour, Run: s.RebuildRepository},
		{Name: "personal-data-retention", Every: 6 * time.Hour, Run: s.RetainPersonalData}}
}

// --- the nominator's side

// recommenderForm is the form that invites (or replaces) the recommender.
type recommenderForm struct {
	Name         string `form:"name"`
	Email        string `form:"email"`
	Organisation string `form:"organisation"`
}

func (s *Server) renderLetterStatus(w http.ResponseWriter, r *http.Request, status int, c *appContext, f recommenderForm, errs field.Errors, notice string) error {
	n, rules, loc := c.nom, c.cat.Nominations, c.ed.TimeZone
	v := pages.LetterStatusView{
		Page: s.page(r, "Letter of recommendation"), Candidate: n.CandidateName, Home: c.home,
		Deadline: letterDeadlineText(rules, loc), Notice: notice, Open: s.letterOpen(rules),
		ResendAction: c.url("/letter/resend"), Action: c.url("/letter"), Errors: errs,
		FormHeading: "Invite a recommender", Submit: "Invite the recommender",
	}
	if l := n.Letter; l != nil {
		v.Facts = []pages.Fact{
			{Label: "Recommender", Value: l.InvitedName + " (" + l.InvitedEmail + ")"},
			{Label: "Organisation, as you entered it", Value: l.InvitedOrganisation},
			{Label: "Status", Value: l.Status.Label()},
			{Label: "Invited", Value: formatInstant(l.InvitedAt, loc)},
		}
		if l.OpenedAt != nil {
			v.Facts = append(v.Facts, pages.Fact{Label: "Opened", Value: formatInstant(*l.OpenedAt, loc)})
		}
		if l.ReceivedAt != nil {
			v.Facts = append(v.Facts, pages.Fact{Label: "Received", Value: formatInstant(*l.ReceivedAt, loc)})
		}
		if l.RemindersSent > 0 {
			v.Facts = append(v.Facts, pages.Fact{Label: "Automatic reminders sent", Value: strconv.Itoa(l.RemindersSent)})
		}
		v.CanResend = l.Status != nomination.LetterReceived && v.Open
		v.FormHeading, v.Submit = "Replace the recommender", "Invite this recommender instead"
		v.FormIntro = []string{"Inviting someone else replaces " + l.InvitedName + ": their link stops working and their letter will not be accepted."}
		if l.Status == nomination.LetterReceived {
			v.FormIntro = []string{"The letter from " + l.InvitedName + " has been received. Inviting someone else replaces it: it will no longer count."}
		}
		if n.LetterConflict() {
			v.Warning = "The candidate heads an organisation, so their recommender must be from a different organisation (guidelines §6). This letter cannot count: invite a recommender from another organisation."
		}
	}
	if !v.Open && v.Notice == "" {
		v.Notice = "The deadline for letters of recommendation passed on " + v.Deadline + ": no recommender can be invited or reminded any more."
	}
	orgHint := "The organisation the recommender heads."
	if n.CandidateIsHead && n.Override == "" {
		orgHint += " The candidate heads an organisation (" + n.CandidateOrganisation + "), so the recommender must be from a different organisation (guidelines §6)."
	}
	v.Fields = components.WithErrors([]components.Field{
		{Name: "name", Label: "The recommender's full name", Value: f.Name, Required: true, MaxLength: 300,
			Hint: "The recommender must be in one of these \"head of\" categories: " + headCategoryNames(rules) + "."},
		{Name: "email", Label: "The recommender's email address", Type: "email", Value: f.Email, Required: true, MaxLength: 300,
			Hint: "We email the recommender a private link to write or upload the letter; they need no account."},
		{Name: "organisation", Label: "The recommender's organisation", Value: f.Organisation, Required: true, MaxLength: 300, Hint: orgHint},
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
// (POST /nominations/{nomination}/letter).
func (s *Server) letterInvite(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var f recommenderForm
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	c, err := s.loadEntry(r)
	if err != nil {
		return err
	}
	rules := c.cat.Nominations
	if !s.letterOpen(rules) {
		return s.renderLetterStatus(w, r, http.StatusForbidden, c, f, nil,
			"The deadline for letters of recommendation passed on "+letterDeadlineText(rules, c.ed.TimeZone)+": no recommender can be invited any more.")
	}
	inv := nomination.Invitation{Name: f.Name, Email: f.Email, Organisation: f.Organisation}
	inv.Normalize()
	if errs := inv.Validate(c.nom); errs.Any() {
		return s.renderLetterStatus(w, r, http.StatusUnprocessableEntity, c, f, errs, "")
	}
	now := s.now()
	var replaced int64
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		id, old, err := nomination.Invite(ctx, tx, c.actor.UserID, c.app.ID, inv, now)
		if err != nil {
			return err
		}
		if err := nomination.TakeEmail(ctx, tx, c.actor.UserID, c.app.ID, inv.Email, now); err != nil {
			return err
		}
		replaced = old
		if old != 0 {
			if err := link.Withdraw(ctx, tx, nomination.LinkLetter, old, now); err != nil {
				return err
			}
		}
		token, err := link.New(ctx, tx, nomination.LinkLetter, id, rules.LetterDeadline, now)
		if err != nil {
			return err
		}
		details := map[string]any{"letter": id, "recommender": inv.Email}
		if old != 0 {
			details["replaced"] = old
		}
		if err := audit.Record(ctx, tx, audit.Entry{ActorID: c.actor.UserID, Action: "nomination.letter_invite",
			ObjectType: "application", ObjectID: strconv.FormatInt(c.app.ID, 10), IP: s.clientIP(r), Details: details}); err != nil {
			return err
		}
		_, err = s.outbox.Queue(ctx, tx, s.letterInviteEmail(c.ed, c.cat, letterParty{
			name: inv.Name, email: inv.Email, candidate: c.nom.CandidateName, nominator: nominatorLabel(c.nom)}, token, ""))
		return err
	})
	if errors.Is(err, nomination.ErrHeadSameOrganisation) {
		// The nomination changed since it was loaded; Validate on the fresh one says why.
		if c, err = s.reload(ctx, c); err != nil {
			return err
		}
		return s.renderLetterStatus(w, r, http.StatusUnprocessableEntity, c, f, inv.Validate(c.nom), "")
	}
	var limit *nomination.EmailLimitError
	if errors.As(err, &limit) {
		return s.renderLetterStatus(w, r, http.StatusTooManyRequests, c, f, nil, "The invitation was not sent. "+limit.Message)
	}
	if err != nil {
		return err
	}
	msg := "We have emailed " + inv.Name + " at " + inv.Email + " a private link to write the letter of recommendation."
	if replaced != 0 {
		msg += " The previous recommender's link no longer works."
	}
	s.flash(ctx, msg)
	return redirect(w, r, c.url("/letter"))
}

// letterResend emails the current recommender a fresh link
// (POST /nominations/{nomination}/letter/resend). Earlier links keep working until the letter
// is sent or they expire.
func (s *Server) letterResend(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := decodeForm(w, r, &struct{}{}); err != nil {
		return err
	}
	c, err := s.loadEntry(r)
	if err != nil {
		return err
	}
	rules := c.cat.Nominations
	if !s.letterOpen(rules) {
		s.flash(ctx, "The deadline for letters of recommendation has passed: no link can be sent any more.")
		return redirect(w, r, c.url("/letter"))
	}
	now := s.now()
	var sent *nomination.Letter
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		l, err := nomination.CurrentLetterForUpdate(ctx, tx, c.actor.UserID, c.app.ID)
		if err != nil {
			return err
		}
		if l.Status == nomination.LetterReceived {
			return nil
		}
		if err := nomination.TakeEmail(ctx, tx, c.actor.UserID, c.app.ID, l.InvitedEmail, now); err != nil {
			return err
		}
		sent = &l
		token, err := link.New(ctx, tx, nomination.LinkLetter, l.ID, rules.LetterDeadline, now)
		if err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Entry{ActorID: c.actor.UserID, Action: "nomination.letter_resend",
			ObjectType: "application", ObjectID: strconv.FormatInt(c.app.ID, 10), IP: s.clientIP(r),
			Details: map[string]any{"letter": l.ID, "recommender": l.InvitedEmail}}); err != nil {
			return err
		}
		_, err = s.outbox.Queue(ctx, tx, s.letterInviteEmail(c.ed, c.cat, letterParty{
			name: l.InvitedName, email: l.InvitedEmail, candidate: c.nom.CandidateName, nominator: nominatorLabel(c.nom)}, token,
			"This is a new copy of an earlier request, sent at the nominator's wish."))
		return err
	})
	var limit *nomination.EmailLimitError
	switch {
	case errors.As(err, &limit):
		s.flash(ctx, "No new link was sent. "+limit.Message)
	case errors.Is(err, db.ErrNotFound):
		s.flash(ctx, "No recommender has been invited yet: invite one with the form.")
	case err != nil:
		return err
	case sent == nil:
		s.flash(ctx, "The letter has already been received: there is nothing to resend.")
	default:
		s.flash(ctx, "We have emailed "+sent.InvitedName+" at "+sent.InvitedEmail+" a new link to the letter form.")
	}
	return redirect(w, r, c.url("/letter"))
}

// nominatorLabel names the nominator with their organisation, for the recommender.
func nominatorLabel(n *nomination.Nomination) string {
	if n.NominatorOrganisation != "" {
		return n.NominatorName + " (" + n.NominatorOrganisation + ")"
	}
	return n.NominatorName
}

// letterParty is who an email about a letter goes to, and about whom.
type letterParty struct {
	name, email, candidate, nominator string
}

// letterInviteEmail asks a recommender for the letter through the private link token; extra is
// an optional first paragraph.
func (s *Server) letterInviteEmail(ed *edition.Edition, cat *edition.Category, p letterParty, token, extra string) notify.Message {
	rules := cat.Nominations
	var paras []string
	if extra != "" {
		paras = append(paras, extra)
	}
	paras = append(paras,
		p.nominator+" has nominated "+p.candidate+" for the "+cat.Name+" prize of the "+ed.Name+" and asks you to write a letter of recommendation.",
		"A letter of recommendation must come from someone in one of these categories: "+headCategoryNames(rules)+".",
		"Follow the link to write your letter in the form, or to upload it as a PDF file (at most "+files.FormatSize(nomination.MaxLetterBytes)+"). You do not need an account. The nominator is told when your letter arrives, but never sees it.")
	return actionMessage("recommendation-letter-invite", p.email, p.name,
		"A letter of recommendation for "+p.candidate+" ("+ed.Name+")", 0, emails.ActionEmail{
			Meta: s.emailMeta(ed), Title: "Would you recommend " + p.candidate + "?", Greeting: "Dear " + p.name + ",",
			Paragraphs: paras, ActionLabel: "Write or upload the letter", ActionURL: s.absURL("/letters/" + token),
			Note: "The link is personal: do not forward it. Letters are due by " + letterDeadlineText(rules, ed.TimeZone) +
				". If you do not know the nominator or the candidate, you can ignore this email.",
		})
}

// --- the recommender's side

// letterTarget is what a letter link opens: the letter, its nomination and edition.
type letterTarget struct {
	letter nomination.Letter
	nom    nomination.Nomination
	ed     *edition.Edition
	cat    *edition.Category
}

func (s *Server) letterTarget(ctx context.Context, letterID int64) (*letterTarget, error) {
	l, err := nomination.LetterByID(ctx, s.pool, letterID)
	if err != nil {
		return nil, err
	}
	n, err := nomination.ByID(ctx, s.pool, l.ApplicationID)
	if err != nil {
		return nil, err
	}
	ed, err := edition.ByID(ctx, s.pool, n.EditionID)
	if err != nil {
		return nil, err
	}
	t := &letterTarget{letter: l, nom: n, ed: ed}
	for i := range ed.Categories {
		if ed.Categories[i].ID == n.CategoryID {
			t.cat = &ed.Categories[i]
		}
	}
	if t.cat == nil || t.cat.Nominations == nil {
		return nil, db.ErrNotFound
	}
	return t, nil
}

const letterUsed = "This link has been used: the letter it asked for was sent. Use the link in the latest email you received, or write to the nominator."

// letterLinkProblem answers a letter link that cannot be used (err from link.Open or link.Use,
// or nil for a link whose letter is no longer asked for) with a page that says why: the letter
// was received (and when), the recommender was replaced, the deadline passed, or the link is
// unknown. Never an error page.
func (s *Server) letterLinkProblem(w http.ResponseWriter, r *http.Request, err error, letterID int64) error {
	if errors.Is(err, link.ErrUnknown) || letterID == 0 {
		return s.renderLinkProblem(w, r, link.ErrUnknown, "", "", "")
	}
	t, terr := s.letterTarget(r.Context(), letterID)
	if terr != nil {
		if err == nil {
			err = link.ErrUsed
		}
		return s.renderLinkProblem(w, r, err, "", letterUsed, "The deadline for letters of recommendation has passed.")
	}
	loc := t.ed.TimeZone
	v := pages.LinkProblemView{Page: s.page(r, "This link cannot be used")}
	switch {
	case t.letter.Status == nomination.LetterReceived:
		v.Heading = "This link has already been used"
		v.Message = "Your letter of recommendation for " + t.nom.CandidateName + " was received on " +
			formatInstant(*t.letter.ReceivedAt, loc) + ". Thank you: there is nothing more to do."
	case t.letter.Status == nomination.LetterReplaced:
		v.Heading = "This request was replaced"
		v.Message = "The nominator of " + t.nom.CandidateName + " has replaced you as recommender, so this link no longer works and no letter is needed from you. If you think this is a mistake, contact the nominator."
	case errors.Is(err, link.ErrExpired) || !s.letterOpen(t.cat.Nominations):
		v.Heading = "The deadline for letters has passed"
		v.Message = "Letters of recommendation for the " + t.ed.Name + " were due by " + letterDeadlineText(t.cat.Nominations, loc) +
			". This link has expired, and no letter can be sent any more."
	default:
		return s.renderLinkProblem(w, r, link.ErrUsed, "", letterUsed, "")
	}
	return s.render(w, r, http.StatusGone, pages.LinkProblem(v))
}

// letterValues is what the recommender typed, kept on a failed send.
type letterValues struct {
	name, title, organisation, category, text string
}

func (s *Server) renderLetterForm(w http.ResponseWriter, r *http.Request, status int, t *letterTarget, f letterValues, errs field.Errors, notice string) error {
	n, rules, loc := t.nom, t.cat.Nominations, t.ed.TimeZone
	var cats []components.Option
	for _, c := range rules.HeadCategories() {
		cats = append(cats, components.Option{Value: c.Key, Label: c.Name, Selected: c.Key == f.category})
	}
	candidate := n.CandidateName
	if n.CandidatePosition != "" {
		candidate += ", " + n.CandidatePosition
	}
	if n.CandidateOrganisation != "" {
		candidate += ", " + n.CandidateOrganisation
	}
	v := pages.LetterFormView{
		Page: s.page(r, "Letter of recommendation"), Recipient: t.letter.InvitedName, Prize: t.ed.Name,
		Candidate: n.CandidateName, Nominator: nominatorLabel(&n), Deadline: letterDeadlineText(rules, loc),
		Facts: []pages.Fact{
			{Label: "Prize", Value: t.ed.Name + ", " + t.cat.Name},
			{Label: "Candidate", Value: candidate},
			{Label: "Nominated by", Value: nominatorLabel(&n)},
			{Label: "Letters due by", Value: letterDeadlineText(rules, loc)},
		},
		Notice: notice, Action: r.URL.Path, Errors: errs,
		About: components.WithErrors([]components.Field{
			{Name: "name", Label: "Your full name", Value: f.name, Required: true, Autocomplete: "name", MaxLength: 300},
			{Name: "title", Label: "Your title or position", Value: f.title, Required: true, Autocomplete: "organization-title", MaxLength: 300,
				Hint: "For example Mayor, President, Director-General or Rector."},
			{Name: "organisation", Label: "Your organisation", Value: f.organisation, Required: true, Autocomplete: "organization", MaxLength: 300},
			{Name: "category", Label: "Which of these describes you?", Type: "radio", Required: true, Options: cats,
				Hint: "A letter of recommendation must come from someone in one of these categories."},
		}, errs),
		Text: components.Field{Name: "letter_text", Label: "Your letter, written here", Type: "textarea", Value: f.text,
			Error: errs.Get("letter_text"), Hint: "At most " + strconv.Itoa(nomination.MaxLetterWords) + " words. Leave it empty if you upload a PDF."},
		File: components.Field{Name: letterFileField, Label: "Or your letter as a PDF file", Error: errs.Get(letterFileField),
			Hint: "PDF only, at most " + files.FormatSize(nomination.MaxLetterBytes) + ". Leave it empty if you write the letter above."},
	}
	return s.render(w, r, status, pages.LetterForm(v))
}

// recommenderPage shows the letter form to the recommender (GET /letters/{token}); the first
// visit marks the letter opened.
func (s *Server) recommenderPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	now := s.now()
	id, err := link.Open(ctx, s.pool, nomination.LinkLetter, chi.URLParam(r, "token"), now)
	if err != nil {
		return s.letterLinkProblem(w, r, err, id)
	}
	t, err := s.letterTarget(ctx, id)
	if err != nil {
		return err
	}
	if t.letter.Status != nomination.LetterInvited && t.letter.Status != nomination.LetterOpened || !s.letterOpen(t.cat.Nominations) {
		return s.letterLinkProblem(w, r, nil, id)
	}
	if t.letter.Status == nomination.LetterInvited {
		if err := nomination.MarkOpened(ctx, s.pool, id, now); err != nil {
			return err
		}
	}
	return s.renderLetterForm(w, r, http.StatusOK, t, letterValues{name: t.letter.InvitedName, organisation: t.letter.InvitedOrganisation}, nil, "")
}

// recommenderPost receives the letter (POST /letters/{token}): written or a PDF, with who the
// recommender is. The link is used up in the transaction that stores the letter; the nominator
// is told it arrived (without its content) and the recommender gets a confirmation.
func (s *Server) recommenderPost(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	now := s.now()
	token := chi.URLParam(r, "token")
	id, err := link.Open(ctx, s.pool, nomination.LinkLetter, token, now)
	if err != nil {
		return s.letterLinkProblem(w, r, err, id)
	}
	t, err := s.letterTarget(ctx, id)
	if err != nil {
		return err
	}
	rules := t.cat.Nominations
	if t.letter.Status != nomination.LetterInvited && t.letter.Status != nomination.LetterOpened || !s.letterOpen(rules) {
		return s.letterLinkProblem(w, r, nil, id)
	}
	rc := files.Receiver{Storage: s.files, Files: map[string]files.Limits{
		letterFileField: {Accept: []files.Type{files.PDF}, MaxBytes: nomination.MaxLetterBytes, MaxFiles: 1}}}
	res, err := rc.Receive(w, r)
	var reqErr *files.RequestError
	if errors.As(err, &reqErr) {
		return s.renderLetterForm(w, r, reqErr.Status, t, letterValues{}, nil, reqErr.Message+" Nothing was sent.")
	}
	if err != nil {
		return err
	}
	discard := func() {
		if derr := res.Discard(context.WithoutCancel(ctx)); derr != nil {
			s.ctxLog(ctx).Error("letter: discard upload", "err", derr)
		}
	}
	f := letterValues{name: res.Values.Get("name"), title: res.Values.Get("title"), organisation: res.Values.Get("organisation"),
		category: res.Values.Get("category"), text: res.Values.Get("letter_text")}
	sub := nomination.Submission{Name: f.name, Title: f.title, Organisation: f.organisation, Category: f.category, Text: f.text}
	sub.Normalize()
	errs := sub.Validate(rules, len(res.Files) > 0)
	for _, fe := range res.FieldErrors() {
		errs.Add(fe.Field, fe.Message)
	}
	if errs.Any() {
		notice := ""
		if len(res.Files) > 0 {
			notice = "Your letter was not sent yet. The PDF you chose was not kept: choose it again."
		}
		discard()
		return s.renderLetterForm(w, r, http.StatusUnprocessableEntity, t, f, errs, notice)
	}
	n := t.nom
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := link.Use(ctx, tx, nomination.LinkLetter, token, now); err != nil {
			return err
		}
		sub.FileID = nil
		if len(res.Files) > 0 {
			rec, err := files.Record(ctx, tx, res.Files[0], 0, now)
			if err != nil {
				return err
			}
			sub.FileID = &rec.ID
		}
		if err := nomination.Receive(ctx, tx, id, sub, now); err != nil {
			return err
		}
		details := map[string]any{"letter": id, "pdf": sub.FileID != nil, "category": sub.Category}
		if err := audit.Record(ctx, tx, audit.Entry{ActorLabel: "recommender " + t.letter.InvitedEmail, Action: "nomination.letter_receive",
			ObjectType: "application", ObjectID: strconv.FormatInt(n.ApplicationID, 10), IP: s.clientIP(r), Details: details}); err != nil {
			return err
		}
		when := formatInstant(now, t.ed.TimeZone)
		if _, err := s.outbox.Queue(ctx, tx, actionMessage("recommendation-letter-received", n.NominatorEmail, n.NominatorName,
			"The letter of recommendation for "+n.CandidateName+" has arrived", n.UserID, emails.ActionEmail{
				Meta: s.emailMeta(t.ed), Title: "The letter of recommendation has arrived", Greeting: "Dear " + n.NominatorName + ",",
				Paragraphs: []string{t.letter.InvitedName + " sent their letter of recommendation for " + n.CandidateName + " on " + when + ".",
					"The letter goes to the secretariat and the evaluators; nominators do not see it."},
				ActionLabel: "Open the nomination", ActionURL: s.absURL(nominationHome(n.ApplicationID)),
			})); err != nil {
			return err
		}
		_, err := s.outbox.Queue(ctx, tx, actionMessage("recommendation-letter-confirmation", t.letter.InvitedEmail, sub.Name,
			"Your letter of recommendation for "+n.CandidateName+" was received", 0, emails.ActionEmail{
				Meta: s.emailMeta(t.ed), Title: "Thank you for your letter", Greeting: "Dear " + sub.Name + ",",
				Paragraphs: []string{"We received your letter of recommendation for " + n.CandidateName + " for the " + t.ed.Name + " on " + when + ".",
					"The nominator is told that it arrived, but does not see it. There is nothing more to do."},
				ActionLabel: "About the prize", ActionURL: s.absURL("/editions/" + t.ed.Slug),
			}))
		return err
	})
	if err != nil {
		discard()
		if errors.Is(err, link.ErrUsed) || errors.Is(err, link.ErrExpired) || errors.Is(err, link.ErrUnknown) {
			return s.letterLinkProblem(w, r, err, id)
		}
		if errors.Is(err, db.ErrConflict) {
			return s.letterLinkProblem(w, r, nil, id)
		}
		return err
	}
	return s.render(w, r, http.StatusOK, pages.LetterThanks(pages.LetterThanksView{
		Page: s.page(r, "Thank you"), Candidate: n.CandidateName,
		Message: []string{
			"Your letter of recommendation for " + n.CandidateName + " was received on " + formatInstant(now, t.ed.TimeZone) + ". We have emailed you a confirmation.",
			"The nominator is told that your letter arrived, but does not see it. There is nothing more to do, and this link no longer works.",
		},
	}))
}

// --- reminders

// SendLetterReminders queues a reminder, with a fresh link, to every recommender who has not
// sent their letter a week and again a day before the letter deadline (nomination.DueReminders),
// each stage once. Each reminder is marked, linked and queued in its own transaction, so one
// failure does not hold up the others; it is run periodically by the worker (Tasks).
func (s *Server) SendLetterReminders(ctx context.Context) error {
	now := s.now()
	due, err := nomination.DueReminders(ctx, s.pool, now)
	if err != nil {
		return err
	}
	eds := map[int64]*edition.Edition{}
	var errs []error
	for _, d := range due {
		ed, ok := eds[d.EditionID]
		if !ok {
			if ed, err = edition.ByID(ctx, s.pool, d.EditionID); err != nil {
				errs = append(errs, err)
				continue
			}
			eds[d.EditionID] = ed
		}
		var cat *edition.Category
		for i := range ed.Categories {
			if ed.Categories[i].ID == d.CategoryID {
				cat = &ed.Categories[i]
			}
		}
		if cat == nil || cat.Nominations == nil {
			continue
		}
		err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
			ok, err := nomination.MarkReminded(ctx, tx, d.LetterID, d.Stage, now)
			if err != nil || !ok {
				return err
			}
			token, err := link.New(ctx, tx, nomination.LinkLetter, d.LetterID, cat.Nominations.LetterDeadline, now)
			if err != nil {
				return err
			}
			if err := audit.Record(ctx, tx, audit.Entry{ActorLabel: "system", Action: "nomination.letter_reminder",
				ObjectType: "application", ObjectID: strconv.FormatInt(d.NominationID, 10),
				Details: map[string]any{"letter": d.LetterID, "stage": d.Stage, "recommender": d.InvitedEmail}}); err != nil {
				return err
			}
			when := "in a week"
			if d.Stage == 2 {
				when = "tomorrow"
			}
			msg := s.letterInviteEmail(ed, cat, letterParty{name: d.InvitedName, email: d.InvitedEmail, candidate: d.CandidateName,
				nominator: d.NominatorName}, token, "A reminder: letters of recommendation are due "+when+", by "+
				letterDeadlineText(cat.Nominations, ed.TimeZone)+", and we have not received yours yet. Any earlier link still works too.")
			msg.Kind = "recommendation-letter-reminder"
			msg.Subject = "Reminder: " + msg.Subject
			_, err = s.outbox.Queue(ctx, tx, msg)
			return err
		})
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// --- the secretariat's side

// secretariatLetter shows a nomination's letter of recommendation to the secretariat of its
// edition (GET /secretariat/nominations/{id}/letter): who was invited, what the recommender
// declared, and the letter.
func (s *Server) secretariatLetter(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		return errNotFound
	}
	n, err := nomination.ForSecretariat(ctx, s.pool, authz.ActorFrom(ctx).UserID, id)
	if err != nil {
		return err
	}
	ed, err := edition.ByID(ctx, s.pool, n.EditionID)
	if err != nil {
		return err
	}
	var rules *edition.Nominations
	for i := range ed.Categories {
		if ed.Categories[i].ID == n.CategoryID {
			rules = ed.Categories[i].Nominations
		}
	}
	if rules == nil {
		return errNotFound
	}
	loc := ed.TimeZone
	base := "/secretariat/nominations/" + strconv.FormatInt(id, 10)
	v := pages.SecretariatLetterView{Page: s.page(r, "Letter of recommendation for "+n.CandidateName), Candidate: n.CandidateName,
		Back: base, None: n.Letter == nil}
	if l := n.Letter; l != nil {
		candidate := n.CandidateName + ", " + n.CandidatePosition + ", " + n.CandidateOrganisation
		if n.CandidateIsHead {
			candidate += " (heads an organisation)"
		}
		v.Facts = []pages.Fact{
			{Label: "Candidate", Value: candidate},
			{Label: "Nominator", Value: nominatorLabel(&n)},
			{Label: "Invited recommender", Value: l.InvitedName + " (" + l.InvitedEmail + "), " + l.InvitedOrganisation},
			{Label: "Status", Value: l.Status.Label()},
			{Label: "Invited", Value: formatInstant(l.InvitedAt, loc)},
			{Label: "Letters due by", Value: letterDeadlineText(rules, loc)},
		}
		if l.OpenedAt != nil {
			v.Facts = append(v.Facts, pages.Fact{Label: "Opened", Value: formatInstant(*l.OpenedAt, loc)})
		}
		if l.ReceivedAt != nil {
			v.Facts = append(v.Facts, pages.Fact{Label: "Received", Value: formatInstant(*l.ReceivedAt, loc)})
		}
		if n.Override != "" {
			v.Facts = append(v.Facts, pages.Fact{Label: "Same-organisation exception", Value: n.Override})
		}
		if n.LetterConflict() {
			v.Warning = "The candidate heads an organisation and the recommender declared the same organisation, so this letter does not count (guidelines §6) unless the secretariat accepts an exception."
		}
		if l.Status == nomination.LetterReceived {
			category := l.RecommenderCategory
			if c, ok := rules.Category(category); ok {
				category = c.Name
			}
			v.Declared = []pages.Fact{
				{Label: "Name", Value: l.RecommenderName},
				{Label: "Title", Value: l.RecommenderTitle},
				{Label: "Organisation", Value: l.RecommenderOrganisation},
				{Label: "Category", Value: category},
			}
			for _, p := range strings.Split(l.Text, "\n") {
				if p = strings.TrimSpace(p); p != "" {
					v.Paragraphs = append(v.Paragraphs, p)
				}
			}
			if l.FileID != nil {
				f, err := files.ByID(ctx, s.pool, *l.FileID)
				if err != nil {
					return err
				}
				v.FileHref, v.FileName = base+"/letter/file", f.Name
			}
		}
	}
	return s.render(w, r, http.StatusOK, pages.SecretariatLetter(v))
}

// secretariatLetterFile sends the PDF of a nomination's received letter to the secretariat of its
// edition (GET /secretariat/nominations/{id}/letter/file).
func (s *Server) secretariatLetterFile(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		return errNotFound
	}
	n, err := nomination.ForSecretariat(ctx, s.pool, authz.ActorFrom(ctx).UserID, id)
	if err != nil {
		return err
	}
	if n.Letter == nil || n.Letter.Status != nomination.LetterReceived || n.Letter.FileID == nil {
		return errNotFound
	}
	f, err := files.ByID(ctx, s.pool, *n.Letter.FileID)
	if err != nil {
		return err
	}
	return files.Serve(w, r, s.files, f)
}
