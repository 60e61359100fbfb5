package nomination

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/account"
	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/blocks/link"
	"prizeportal/internal/db"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
)

// Letters of recommendation (DOMAIN.md "Leadership nominations"): the nominator
// invites a recommender, who answers through a private link (LinkLetter, subject the letter's
// id) without an account, until the letter deadline. The nominator sees only the status; the
// letter itself (text or PDF) is for the secretariat and the evaluators.

// ErrHeadSameOrganisation means the invited recommender comes from the candidate's own
// organisation while the candidate heads an organisation, and the secretariat has not accepted
// that (guidelines §6: a letter "from ... a different organization than one's own").
var ErrHeadSameOrganisation = fault.New(fault.Invalid, "The candidate heads an organisation, so their recommender must be from a different organisation.")

// MaxLetterWords is the longest letter a recommender may write in the form.
const MaxLetterWords = 2000

// MaxLetterBytes is the largest PDF letter accepted.
const MaxLetterBytes = 10 << 20

// Invitation is whom a nominator invites to write the letter.
type Invitation struct {
	Name         string
	Email        string
	Organisation string
}

// Normalize trims the fields.
func (i *Invitation) Normalize() {
	i.Name, i.Email, i.Organisation = strings.TrimSpace(i.Name), strings.TrimSpace(i.Email), strings.TrimSpace(i.Organisation)
}

// Validate checks an invitation for nomination n. Field names are the form's: name, email,
// organisation. The head-of-organisation rule (guidelines §6) is checked on the declared
// organisations unless the secretariat accepted an exception.
func (i Invitation) Validate(n *Nomination) field.Errors {
	var errs field.Errors
	errs.Name("name", i.Name, "Enter the recommender's full name.")
	switch {
	case i.Email == "":
		errs.Add("email", "Enter the recommender's email address: we send them a private link to write the letter there.")
	case !account.ValidEmail(i.Email):
		errs.Add("email", "Enter an email address like name@example.org.")
	case strings.EqualFold(i.Email, n.CandidateEmail):
		errs.Add("email", "This is the candidate's own address: the letter must come from someone else.")
	}
	switch {
	case i.Organisation == "":
		errs.Add("organisation", "Enter the organisation the recommender heads or works for.")
	case n.CandidateIsHead && n.Override == "" && SameOrganisation(i.Organisation, n.CandidateOrganisation):
		errs.Add("organisation", "The candidate heads an organisation ("+n.CandidateOrganisation+"), so the rules require a letter of recommendation from someone at a different organisation (guidelines §6). Invite a recommender from another organisation.")
	}
	if len([]rune(i.Email)) > 300 {
		errs.Add("email", "Use at most 300 characters.")
	}
	// The name and organisation go into the invitation email.
	checkSenderText(&errs, "name", i.Name)
	checkSenderText(&errs, "organisation", i.Organisation)
	return errs
}

// Submission is what the recommender sends: who they are and the letter, written (Text) or as a
// PDF (FileID, set by the caller once the file is recorded).
type Submission struct {
	Name         string
	Title        string
	Organisation string
	// Category is the key of the "head of" nominator category the recommender belongs to.
	Category string
	Text     string
	FileID   *int64
}

// Normalize trims the fields (the letter's text keeps its inner line breaks).
func (s *Submission) Normalize() {
	for _, p := range []*string{&s.Name, &s.Title, &s.Organisation, &s.Category, &s.Text} {
		*p = strings.TrimSpace(*p)
	}
}

// Words counts the words of a written letter.
func Words(text string) int { return len(strings.Fields(text)) }

// Validate checks a submission against the edition's rules; hasFile says a PDF was uploaded.
// Field names are the form's: name, title, organisation, category, letter_text, letter_file.
func (s Submission) Validate(rules *edition.Nominations, hasFile bool) field.Errors {
	var errs field.Errors
	errs.Name("name", s.Name, "Enter your full name.")
	if s.Title == "" {
		errs.Add("title", "Enter your title or position, such as Mayor or President.")
	}
	if s.Organisation == "" {
		errs.Add("organisation", "Enter the organisation you head.")
	}
	if c, ok := rules.Category(s.Category); !ok || !c.Head {
		errs.Add("category", "Choose the category you belong to: a letter of recommendation must come from the head of a city, business, international or civil-society organisation, or academic institution.")
	}
	for name, v := range map[string]string{"name": s.Name, "title": s.Title, "organisation": s.Organisation} {
		if len([]rune(v)) > 300 {
			errs.Add(name, "Use at most 300 characters.")
		}
	}
	switch {
	case s.Text == "" && !hasFile:
		errs.Add("letter_text", "Write your letter in the box, or upload it as a PDF file.")
	case s.Text != "" && hasFile:
		errs.Add("letter_file", "Send your letter either written in the box or as a PDF, not both: empty the box, or do not choose a file.")
	case Words(s.Text) > MaxLetterWords:
		errs.Add("letter_text", i18n.Msg("Your letter has {{.Words}} words; use at most {{.Max}}, or upload it as a PDF.", "Words", Words(s.Text), "Max", MaxLetterWords))

	}
	return errs
}

