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

	"prizeportal/internal/application"
	"prizeportal/internal/audit"
	"prizeportal/internal/authz"
	"prizeportal/internal/country"
	"prizeportal/internal/db"
	"prizeportal/internal/edition"
	"prizeportal/internal/field"
	"prizeportal/internal/link"
	"prizeportal/internal/nomination"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
	"prizeportal/internal/throttle"
	"prizeportal/web/components"
	"prizeportal/web/pages"
)

// Citizen endorsements (issue 5 item 4; DOMAIN.md "Leadership nominations": more than 30
// citizens' signatures may replace the letter of recommendation). The nominator opens a public
// endorsement page and shares its address; a citizen signs it without an account and confirms
// through an emailed link; only confirmed, distinct email addresses count. The nominator sees
// counts only; the secretariat sees the list. Endorsements are accepted until the letter
// deadline and while the nomination is not withdrawn.

var (
	// endorseIP limits signatures per client address, so a bot cannot flood the page (or the
	// mailboxes of the addresses it types).
	endorseIP = throttle.Policy{Kind: "endorse-ip", Window: time.Hour, Max: 20}
	// endorseAddress limits the emails one address receives from one nomination's page. Past it
	// the page looks the same but nothing is sent, so it reveals nothing about the address.
	endorseAddress = throttle.Policy{Kind: "endorse-address", Window: 24 * time.Hour, Max: 3}
)

// endorseLinkTTL is how long a confirmation link works at most (the letter deadline may end it
// sooner).
const endorseLinkTTL = 7 * 24 * time.Hour

// endorsementsClosed says why nomination n no longer accepts endorsements at now, or "".
func endorsementsClosed(n *nomination.Nomination, rules *edition.Nominations, loc *time.Location, now time.Time) string {
	switch {
	case n.Status == application.Withdrawn:
		return "This nomination was withdrawn: it no longer accepts endorsements."
	case !now.Before(rules.LetterDeadline):
		return "Endorsements were accepted until " + endStamp(rules.LetterDeadline, loc) + ". That deadline has passed."
	}
	return ""
}

// --- the nominator's side

// endorsementsPage shows the nominator whether the public endorsement page is open, its
// address, and the counts (GET /nominations/{nomination}/endorsements).
func (s *Server) endorsementsPage(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadEntry(r)
	if err != nil {
		return err
	}
	if c.nom == nil {
		return errNotFound
	}
	return s.renderEndorsements(w, r, http.StatusOK, c)
}

func (s *Server) renderEndorsements(w http.ResponseWriter, r *http.Request, status int, c *appContext) error {
	ctx, n, rules, loc, now := r.Context(), c.nom, c.cat.Nominations, c.ed.TimeZone, s.now()
	counts, err := nomination.CountEndorsements(ctx, s.pool, c.user.ID, n.ApplicationID, now)
	if err != nil {
		return err
	}
	v := pages.EndorsementsView{
		Page: s.page(r, "Citizen endorsements"), Candidate: n.CandidateName, Back: c.home,
		Open: n.EndorsementCode != "", Closed: endorsementsClosed(n, rules, loc, now), Action: c.url("/endorsements"),
		Confirmed: strconv.Itoa(counts.Confirmed), Pending: strconv.Itoa(counts.Pending),
		MoreThan: strconv.Itoa(rules.EndorsementsMoreThan), Qualifies: rules.Qualifies(counts.Confirmed),
		Missing:  strconv.Itoa(max(rules.EndorsementsMoreThan+1-counts.Confirmed, 0)),
		Deadline: endStamp(rules.LetterDeadline, loc),
	}
	v.CanOpen = !v.Open && v.Closed == ""
	if v.Open {
		v.Link = s.absURL(endorseHref(n.EndorsementCode))
	}
	return s.render(w, r, status, pages.EndorsementsPage(v))
}

func endorseHref(code string) string { return "/endorse/" + code }

