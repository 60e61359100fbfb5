package nomination

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/audit"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/blocks/link"
	"prizeportal/internal/blocks/timefmt"
	"prizeportal/internal/db"
	"prizeportal/internal/edition"
	"prizeportal/internal/files"
	"prizeportal/internal/i18n"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
	"prizeportal/internal/notify/wording"
)

// Letters of recommendation (DOMAIN.md "Leadership nominations": every nomination carries a
// letter of recommendation from someone in the four "head of" categories). The nominator invites
// a recommender, resends the link or replaces the recommender; the recommender answers through a
// private link (LinkLetter, subject the letter's id, valid until the letter deadline, used up by
// the letter) without an account; reminders go out a week and a day before the deadline.

var (
	// ErrLetterDeadline refuses to ask for a letter, or send a link, after the letter deadline.
	ErrLetterDeadline = fault.New(fault.Forbidden, "The deadline for letters of recommendation has passed: no recommender can be invited or sent a link any more.")
	// ErrNoRecommender refuses to resend a letter link before any recommender was invited.
	ErrNoRecommender = fault.New(fault.Conflict, "No recommender has been invited yet: invite one with the form.")
	// ErrRecommenderInvalid refuses an invitation whose details break a rule (Invitation.Validate
	// says which).
	ErrRecommenderInvalid = fault.New(fault.Invalid, "Check the recommender's details.")
	// ErrLetterInvalid refuses a letter whose details break a rule (Submission.Validate says
	// which).
	ErrLetterInvalid = fault.New(fault.Invalid, "Check the letter and your details.")
)

// LetterOpen reports whether letters may still be asked for and sent under rules at now (until
// the letter deadline).
func LetterOpen(rules *edition.Nominations, now time.Time) bool {
	return now.Before(rules.LetterDeadline)
}

// HeadCategoryNames lists the "head of" categories a recommender must belong to, as one
// sentence.
func HeadCategoryNames(rules *edition.Nominations) string {
	var names []string
	for _, c := range rules.HeadCategories() {
		names = append(names, c.Name)
	}
	return strings.Join(names, "; ")
}

// owned is owner's nomination id with its edition and category.
func (s *Service) owned(ctx context.Context, owner, id int64) (*Place, error) {
	n, err := Get(ctx, s.Pool, owner, id)
	if err != nil {
		return nil, err
	}
	return s.place(ctx, n)
}

// RecommenderInvited is the outcome of InviteRecommender: the new letter and the one it replaced (0
// for none).
type RecommenderInvited struct {
	Letter, Replaced int64
}

// InviteRecommender asks the recommender inv for the letter of actor's nomination id, replacing
// the current recommender if any (their links stop working, their letter no longer counts): it
// stores the invitation, issues the private link, audits and emails it in one transaction. The
// rules: only the nominator (owner filter), before the letter deadline (ErrLetterDeadline); the
// recommender's details valid (ErrRecommenderInvalid joined with the field.Errors of
// Invitation.Validate), from
// another organisation when the candidate heads one (ErrHeadSameOrganisation: DOMAIN.md
// "Leadership nominations"); within the nominator's email limits (*EmailLimitError).
func (s *Service) InviteRecommender(ctx context.Context, actor authz.Actor, id int64, inv Invitation) (RecommenderInvited, error) {
	p, err := s.owned(ctx, actor.UserID, id)
	if err != nil {
		return RecommenderInvited{}, err
	}
	now := s.Now()
	rules := p.Rules()
	if !LetterOpen(rules, now) {
		return RecommenderInvited{}, fault.Wrap(fault.Forbidden, "The deadline for letters of recommendation passed on "+
			timefmt.End(rules.LetterDeadline, p.Edition.TimeZone)+": no recommender can be invited any more.", ErrLetterDeadline)
	}
	inv.Normalize()
	if errs := inv.Validate(&p.Nomination); errs.Any() {
		return RecommenderInvited{}, errors.Join(ErrRecommenderInvalid, errs)
	}
	var out RecommenderInvited
	err = db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		lid, old, err := Invite(ctx, tx, actor.UserID, id, inv, now)
		if err != nil {
			return err
		}
		if err := TakeEmail(ctx, tx, actor.UserID, id, inv.Email, now); err != nil {
			return err
		}
		out = RecommenderInvited{Letter: lid, Replaced: old}
		if old != 0 {
			if err := link.Withdraw(ctx, tx, LinkLetter, old, now); err != nil {
				return err
			}
		}
		token, err := link.New(ctx, tx, LinkLetter, lid, rules.LetterDeadline, now)
		if err != nil {
			return err
		}
		details := map[string]any{"letter": lid, "recommender": inv.Email}
		if old != 0 {
			details["replaced"] = old
		}
		if err := audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: "nomination.letter_invite",
			ObjectType: "application", ObjectID: strconv.FormatInt(id, 10), Details: details}); err != nil {
			return err
		}
		_, err = s.Outbox.Queue(ctx, tx, s.letterInviteEmail(p.Edition, p.Category, letterParty{
			name: inv.Name, email: inv.Email, candidate: p.Nomination.CandidateName, nominator: NominatorLabel(&p.Nomination)}, token, ""))
		return err
	})
	if errors.Is(err, ErrHeadSameOrganisation) {
		// The nomination changed since it was loaded; Validate on the fresh one says why.
		if p, err = s.owned(ctx, actor.UserID, id); err != nil {
			return RecommenderInvited{}, err
		}
		return RecommenderInvited{}, errors.Join(ErrRecommenderInvalid, inv.Validate(&p.Nomination))
	}
	return out, err
}