const letterColumns = `l.id, l.application_id, l.status, l.invited_name, l.invited_email, l.invited_organisation, l.invited_at,
	l.opened_at, l.received_at, l.recommender_name, l.recommender_title, l.recommender_organisation,
	l.recommender_category, l.letter_text, l.file_id, l.reminders_sent`

func scanLetter(row pgx.Row) (Letter, error) {
	var l Letter
	err := row.Scan(&l.ID, &l.ApplicationID, &l.Status, &l.InvitedName, &l.InvitedEmail, &l.InvitedOrganisation,
		&l.InvitedAt, &l.OpenedAt, &l.ReceivedAt, &l.RecommenderName, &l.RecommenderTitle, &l.RecommenderOrganisation,
		&l.RecommenderCategory, &l.Text, &l.FileID, &l.RemindersSent)
	return l, err
}

// LetterByID returns letter id whatever its status, for the recommender's page (the private link
// is the credential); db.ErrNotFound when there is none.
func LetterByID(ctx context.Context, q db.DBTX, id int64) (Letter, error) {
	l, err := scanLetter(q.QueryRow(ctx, `SELECT `+letterColumns+` FROM recommendation_letters l WHERE l.id = $1`, id))
	return db.One(l, err, "nomination: letter")
}

// CurrentLetterForUpdate locks and returns the current letter of owner's nomination id;
// db.ErrNotFound when the nomination is not owner's or has no current letter.
func CurrentLetterForUpdate(ctx context.Context, tx pgx.Tx, owner, id int64) (Letter, error) {
	l, err := scanLetter(tx.QueryRow(ctx, `SELECT `+letterColumns+`
		FROM recommendation_letters l JOIN nominations n ON n.application_id = l.application_id
		WHERE l.application_id = $1 AND n.user_id = $2 AND l.status <> 'replaced' FOR UPDATE OF l`, id, owner))
	return db.One(l, err, "nomination: current letter")
}