// endorsementsOpen opens the public endorsement page of the nomination by giving it its code
// (POST /nominations/{nomination}/endorsements).
func (s *Server) endorsementsOpen(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadEntry(r)
	if err != nil {
		return err
	}
	if c.nom == nil {
		return errNotFound
	}
	if endorsementsClosed(c.nom, c.cat.Nominations, c.ed.TimeZone, s.now()) != "" && c.nom.EndorsementCode == "" {
		return s.renderEndorsements(w, r, http.StatusConflict, c)
	}
	ctx, id := r.Context(), c.nom.ApplicationID
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := nomination.OpenEndorsements(ctx, tx, c.user.ID, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: c.user.ID, Action: "nomination.endorsements_open",
			ObjectType: "application", ObjectID: strconv.FormatInt(id, 10), IP: s.clientIP(r)})
	})
	if err != nil {
		return err
	}
	s.flash(ctx, "The endorsement page is open: share its address with the candidate's supporters.")
	return redirect(w, r, c.url("/endorsements"))
}

// --- the public endorsement page

// endorseTarget is a nomination reached through its public code or a confirmation link, with its
// edition and category.
type endorseTarget struct {
	nom nomination.Nomination
	ed  *edition.Edition
	cat *edition.Category
}

func (s *Server) endorseTargetOf(ctx context.Context, n nomination.Nomination) (*endorseTarget, error) {
	ed, err := edition.ByID(ctx, s.pool, n.EditionID)
	if err != nil {
		return nil, err
	}
	for i := range ed.Categories {
		if c := &ed.Categories[i]; c.ID == n.CategoryID && c.Nominations != nil {
			return &endorseTarget{nom: n, ed: ed, cat: c}, nil
		}
	}
	return nil, db.ErrNotFound
}

func (t *endorseTarget) closed(now time.Time) string {
	return endorsementsClosed(&t.nom, t.cat.Nominations, t.ed.TimeZone, now)
}

// candidate names the candidate with their position and organisation.
func (t *endorseTarget) candidate() string {
	return t.nom.CandidateName + " (" + t.nom.CandidatePosition + ", " + t.nom.CandidateOrganisation + ")"
}

// endorseTargetByCode loads the nomination of the public page code. An unknown code renders a
// clear 404 page and returns ok false.
func (s *Server) endorseTargetByCode(w http.ResponseWriter, r *http.Request) (*endorseTarget, bool, error) {
	n, err := nomination.ByEndorsementCode(r.Context(), s.pool, chi.URLParam(r, "code"))
	if errors.Is(err, db.ErrNotFound) {
		return nil, false, s.render(w, r, http.StatusNotFound, pages.LinkProblem(pages.LinkProblemView{
			Page: s.page(r, "Endorsement page not found"), Heading: "This endorsement page does not exist",
			Message: "Check that you copied the whole address you were given: it is long and works only as sent. Ask the person who shared it for the address again.",
		}))
	}
	if err != nil {
		return nil, false, err
	}
	t, err := s.endorseTargetOf(r.Context(), n)
	if err != nil {
		return nil, false, err
	}
	return t, true, nil
}

// renderEndorseMessage shows a page with a heading and a few paragraphs, and no form.
func (s *Server) renderEndorseMessage(w http.ResponseWriter, r *http.Request, status int, heading string, paras ...string) error {
	return s.render(w, r, status, pages.FormPage(pages.FormView{Page: s.page(r, heading), Heading: heading, Intro: paras,
		NoForm: true, Links: []components.Link{{Label: "Go to the home page", Href: "/"}}}))
}

func (s *Server) renderEndorseClosed(w http.ResponseWriter, r *http.Request, t *endorseTarget, why string) error {
	return s.renderEndorseMessage(w, r, http.StatusGone, "Endorsements for "+t.nom.CandidateName+" are closed", why,
		"Thank you for your support all the same.")
}

// endorseForm is the public endorsement form.
type endorseForm struct {
	Name    string `form:"name"`
	City    string `form:"city"`
	Country string `form:"country"`
	Email   string `form:"email"`
	Confirm string `form:"confirm"`
}