// ResendLetterLink emails the current recommender of actor's nomination id a fresh link, audited
// in the same transaction, and returns the letter; nil when the letter was received already
// (nothing to send). Earlier links keep working until the letter is sent or they expire. Only
// the nominator, before the letter deadline (ErrLetterDeadline), within the email limits
// (*EmailLimitError); ErrNoRecommender (wrapping db.ErrNotFound) when no recommender was invited.
func (s *Service) ResendLetterLink(ctx context.Context, actor authz.Actor, id int64) (*Letter, error) {
	p, err := s.owned(ctx, actor.UserID, id)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	rules := p.Rules()
	if !LetterOpen(rules, now) {
		return nil, fault.Wrap(fault.Forbidden, "The deadline for letters of recommendation has passed: no link can be sent any more.", ErrLetterDeadline)
	}
	var sent *Letter
	err = db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		l, err := CurrentLetterForUpdate(ctx, tx, actor.UserID, id)
		if errors.Is(err, db.ErrNotFound) {
			return fault.Wrap(fault.Conflict, ErrNoRecommender.Message, err)
		} else if err != nil {
			return err
		}
		if l.Status == LetterReceived {
			return nil
		}
		if err := TakeEmail(ctx, tx, actor.UserID, id, l.InvitedEmail, now); err != nil {
			return err
		}
		sent = &l
		token, err := link.New(ctx, tx, LinkLetter, l.ID, rules.LetterDeadline, now)
		if err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: "nomination.letter_resend",
			ObjectType: "application", ObjectID: strconv.FormatInt(id, 10),
			Details: map[string]any{"letter": l.ID, "recommender": l.InvitedEmail}}); err != nil {
			return err
		}
		_, err = s.Outbox.Queue(ctx, tx, s.letterInviteEmail(p.Edition, p.Category, letterParty{
			name: l.InvitedName, email: l.InvitedEmail, candidate: p.Nomination.CandidateName, nominator: NominatorLabel(&p.Nomination)}, token,
			i18n.M("This is a new copy of an earlier request, sent at the nominator's wish.")))
		return err
	})
	if err != nil {
		return nil, err
	}
	return sent, nil
}

// letterParty is who an email about a letter goes to, and about whom.
type letterParty struct {
	name, email, candidate, nominator string
}