// Invite records that owner invites a recommender for nomination id. A current letter (asked
// for or received) is replaced: it keeps its row with status 'replaced'; the caller withdraws
// its links. It returns the new letter's id and the replaced one's (0 for none). The
// head-of-organisation rule is checked again here, on the locked nomination
// (ErrHeadSameOrganisation).
func Invite(ctx context.Context, tx pgx.Tx, owner, id int64, inv Invitation, now time.Time) (newID, replaced int64, err error) {
	var (
		isHead        bool
		org, override string
	)
	err = tx.QueryRow(ctx, `SELECT candidate_is_head, candidate_organisation, override_reason FROM nominations
		WHERE application_id = $1 AND user_id = $2 FOR UPDATE`, id, owner).Scan(&isHead, &org, &override)
	if err = db.Found(err, "nomination: invite"); err != nil {
		return 0, 0, err
	}
	if isHead && override == "" && SameOrganisation(inv.Organisation, org) {
		return 0, 0, ErrHeadSameOrganisation
	}
	err = tx.QueryRow(ctx, `UPDATE recommendation_letters SET status = 'replaced', replaced_at = $2
		WHERE application_id = $1 AND status <> 'replaced' RETURNING id`, id, now).Scan(&replaced)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return 0, 0, fmt.Errorf("nomination: invite: %w", err)
	}
	if err := tx.QueryRow(ctx, `
		INSERT INTO recommendation_letters (application_id, invited_name, invited_email, invited_organisation, invited_at)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, id, inv.Name, inv.Email, inv.Organisation, now).Scan(&newID); err != nil {
		return 0, 0, fmt.Errorf("nomination: invite: %w", err)
	}
	return newID, replaced, nil
}

// MarkOpened records that the recommender opened their link, the first time only.
func MarkOpened(ctx context.Context, q db.DBTX, letterID int64, now time.Time) error {
	if _, err := q.Exec(ctx, `UPDATE recommendation_letters SET status = 'opened', opened_at = $2
		WHERE id = $1 AND status = 'invited'`, letterID, now); err != nil {
		return fmt.Errorf("nomination: letter opened: %w", err)
	}
	return nil
}

// Receive stores the recommender's letter. Only a letter still asked for (invited or opened)
// can be received: db.ErrConflict when it was replaced or received meanwhile.
func Receive(ctx context.Context, q db.DBTX, letterID int64, s Submission, now time.Time) error {
	tag, err := q.Exec(ctx, `
		UPDATE recommendation_letters SET status = 'received', received_at = $2, opened_at = coalesce(opened_at, $2),
		       recommender_name = $3, recommender_title = $4, recommender_organisation = $5, recommender_category = $6,
		       letter_text = $7, file_id = $8
		WHERE id = $1 AND status IN ('invited', 'opened')`,
		letterID, now, s.Name, s.Title, s.Organisation, s.Category, s.Text, s.FileID)
	if err != nil {
		return fmt.Errorf("nomination: receive letter: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return db.ErrConflict
	}
	return nil
}

// ReminderOffsets are how long before the letter deadline a recommender who has not sent their
// letter is reminded, each once, earliest first: stage 1 a week before, stage 2 a day before.
var ReminderOffsets = [2]time.Duration{7 * 24 * time.Hour, 24 * time.Hour}

// DueReminder is a letter whose recommender is due a reminder, with what the email needs.
type DueReminder struct {
	LetterID      int64
	NominationID  int64
	EditionID     int64
	CategoryID    int64
	InvitedName   string
	InvitedEmail  string
	CandidateName string
	NominatorName string
	Deadline      time.Time
	// Stage is the reminder due: 1 a week before the deadline, 2 a day before.
	Stage int
}

// DueReminders returns the letters asked for but not received whose recommender is due a
// reminder at now: the deadline is ahead, a stage's time (ReminderOffsets) has come, the
// recommender was invited before it, and no reminder of that stage or a later one was sent. A
// recommender for whom both stages have come (invited late, or the task did not run) gets one
// reminder, of the later stage. Withdrawn nominations are left alone.
func DueReminders(ctx context.Context, q db.DBTX, now time.Time) ([]DueReminder, error) {
	return db.List(ctx, q, "nomination: due reminders", func(row pgx.CollectableRow) (DueReminder, error) {
		var d DueReminder
		err := row.Scan(&d.LetterID, &d.NominationID, &d.EditionID, &d.CategoryID, &d.InvitedName, &d.InvitedEmail,
			&d.CandidateName, &d.NominatorName, &d.Deadline, &d.Stage)
		return d, err
	}, `
		WITH l AS (
			SELECT l.id, l.application_id, a.edition_id, a.category_id, l.invited_name, l.invited_email, l.invited_at,
			       l.reminders_sent, n.candidate_name, u.name AS nominator_name,
			       (c.nominations->>'letter_deadline')::timestamptz AS deadline
			FROM recommendation_letters l
			JOIN applications a ON a.id = l.application_id
			JOIN nominations n ON n.application_id = l.application_id
			JOIN users u ON u.id = n.user_id
			JOIN categories c ON c.id = a.category_id
			WHERE l.status IN ('invited', 'opened') AND a.status <> 'withdrawn' AND c.nominations ? 'letter_deadline'
		), staged AS (
			SELECT *, CASE WHEN @now::timestamptz >= deadline - @second::float8 * interval '1 second' THEN 2
			               WHEN @now >= deadline - @first::float8 * interval '1 second' THEN 1 ELSE 0 END AS stage
			FROM l WHERE @now < deadline
		)
		SELECT id, application_id, edition_id, category_id, invited_name, invited_email, candidate_name, nominator_name,
		       deadline, stage
		FROM staged
		WHERE stage > reminders_sent
		  AND invited_at < deadline - (CASE stage WHEN 2 THEN @second::float8 ELSE @first::float8 END) * interval '1 second'
		ORDER BY deadline, id`,
		pgx.NamedArgs{"now": now, "first": ReminderOffsets[0].Seconds(), "second": ReminderOffsets[1].Seconds()})
}

// MarkReminded records that the reminder of stage was sent for letter id, and reports whether it
// was still due (false when another run sent it, or the letter arrived or was replaced meanwhile).
func MarkReminded(ctx context.Context, q db.DBTX, letterID int64, stage int, now time.Time) (bool, error) {
	tag, err := q.Exec(ctx, `UPDATE recommendation_letters SET reminders_sent = $2, last_reminder_at = $3
		WHERE id = $1 AND reminders_sent < $2 AND status IN ('invited', 'opened')`, letterID, stage, now)
	if err != nil {
		return false, fmt.Errorf("nomination: mark reminded: %w", err)
	}
	return tag.RowsAffected() == 1, nil
}

// Moved is what moving the support of one nomination to another did (MoveSupport).
type Moved struct {
	// Letters counts the letters of recommendation moved (the current one and the replaced ones).
	Letters int
	// LetterKept names whose current letter the entry keeps ("", "kept" for the entry's own, or
	// "moved" for the merged nomination's): a nomination has one current letter.
	LetterKept string
	// Endorsements counts the citizens' endorsements moved; Repeated the confirmed endorsements
	// left behind because their address had endorsed the entry already (a person counts once).
	Endorsements, Repeated int
}

// letterRank orders the states of a current letter by how far it got: a received letter over
// one opened, over one only asked for.
const letterRank = `CASE status WHEN 'received' THEN 3 WHEN 'opened' THEN 2 ELSE 1 END`

// MoveSupport moves the letters of recommendation and the citizens' endorsements of nomination
// from to nomination to, in tx, at now (the secretariat merges repeat nominations of one
// candidate, screening.Service.Merge). A nomination has one current letter: the one that got
// further (received, then opened, then asked for; the entry's own on a tie) stays current, the
// other is kept on the entry as replaced and its link withdrawn. A citizen counts once
// (DOMAIN.md "Leadership nominations": signatures from more than 30 citizens; only distinct
// confirmed addresses count): a confirmed endorsement whose address already endorsed to stays
// behind on from, which is no longer an entry.
func MoveSupport(ctx context.Context, tx pgx.Tx, from, to int64, now time.Time) (Moved, error) {
	var out Moved
	type current struct {
		id   int64
		rank int
	}
	get := func(app int64) (*current, error) {
		var c current
		err := tx.QueryRow(ctx, `SELECT id, `+letterRank+` FROM recommendation_letters
			WHERE application_id = $1 AND status <> 'replaced' FOR UPDATE`, app).Scan(&c.id, &c.rank)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil, nil
		}
		return &c, err
	}
	mine, err := get(to)
	if err != nil {
		return Moved{}, fmt.Errorf("nomination: move support: %w", err)
	}
	theirs, err := get(from)
	if err != nil {
		return Moved{}, fmt.Errorf("nomination: move support: %w", err)
	}
	var replace *current
	switch {
	case theirs == nil && mine != nil:
		out.LetterKept = "kept"
	case theirs == nil:
	case mine == nil:
		out.LetterKept = "moved"
	case theirs.rank > mine.rank:
		out.LetterKept, replace = "moved", mine
	default:
		out.LetterKept, replace = "kept", theirs
	}
	if replace != nil {
		if _, err := tx.Exec(ctx, `UPDATE recommendation_letters SET status = 'replaced', replaced_at = $2 WHERE id = $1`,
			replace.id, now); err != nil {
			return Moved{}, fmt.Errorf("nomination: move support: %w", err)
		}
		if err := link.Withdraw(ctx, tx, LinkLetter, replace.id, now); err != nil {
			return Moved{}, err
		}
	}
	tag, err := tx.Exec(ctx, `UPDATE recommendation_letters SET application_id = $2 WHERE application_id = $1`, from, to)
	if err != nil {
		return Moved{}, fmt.Errorf("nomination: move support: %w", err)
	}
	out.Letters = int(tag.RowsAffected())
	err = tx.QueryRow(ctx, `
		WITH moved AS (
			UPDATE endorsements e SET application_id = $2
			WHERE e.application_id = $1 AND (e.confirmed_at IS NULL OR NOT EXISTS (SELECT 1 FROM endorsements c
			      WHERE c.application_id = $2 AND c.email_norm = e.email_norm AND c.confirmed_at IS NOT NULL))
			RETURNING e.id)
		SELECT (SELECT count(*) FROM moved),
		       (SELECT count(*) FROM endorsements e WHERE e.application_id = $1 AND e.confirmed_at IS NOT NULL
		        AND e.id NOT IN (SELECT id FROM moved))`, from, to).Scan(&out.Endorsements, &out.Repeated)
	if err != nil {
		return Moved{}, fmt.Errorf("nomination: move support: %w", err)
	}
	return out, nil
}