func (s *Server) renderEndorse(w http.ResponseWriter, r *http.Request, status int, t *endorseTarget, f endorseForm, errs field.Errors, notice string) error {
	n := t.nom
	countries := []components.Option{{Value: "", Label: "Choose a country"}}
	for _, c := range country.All() {
		countries = append(countries, components.Option{Value: c.Code, Label: c.Name, Selected: c.Code == strings.ToUpper(f.Country)})
	}
	v := pages.EndorseView{
		Page: s.page(r, "Endorse "+n.CandidateName), Candidate: n.CandidateName, Errors: errs, Notice: notice,
		Action: r.URL.Path,
		Facts: []pages.Fact{
			{Label: "Candidate", Value: n.CandidateName},
			{Label: "Position", Value: n.CandidatePosition},
			{Label: "Organisation", Value: n.CandidateOrganisation},
			{Label: "Prize", Value: t.ed.Name + ", " + t.cat.Name + " category"},
			{Label: "Endorsements accepted until", Value: endStamp(t.cat.Nominations.LetterDeadline, t.ed.TimeZone)},
		},
		Statement: []string{
			"By endorsing, you support the nomination of " + n.CandidateName + " for the " + t.cat.Name + " prize of the " + t.ed.Name +
				". A nomination without a letter of recommendation qualifies with the confirmed endorsements of more than " +
				strconv.Itoa(t.cat.Nominations.EndorsementsMoreThan) + " citizens.",
			"We email you a link to confirm your endorsement: it counts only once confirmed, and only once per email address. The prize's secretariat sees your name, city, country and email address; the nominator sees only how many citizens endorsed the candidate.",
		},
		Fields: []components.Field{
			{Name: "name", Label: "Your full name", Value: f.Name, Autocomplete: "name", Required: true, MaxLength: 300},
			{Name: "city", Label: "City", Value: f.City, Autocomplete: "address-level2", Required: true, MaxLength: 300},
			{Name: "country", Label: "Country", Type: "select", Autocomplete: "country", Required: true, Options: countries},
			{Name: "email", Label: "Email address", Type: "email", Value: f.Email, Autocomplete: "email", Required: true, MaxLength: 300,
				Hint: "We send the confirmation link here."},
			{Name: "confirm", Label: "I endorse " + n.CandidateName + " for the " + t.cat.Name + " prize, and the details above are mine.",
				Type: "checkbox", Required: true, Checked: f.Confirm == "yes"},
		},
	}
	return s.render(w, r, status, pages.EndorsePage(v))
}

// endorsePage shows the public endorsement page of a candidate (GET /endorse/{code}).
func (s *Server) endorsePage(w http.ResponseWriter, r *http.Request) error {
	t, ok, err := s.endorseTargetByCode(w, r)
	if !ok || err != nil {
		return err
	}
	if why := t.closed(s.now()); why != "" {
		return s.renderEndorseClosed(w, r, t, why)
	}
	return s.renderEndorse(w, r, http.StatusOK, t, endorseForm{}, nil, "")
}