// letterInviteEmail asks a recommender for the letter through the private link token; extra is
// an optional first paragraph (a new copy's, in the registry's wording).
func (s *Service) letterInviteEmail(ed *edition.Edition, cat *edition.Category, p letterParty, token, extra string) notify.Message {
	rules := cat.Nominations
	values := wording.Values{wording.Name: p.name, wording.EditionName: ed.Name, wording.CandidateName: p.candidate,
		wording.Nominator: p.nominator, wording.Category: cat.Name, wording.HeadCategories: HeadCategoryNames(rules),
		wording.MaxFileSize: files.FormatSize(MaxLetterBytes), wording.Link: s.Site.URL("/letters/" + token),
		wording.Deadline: timefmt.End(rules.LetterDeadline, ed.TimeZone)}
	var paras []string
	if extra != "" {
		paras = append(paras, extra)
		values[wording.Resent] = i18n.Msg("{{.Paragraph}}\n\n", "Paragraph", extra) // extra: a text of the catalogs
	}
	paras = append(paras,
		p.nominator+" has nominated "+p.candidate+" for the "+cat.Name+" prize of the "+ed.Name+" and asks you to write a letter of recommendation.",
		"A letter of recommendation must come from someone in one of these categories: "+values[wording.HeadCategories]+".",
		"Follow the link to write your letter in the form, or to upload it as a PDF file (at most "+values[wording.MaxFileSize]+"). You do not need an account. The nominator is told when your letter arrives, but never sees it.")
	m := emails.ActionMessage("recommendation-letter-invite", p.email, p.name,
		"A letter of recommendation for "+p.candidate+" ("+ed.Name+")", 0, emails.ActionEmail{
			Meta: s.Site.Meta(ed), Title: "Would you recommend " + p.candidate + "?", Greeting: "Dear " + p.name + ",",
			Paragraphs: paras, ActionLabel: "Write or upload the letter", ActionURL: values[wording.Link],
			Note: "The link is personal: do not forward it. Letters are due by " + values[wording.Deadline] +
				". If you do not know the nominator or the candidate, you can ignore this email.",
		})
	values[wording.Deadline] = i18n.End(rules.LetterDeadline, ed.TimeZone) // in the reader's language
	m.Wording = s.Site.Wording(ed, m.Kind, values)
	return m
}

// letterReceivedEmail tells the nominator of t's nomination that its letter arrived at when, a
// time carried for the reader's language (i18n.Instant), (never the letter).
func (s *Service) letterReceivedEmail(t *LetterTarget, when string) notify.Message {
	n, ed := t.Nomination, t.Edition
	values := wording.Values{wording.Name: n.NominatorName, wording.CandidateName: n.CandidateName,
		wording.Recommender: t.Letter.InvitedName, wording.ReceivedAt: when, wording.Link: s.Site.URL(Home(n.ApplicationID))}
	m := emails.ActionMessage("recommendation-letter-received", n.NominatorEmail, n.NominatorName,
		"The letter of recommendation for "+n.CandidateName+" has arrived", n.UserID, emails.ActionEmail{
			Meta: s.Site.Meta(ed), Title: "The letter of recommendation has arrived", Greeting: "Dear " + n.NominatorName + ",",
			Paragraphs: []string{t.Letter.InvitedName + " sent their letter of recommendation for " + n.CandidateName + " on " + i18n.English(when) + ".",
				"The letter goes to the secretariat and the evaluators; nominators do not see it."},
			ActionLabel: "Open the nomination", ActionURL: values[wording.Link],
		})
	m.Wording = s.Site.Wording(ed, m.Kind, values)
	return m
}

// letterConfirmationEmail thanks the recommender of t, who signed name, for the letter that
// arrived at when (a carried time, i18n.Instant).
func (s *Service) letterConfirmationEmail(t *LetterTarget, name, when string) notify.Message {
	n, ed := t.Nomination, t.Edition
	values := wording.Values{wording.Name: name, wording.EditionName: ed.Name, wording.CandidateName: n.CandidateName,
		wording.ReceivedAt: when, wording.Link: s.Site.URL("/editions/" + ed.Slug)}
	m := emails.ActionMessage("recommendation-letter-confirmation", t.Letter.InvitedEmail, name,
		"Your letter of recommendation for "+n.CandidateName+" was received", 0, emails.ActionEmail{
			Meta: s.Site.Meta(ed), Title: "Thank you for your letter", Greeting: "Dear " + name + ",",
			Paragraphs: []string{"We received your letter of recommendation for " + n.CandidateName + " for the " + ed.Name + " on " + i18n.English(when) + ".",
				"The nominator is told that it arrived, but does not see it. There is nothing more to do."},
			ActionLabel: "About the prize", ActionURL: values[wording.Link],
		})
	m.Wording = s.Site.Wording(ed, m.Kind, values)
	return m
}

// --- the recommender's side

// LetterTarget is what a letter link opens: the letter, its nomination, edition and category.
type LetterTarget struct {
	Place
	Letter Letter
}

