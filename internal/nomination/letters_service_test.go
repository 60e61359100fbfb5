package nomination_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/link"
	"prizeportal/internal/db"
	"prizeportal/internal/edition"
	"prizeportal/internal/files"
	"prizeportal/internal/nomination"
)

var ltLetter = nomination.Submission{Name: "Park Won-soon", Title: "Secretary-General", Organisation: "WeGO",
	Category: "civil-society-head", Text: "A fine leader."}

// TestServiceLetter: the nominator invites and reminds a recommender before the letter deadline;
// the recommender's link opens the form once asked for, and the letter uses it up; the nominator
// is told it arrived and the recommender gets a confirmation (DOMAIN.md "Leadership
// nominations": every nomination carries a letter of recommendation).
func TestServiceLetter(t *testing.T) {
	t.Parallel()
	pool, ed, cat, c, svc := serviceSetup(t)
	ctx := ipCtx()
	owner := nominator(t, pool, ed, cat, "lt-owner")
	actor := authz.Actor{UserID: owner}
	id, err := create(t, pool, owner, ed, cat, thirdParty("lee"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.InviteRecommender(ctx, authz.Actor{UserID: owner + 999}, id, ltRecommender); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("another account's invitation: %v", err)
	}
	if _, err := svc.InviteRecommender(ctx, actor, id, nomination.Invitation{Name: "P", Email: "not an address"}); !errors.Is(err, nomination.ErrRecommenderInvalid) {
		t.Fatalf("invalid recommender: %v", err)
	}
	if _, err := svc.ResendLetterLink(ctx, actor, id); !errors.Is(err, db.ErrNotFound) || faultText(err) != nomination.ErrNoRecommender.Message {
		t.Fatalf("resend before any invitation: %v", err)
	}
	first, err := svc.InviteRecommender(ctx, actor, id, ltRecommender)
	if err != nil || first.Letter == 0 || first.Replaced != 0 {
		t.Fatalf("invite: %+v %v", first, err)
	}
	invites := queued(t, pool, "recommendation-letter-invite")
	if len(invites) != 1 || invites[0].to != ltRecommender.Email {
		t.Fatalf("invitation emails: %+v", invites)
	}
	firstToken := tokenIn(t, invites)
	second, err := svc.InviteRecommender(ctx, actor, id, nomination.Invitation{Name: "Oh Se-hoon", Email: "oh@un.example", Organisation: "UN-Habitat"})
	if err != nil || second.Replaced != first.Letter {
		t.Fatalf("replace: %+v %v", second, err)
	}
	var le *nomination.LetterLinkError
	if _, err := svc.Letter(ctx, firstToken); !errors.As(err, &le) || !errors.Is(err, link.ErrUsed) ||
		le.Target == nil || le.Target.Letter.Status != nomination.LetterReplaced {
		t.Fatalf("the replaced recommender's link: %v", err)
	}
	sent, err := svc.ResendLetterLink(ctx, actor, id)
	if err != nil || sent == nil || sent.ID != second.Letter {
		t.Fatalf("resend: %+v %v", sent, err)
	}
	invites = queued(t, pool, "recommendation-letter-invite")
	if len(invites) != 3 || !strings.Contains(invites[2].text, "a new copy of an earlier request") {
		t.Fatalf("invitation emails after resending: %+v", invites)
	}
	if n := audited(t, pool, "nomination.letter_invite", "192.0.2.7") + audited(t, pool, "nomination.letter_resend", "192.0.2.7"); n != 3 {
		t.Fatalf("audit entries: %d", n)
	}

	token := tokenIn(t, invites)
	lt, err := svc.OpenLetter(ctx, token)
	if err != nil || lt.Letter.ID != second.Letter {
		t.Fatalf("open: %+v %v", lt, err)
	}
	if lt, _ := svc.Letter(ctx, token); lt.Letter.Status != nomination.LetterOpened {
		t.Fatalf("after the first visit: %s", lt.Letter.Status)
	}
	if _, _, err := svc.ReceiveLetter(ctx, token, nomination.Submission{Name: "Oh"}, nil); !errors.Is(err, nomination.ErrLetterInvalid) {
		t.Fatalf("an incomplete letter: %v", err)
	}
	c.Set(now.Add(time.Hour))
	lt, at, err := svc.ReceiveLetter(ctx, token, ltLetter, nil)
	if err != nil || !at.Equal(now.Add(time.Hour)) || lt.Nomination.ApplicationID != id {
		t.Fatalf("receive: %v", err)
	}
	if ms := queued(t, pool, "recommendation-letter-received"); len(ms) != 1 || ms[0].to != "lt-owner@example.org" || strings.Contains(ms[0].text, "A fine leader") {
		t.Fatalf("the nominator's email: %+v", ms)
	}
	if ms := queued(t, pool, "recommendation-letter-confirmation"); len(ms) != 1 || ms[0].to != "oh@un.example" {
		t.Fatalf("the recommender's confirmation: %+v", ms)
	}
	if n := audited(t, pool, "nomination.letter_receive", "192.0.2.7"); n != 1 {
		t.Fatalf("receive audit entries: %d", n)
	}
	if _, _, err := svc.ReceiveLetter(ctx, token, ltLetter, nil); !errors.As(err, &le) || le.Target == nil ||
		le.Target.Letter.Status != nomination.LetterReceived {
		t.Fatalf("a second letter through the same link: %v", err)
	}
	if sent, err := svc.ResendLetterLink(ctx, actor, id); err != nil || sent != nil {
		t.Fatalf("resend after the letter arrived: %+v %v", sent, err)
	}

	// After the letter deadline nobody is invited or sent a link.
	c.Set(cat.Nominations.LetterDeadline)
	other, _ := create(t, pool, owner, ed, cat, thirdParty("kim"))
	if _, err := svc.InviteRecommender(ctx, actor, other, ltRecommender); !errors.Is(err, nomination.ErrLetterDeadline) {
		t.Fatalf("invite after the deadline: %v", err)
	}
	if _, err := svc.ResendLetterLink(ctx, actor, id); !errors.Is(err, nomination.ErrLetterDeadline) {
		t.Fatalf("resend after the deadline: %v", err)
	}
}

// recommenderAsked is a new third-party nomination of lee by a new nominator login, whose
// recommender ltRecommender is asked for the letter: the nominator and the nomination.
func recommenderAsked(t *testing.T, ctx context.Context, pool *pgxpool.Pool, ed *edition.Edition, cat *edition.Category, svc *nomination.Service, login string) (int64, int64) {
	t.Helper()
	owner := nominator(t, pool, ed, cat, login)
	id, err := create(t, pool, owner, ed, cat, thirdParty("lee"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.InviteRecommender(ctx, authz.Actor{UserID: owner}, id, ltRecommender); err != nil {
		t.Fatal(err)
	}
	return owner, id
}

// TestServiceLetterReminders: a recommender who has not written is reminded, with a fresh link,
// a week and a day before the letter deadline, each once.
func TestServiceLetterReminders(t *testing.T) {
	t.Parallel()
	pool, ed, cat, c, svc := serviceSetup(t)
	ctx := ipCtx()
	recommenderAsked(t, ctx, pool, ed, cat, svc, "lt-rem")
	if task := svc.LetterReminderTask(); task.Name != "letter-reminders" || task.Every <= 0 || task.Run == nil {
		t.Fatalf("task: %+v", task)
	}
	deadline := cat.Nominations.LetterDeadline
	for _, at := range []time.Time{deadline.Add(-7*24*time.Hour + time.Hour), deadline.Add(-23 * time.Hour)} {
		c.Set(at)
		for range 2 { // a second run sends nothing more
			if err := svc.SendLetterReminders(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
	ms := queued(t, pool, "recommendation-letter-reminder")
	if len(ms) != 2 || !strings.HasPrefix(ms[0].subject, "Reminder:") || !strings.Contains(ms[0].text, "due in a week") ||
		!strings.Contains(ms[1].text, "due tomorrow") {
		t.Fatalf("reminders: %+v", ms)
	}
	if _, err := svc.Letter(ctx, tokenIn(t, ms)); err != nil {
		t.Fatalf("the reminder's link: %v", err)
	}
	if n := audited(t, pool, "nomination.letter_reminder", ""); n != 2 {
		t.Fatalf("audit entries: %d", n)
	}
}

// TestServiceLetterPDF: a letter uploaded as a PDF is recorded with the letter, and only the
// secretariat of the edition gets the file.
func TestServiceLetterPDF(t *testing.T) {
	t.Parallel()
	pool, ed, cat, _, svc := serviceSetup(t)
	ctx := ipCtx()
	owner, id := recommenderAsked(t, ctx, pool, ed, cat, svc, "lt-pdf")
	token := tokenIn(t, queued(t, pool, "recommendation-letter-invite"))
	sub := ltLetter
	sub.Text = ""
	upload := &files.Stored{Field: "letter_file", Key: "letters/test-key", Name: "letter.pdf", Size: 1234,
		Type: files.PDF, ContentType: "application/pdf", SHA256: strings.Repeat("0", 64)}
	if _, _, err := svc.ReceiveLetter(ctx, token, sub, upload); err != nil {
		t.Fatal(err)
	}
	sec := secretariat(t, pool, ed, "sec-pdf")
	p, err := svc.SecretariatLetter(ctx, sec, id)
	f := p.File
	if err != nil || f == nil || f.Name != "letter.pdf" || p.Nomination.Letter == nil || p.Nomination.Letter.FileID == nil {
		t.Fatalf("the secretariat's letter: %+v %v", f, err)
	}
	if got, err := svc.LetterFile(ctx, sec, id); err != nil || got.ID != f.ID {
		t.Fatalf("the letter's file: %+v %v", got, err)
	}
	if _, err := svc.LetterFile(ctx, authz.Actor{UserID: owner}, id); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("the nominator gets the file: %v", err)
	}
}