// endorsePost stores a citizen's unconfirmed endorsement and emails the confirmation link
// (POST /endorse/{code}). An address that already endorsed the candidate (confirmed) gets an
// email saying so instead; the page is the same either way, so it does not reveal who endorsed.
func (s *Server) endorsePost(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	t, ok, err := s.endorseTargetByCode(w, r)
	if !ok || err != nil {
		return err
	}
	var f endorseForm
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	now := s.now()
	if why := t.closed(now); why != "" {
		return s.renderEndorseClosed(w, r, t, why)
	}
	ip := s.clientIP(r)
	if wait, err := throttle.Check(ctx, s.pool, endorseIP, ip, now); err != nil {
		return err
	} else if wait > 0 {
		return s.renderEndorse(w, r, http.StatusTooManyRequests, t, f, nil,
			"Too many endorsements came from your network in the last hour. Please try again "+throttle.Describe(wait)+": what you typed is kept.")
	}
	sig := nomination.Signature{Name: f.Name, City: f.City, Country: f.Country, Email: f.Email, Confirm: f.Confirm == "yes"}
	sig.Normalize()
	if errs := sig.Validate(); errs.Any() {
		return s.renderEndorse(w, r, http.StatusUnprocessableEntity, t, f, errs, "")
	}
	id := t.nom.ApplicationID
	addrKey := strconv.FormatInt(id, 10) + ":" + nomination.NormEmail(sig.Email)
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		// Checked and counted in one step, so parallel signatures cannot share the allowance.
		if err := throttle.TakeAll(ctx, tx, now, throttle.Limit{Policy: endorseIP, Key: ip}); err != nil {
			return err
		}
		var limited *throttle.LimitError
		if err := throttle.TakeAll(ctx, tx, now, throttle.Limit{Policy: endorseAddress, Key: addrKey}); errors.As(err, &limited) {
			return nil // enough emails to this address for now: send nothing, show the same page
		} else if err != nil {
			return err
		}
		eid, err := nomination.AddEndorsement(ctx, tx, id, sig, now)
		if errors.Is(err, nomination.ErrAlreadyEndorsed) {
			_, err := s.outbox.Queue(ctx, tx, s.alreadyEndorsedEmail(t, sig))
			return err
		}
		if err != nil {
			return err
		}
		expires := now.Add(endorseLinkTTL)
		if deadline := t.cat.Nominations.LetterDeadline; deadline.Before(expires) {
			expires = deadline
		}
		token, err := link.New(ctx, tx, nomination.LinkEndorse, eid, expires, now)
		if err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Entry{Action: "nomination.endorse", ObjectType: "endorsement",
			ObjectID: strconv.FormatInt(eid, 10), IP: ip, Details: map[string]any{"nomination": id}}); err != nil {
			return err
		}
		_, err = s.outbox.Queue(ctx, tx, s.endorseConfirmEmail(t, sig, token, expires))
		return err
	})
	var limited *throttle.LimitError
	if errors.As(err, &limited) {
		return s.renderEndorse(w, r, http.StatusTooManyRequests, t, f, nil,
			"Too many endorsements came from your network in the last hour. Please try again "+throttle.Describe(limited.Wait)+": what you typed is kept.")
	}
	if err != nil {
		return err
	}
	return s.renderEndorseMessage(w, r, http.StatusOK, "Check your email",
		"We sent an email to "+sig.Email+". Follow the link in it to confirm your endorsement of "+t.nom.CandidateName+": it counts only once confirmed.",
		"If the email does not arrive within a few minutes, look in your spam folder.")
}

func (s *Server) endorseConfirmEmail(t *endorseTarget, sig nomination.Signature, token string, expires time.Time) notify.Message {
	return actionMessage("endorsement-confirm", sig.Email, sig.Name,
		"Confirm your endorsement of "+t.nom.CandidateName, 0, emails.ActionEmail{
			Meta:     s.emailMeta(t.ed),
			Title:    "Confirm your endorsement",
			Greeting: "Dear " + sig.Name + ",",
			Paragraphs: []string{
				"You endorsed " + t.candidate() + " for the " + t.cat.Name + " prize of the " + t.ed.Name + ".",
				"Your endorsement counts only once you confirm it with the button below.",
			},
			ActionLabel: "Confirm my endorsement",
			ActionURL:   s.absURL("/endorse/confirm/" + token),
			Note: "The link works once, until " + deadlineStamp(expires, t.ed.TimeZone) +
				". If you did not endorse anyone, ignore this email: nothing counts without your confirmation.",
		})
}

func (s *Server) alreadyEndorsedEmail(t *endorseTarget, sig nomination.Signature) notify.Message {
	return actionMessage("endorsement-already", sig.Email, sig.Name,
		"You have already endorsed "+t.nom.CandidateName, 0, emails.ActionEmail{
			Meta:     s.emailMeta(t.ed),
			Title:    "You have already endorsed this candidate",
			Greeting: "Dear " + sig.Name + ",",
			Paragraphs: []string{
				"Someone, probably you, endorsed " + t.candidate() + " again with this email address.",
				"Your earlier endorsement is confirmed and counts. Each email address counts once, so there is nothing more to do.",
			},
			ActionLabel: "See the endorsement page",
			ActionURL:   s.absURL(endorseHref(t.nom.EndorsementCode)),
			Note:        "If you did not endorse anyone, ignore this email.",
		})
}