// LetterFileField is the name of the recommender's PDF input.
const LetterFileField = "letter_file"

// LetterFileLimits are the uploads the letter form takes: one PDF of at most MaxLetterBytes.
var LetterFileLimits = map[string]files.Limits{LetterFileField: {Accept: []files.Type{files.PDF}, MaxBytes: MaxLetterBytes, MaxFiles: 1}}

// ReadLetter reads the recommender's posted letter form res under the rules of t: the submission
// as typed (to show again), the normalized one to send, its PDF (nil without one) and the
// problems of both (Submission.Validate and the upload's own).
func (t *LetterTarget) ReadLetter(res *files.Result) (typed, sub Submission, upload *files.Stored, errs field.Errors) {
	v := res.Values
	typed = Submission{Name: v.Get("name"), Title: v.Get("title"), Organisation: v.Get("organisation"),
		Category: v.Get("category"), Text: v.Get("letter_text")}
	sub = typed
	sub.Normalize()
	errs = sub.Validate(t.Rules(), len(res.Files) > 0)
	for _, fe := range res.FieldErrors() {
		errs.Add(fe.Field, fe.Message)
	}
	if len(res.Files) > 0 {
		upload = &res.Files[0]
	}
	return typed, sub, upload, errs
}

// LetterLinkError is why a letter link cannot be used: Err is link.ErrUnknown, link.ErrUsed or
// link.ErrExpired (errors.Is works through it); Target is the letter the link was for, when it
// is known, so that the page can say what became of it (received, replaced, past the deadline).
type LetterLinkError struct {
	Err    error
	Target *LetterTarget
}

func (e *LetterLinkError) Error() string { return "nomination: letter link: " + e.Err.Error() }
func (e *LetterLinkError) Unwrap() error { return e.Err }

func (s *Service) letterTarget(ctx context.Context, letterID int64) (*LetterTarget, error) {
	l, err := LetterByID(ctx, s.Pool, letterID)
	if err != nil {
		return nil, err
	}
	n, err := ByID(ctx, s.Pool, l.ApplicationID)
	if err != nil {
		return nil, err
	}
	p, err := s.place(ctx, n)
	if err != nil {
		return nil, err
	}
	return &LetterTarget{Place: *p, Letter: l}, nil
}

// linkProblem is the *LetterLinkError of a letter link that failed with err (a link error, or
// nil for a link whose letter is no longer asked for) for letter letterID (0: unknown).
func (s *Service) linkProblem(ctx context.Context, err error, letterID int64) error {
	if err == nil {
		err = link.ErrUsed
	}
	if errors.Is(err, link.ErrUnknown) || letterID == 0 {
		return &LetterLinkError{Err: link.ErrUnknown}
	}
	t, terr := s.letterTarget(ctx, letterID)
	if terr != nil {
		t = nil
	}
	return &LetterLinkError{Err: err, Target: t}
}

// asked reports whether t's letter is still asked for at now: invited or opened, before the
// deadline.
func asked(t *LetterTarget, now time.Time) bool {
	return (t.Letter.Status == LetterInvited || t.Letter.Status == LetterOpened) && LetterOpen(t.Rules(), now)
}

// letterByToken opens the letter link token at now: the letter, still asked for, or a
// *LetterLinkError.
func (s *Service) letterByToken(ctx context.Context, token string, now time.Time) (*LetterTarget, error) {
	id, err := link.Open(ctx, s.Pool, LinkLetter, token, now)
	if err != nil {
		return nil, s.linkProblem(ctx, err, id)
	}
	t, err := s.letterTarget(ctx, id)
	if err != nil {
		return nil, err
	}
	if !asked(t, now) {
		return nil, s.linkProblem(ctx, nil, id)
	}
	return t, nil
}

// Letter opens the letter link token for the recommender: the letter still asked for, or a
// *LetterLinkError. Nothing changes.
func (s *Service) Letter(ctx context.Context, token string) (*LetterTarget, error) {
	return s.letterByToken(ctx, token, s.Now())
}