// --- confirmation through the emailed link

const (
	endorseUsed    = "This confirmation link was already used: your endorsement is confirmed, and counts once."
	endorseExpired = "Confirmation links work for seven days and until the endorsement deadline. Sign the endorsement page again to get a new link, if it is still open."
)

// endorseConfirmTarget opens the confirmation link in the path: the endorsement and its
// nomination. A link that cannot be used renders its clear page and returns ok false.
func (s *Server) endorseConfirmTarget(w http.ResponseWriter, r *http.Request) (*endorseTarget, nomination.Endorsement, bool, error) {
	ctx := r.Context()
	eid, err := link.Open(ctx, s.pool, nomination.LinkEndorse, chi.URLParam(r, "token"), s.now())
	if err != nil {
		return nil, nomination.Endorsement{}, false, s.renderLinkProblem(w, r, err, "", endorseUsed, endorseExpired)
	}
	e, err := nomination.EndorsementByID(ctx, s.pool, eid)
	if err != nil {
		return nil, nomination.Endorsement{}, false, err
	}
	n, err := nomination.ByID(ctx, s.pool, e.ApplicationID)
	if err != nil {
		return nil, nomination.Endorsement{}, false, err
	}
	t, err := s.endorseTargetOf(ctx, n)
	if err != nil {
		return nil, nomination.Endorsement{}, false, err
	}
	if why := t.closed(s.now()); why != "" {
		return nil, nomination.Endorsement{}, false, s.renderEndorseClosed(w, r, t, why)
	}
	return t, e, true, nil
}

// endorseConfirmPage asks the citizen to confirm with a button (GET /endorse/confirm/{token}):
// a GET changes nothing, because mail scanners open links.
func (s *Server) endorseConfirmPage(w http.ResponseWriter, r *http.Request) error {
	t, e, ok, err := s.endorseConfirmTarget(w, r)
	if !ok || err != nil {
		return err
	}
	heading := "Confirm your endorsement of " + t.nom.CandidateName
	return s.render(w, r, http.StatusOK, pages.FormPage(pages.FormView{
		Page: s.page(r, heading), Heading: heading, Action: r.URL.Path, Submit: "Confirm my endorsement",
		Intro: []string{
			"You endorse " + t.candidate() + " for the " + t.cat.Name + " prize of the " + t.ed.Name + ".",
			"Signed by " + e.Name + ", " + e.City + ", " + country.Name(e.Country) + ", " + e.Email + ". Press the button to confirm: only confirmed endorsements count.",
		},
	}))
}

// endorseConfirm confirms the endorsement and uses up its link in one transaction
// (POST /endorse/confirm/{token}). An address confirmed meanwhile through another link counts
// once: the citizen is told they had already endorsed.
func (s *Server) endorseConfirm(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	t, e, ok, err := s.endorseConfirmTarget(w, r)
	if !ok || err != nil {
		return err
	}
	now := s.now()
	already := false
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := link.Use(ctx, tx, nomination.LinkEndorse, chi.URLParam(r, "token"), now); err != nil {
			return err
		}
		err := nomination.ConfirmEndorsement(ctx, tx, e.ID, now)
		if errors.Is(err, nomination.ErrAlreadyEndorsed) {
			already = true
			return nil
		}
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "nomination.endorse_confirm", ObjectType: "endorsement",
			ObjectID: strconv.FormatInt(e.ID, 10), IP: s.clientIP(r), Details: map[string]any{"nomination": e.ApplicationID}})
	})
	if errors.Is(err, link.ErrUsed) || errors.Is(err, link.ErrExpired) || errors.Is(err, link.ErrUnknown) {
		return s.renderLinkProblem(w, r, err, "", endorseUsed, endorseExpired)
	}
	if err != nil {
		return err
	}
	if already {
		return s.renderEndorseMessage(w, r, http.StatusOK, "You had already endorsed "+t.nom.CandidateName,
			"An endorsement with the email address "+e.Email+" was already confirmed. Each email address counts once, so your endorsement is counted. Thank you.")
	}
	return s.renderEndorseMessage(w, r, http.StatusOK, "Thank you: your endorsement is confirmed",
		"Your endorsement of "+t.candidate()+" is confirmed and counts towards the nomination.")
}

// --- the secretariat's list

// secretariatEndorsements lists the endorsements of a nomination with their totals
// (GET /secretariat/nominations/{id}/endorsements). authz checks the edition; the store repeats
// it in SQL.
func (s *Server) secretariatEndorsements(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		return errNotFound
	}
	actor := authz.ActorFrom(ctx)
	n, err := nomination.ForSecretariat(ctx, s.pool, actor.UserID, id)
	if err != nil {
		return err
	}
	if !authz.CanManageApplications(actor, n.EditionID) {
		return authz.ErrForbidden
	}
	t, err := s.endorseTargetOf(ctx, n)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	list, err := nomination.ListEndorsements(ctx, s.pool, actor.UserID, id, queryPage(q), s.now())
	if err != nil {
		return err
	}
	loc, rules := t.ed.TimeZone, t.cat.Nominations
	qualifies := "No"
	if rules.Qualifies(list.Confirmed) {
		qualifies = "Yes"
	}
	open := "Not opened by the nominator"
	if n.EndorsementCode != "" {
		open = s.absURL(endorseHref(n.EndorsementCode))
	}
	home := "/secretariat/nominations/" + strconv.FormatInt(id, 10)
	v := pages.SecretariatEndorsementsView{
		Page: s.page(r, "Endorsements for "+n.CandidateName), Candidate: n.CandidateName, Back: home,
		Facts: []pages.Fact{
			{Label: "Candidate", Value: n.CandidateName + ", " + n.CandidatePosition + ", " + n.CandidateOrganisation},
			{Label: "Endorsement page", Value: open},
			{Label: "Confirmed (distinct email addresses)", Value: strconv.Itoa(list.Confirmed)},
			{Label: "Awaiting confirmation", Value: strconv.Itoa(list.Pending)},
			{Label: "Signatures in all", Value: strconv.Itoa(list.Total)},
			{Label: "Qualifies (more than " + strconv.Itoa(rules.EndorsementsMoreThan) + " confirmed)", Value: qualifies},
			{Label: "Accepted until", Value: endStamp(rules.LetterDeadline, loc)},
		},
		Pager: pagerFor(r.URL.Path, q, list.Page, list.Pages, list.Total, nomination.EndorsementsPerPage, "signatures"),
	}
	v.BurstRule = "Listed here: " + strconv.Itoa(nomination.BurstDomainMin) + " or more signatures from one email domain within " +
		"an hour, and an address that signed more than once (tags after + and, at Gmail, dots do not make another address). " +
		"A listed pattern is not proof of abuse: check the signatures below."
	for _, b := range list.Bursts {
		when := formatInstant(b.From, loc)
		if !b.To.Equal(b.From) {
			when += " to " + formatInstant(b.To, loc)
		}
		row := pages.EndorsementBurst{What: "Many from one domain", Source: b.Domain, Count: strconv.Itoa(b.Count),
			Detail: "within an hour", When: when}
		if b.Address != "" {
			row.What, row.Source = "Repeated address", b.Address
			row.Detail = strconv.Itoa(b.Spellings) + " spelling"
			if b.Spellings != 1 {
				row.Detail += "s"
			}
		}
		v.Bursts = append(v.Bursts, row)
	}
	for _, e := range list.Rows {
		row := pages.EndorsementRow{Name: e.Name, City: e.City, Country: country.Name(e.Country), Email: e.Email,
			Signed: formatInstant(e.CreatedAt, loc), Confirmed: "Not confirmed"}
		if row.Country == "" {
			row.Country = e.Country
		}
		if e.ConfirmedAt != nil {
			row.Confirmed = formatInstant(*e.ConfirmedAt, loc)
		}
		v.Rows = append(v.Rows, row)
	}
	return s.render(w, r, http.StatusOK, pages.SecretariatEndorsements(v))
}