// OpenLetter is Letter, and marks the letter opened on the recommender's first visit (the
// nominator sees that it was).
func (s *Service) OpenLetter(ctx context.Context, token string) (*LetterTarget, error) {
	now := s.Now()
	t, err := s.letterByToken(ctx, token, now)
	if err != nil {
		return nil, err
	}
	if t.Letter.Status == LetterInvited {
		if err := MarkOpened(ctx, s.Pool, t.Letter.ID, now); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// ReceiveLetter stores the recommender's letter sent through the letter link token: written in
// sub.Text, or the PDF upload (nil for none, stored already by files.Receiver). In one
// transaction it uses up the link, records the file and the letter, audits it, tells the
// nominator it arrived (never what it says: nominators do not see letters) and confirms it to the
// recommender. It returns the letter's target and when it was received. The rules: the letter
// must still be asked for (invited or opened, before the letter deadline), else a
// *LetterLinkError; the recommender declares a "head of" category (DOMAIN.md "Leadership
// nominations"; Submission.Validate, else ErrLetterInvalid).
func (s *Service) ReceiveLetter(ctx context.Context, token string, sub Submission, upload *files.Stored) (*LetterTarget, time.Time, error) {
	now := s.Now()
	t, err := s.letterByToken(ctx, token, now)
	if err != nil {
		return nil, now, err
	}
	sub.Normalize()
	if sub.Validate(t.Rules(), upload != nil).Any() {
		return nil, now, ErrLetterInvalid
	}
	n, ed, id := t.Nomination, t.Edition, t.Letter.ID
	err = db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		if _, err := link.Use(ctx, tx, LinkLetter, token, now); err != nil {
			return err
		}
		sub.FileID = nil
		if upload != nil {
			rec, err := files.Record(ctx, tx, *upload, 0, now)
			if err != nil {
				return err
			}
			sub.FileID = &rec.ID
		}
		if err := Receive(ctx, tx, id, sub, now); err != nil {
			return err
		}
		details := map[string]any{"letter": id, "pdf": sub.FileID != nil, "category": sub.Category}
		if err := audit.Record(ctx, tx, audit.Entry{ActorLabel: "recommender " + t.Letter.InvitedEmail, Action: "nomination.letter_receive",
			ObjectType: "application", ObjectID: strconv.FormatInt(n.ApplicationID, 10), Details: details}); err != nil {
			return err
		}
		when := i18n.Instant(now, ed.TimeZone)
		if _, err := s.Outbox.Queue(ctx, tx, s.letterReceivedEmail(t, when)); err != nil {
			return err
		}
		_, err := s.Outbox.Queue(ctx, tx, s.letterConfirmationEmail(t, sub.Name, when))
		return err
	})
	switch {
	case errors.Is(err, link.ErrUsed) || errors.Is(err, link.ErrExpired) || errors.Is(err, link.ErrUnknown):
		return nil, now, s.linkProblem(ctx, err, id)
	case errors.Is(err, db.ErrConflict):
		return nil, now, s.linkProblem(ctx, nil, id)
	case err != nil:
		return nil, now, err
	}
	return t, now, nil
}

// --- the secretariat's side

// LetterPage is a nomination with its letter, as the secretariat reads it.
type LetterPage struct {
	*Place
	// File is the received letter's PDF when it came as one; nil otherwise.
	File *files.File
}

// SecretariatLetter is nomination id with its letter, for the secretariat member actor, and the
// received letter's PDF when it came as one. db.ErrNotFound unless actor serves the nomination's
// edition.
func (s *Service) SecretariatLetter(ctx context.Context, actor authz.Actor, id int64) (LetterPage, error) {
	p, err := s.ForSecretariat(ctx, actor, id)
	if err != nil {
		return LetterPage{}, err
	}
	l := p.Nomination.Letter
	if l == nil || l.Status != LetterReceived || l.FileID == nil {
		return LetterPage{Place: p}, nil
	}
	f, err := files.ByID(ctx, s.Pool, *l.FileID)
	if err != nil {
		return LetterPage{}, err
	}
	return LetterPage{Place: p, File: &f}, nil
}

// LetterFile is the PDF of nomination id's received letter, for the secretariat member actor;
// db.ErrNotFound when there is none or actor does not serve the nomination's edition.
func (s *Service) LetterFile(ctx context.Context, actor authz.Actor, id int64) (files.File, error) {
	p, err := s.SecretariatLetter(ctx, actor, id)
	if err != nil {
		return files.File{}, err
	}
	if p.File == nil {
		return files.File{}, db.ErrNotFound
	}
	return *p.File, nil
}
