package nomination

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/application"
	"prizeportal/internal/db"
)

// Link purposes of the private links this package hands out (internal/blocks/link).
const (
	LinkConsent = "nomination_consent"
	LinkLetter  = "recommendation_letter"
	LinkEndorse = "endorsement_confirm"
)

// nominationColumns are the columns scanned by scanNomination, from nominations n joined with
// applications a, users u (the nominator), the current letter l and the endorsement count.
const nominationColumns = `n.application_id, n.user_id, n.edition_id, a.category_id, n.self, n.nominator_category,
	n.nominator_organisation, n.candidate_name, n.candidate_email, n.candidate_organisation, n.candidate_position,
	n.candidate_city, n.candidate_country, n.candidate_is_head, a.status, a.submitted_at, n.consent, n.consent_requested_at, n.consent_decided_at,
	n.consent_note, n.consent_declined_at, coalesce(n.endorsement_code, ''), n.override_reason, n.override_by, n.override_at,
	u.name, u.email, n.created_at,
	(SELECT count(DISTINCT e.email_norm) FROM endorsements e WHERE e.application_id = n.application_id AND e.confirmed_at IS NOT NULL),
	l.id, l.status, l.invited_name, l.invited_email, l.invited_organisation, l.invited_at, l.opened_at, l.received_at,
	l.recommender_name, l.recommender_title, l.recommender_organisation, l.recommender_category, l.letter_text,
	l.file_id, l.reminders_sent`

const nominationFrom = `nominations n JOIN applications a ON a.id = n.application_id JOIN users u ON u.id = n.user_id
	LEFT JOIN recommendation_letters l ON l.application_id = n.application_id AND l.status <> 'replaced'`

// staffFilter is the SQL form of authz.CanManageApplications: @staff holds the secretariat role
// in the nomination's edition.
const staffFilter = `EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = @staff
	AND g.role = 'secretariat' AND g.edition_id = n.edition_id)`

func scanNomination(row pgx.Row) (Nomination, error) {
	var (
		n      Nomination
		status string
		letter struct {
			id                              *int64
			status, name, email, org        *string
			invited                         *time.Time
			opened, received                *time.Time
			rName, rTitle, rOrg, rCat, text *string
			file                            *int64
			reminders                       *int
		}
	)
	err := row.Scan(&n.ApplicationID, &n.UserID, &n.EditionID, &n.CategoryID, &n.Self, &n.NominatorCategory,
		&n.NominatorOrganisation, &n.CandidateName, &n.CandidateEmail, &n.CandidateOrganisation, &n.CandidatePosition,
		&n.CandidateCity, &n.CandidateCountry, &n.CandidateIsHead, &status, &n.SubmittedAt, &n.Consent, &n.ConsentRequestedAt, &n.ConsentDecidedAt,
		&n.ConsentNote, &n.ConsentDeclinedAt, &n.EndorsementCode, &n.Override, &n.OverrideBy, &n.OverrideAt,
		&n.NominatorName, &n.NominatorEmail, &n.CreatedAt, &n.Endorsements,
		&letter.id, &letter.status, &letter.name, &letter.email, &letter.org, &letter.invited, &letter.opened, &letter.received,
		&letter.rName, &letter.rTitle, &letter.rOrg, &letter.rCat, &letter.text, &letter.file, &letter.reminders)
	if err != nil {
		return Nomination{}, err
	}
	n.Status = application.Status(status)
	if letter.id != nil {
		n.Letter = &Letter{ID: *letter.id, ApplicationID: n.ApplicationID, Status: LetterStatus(*letter.status),
			InvitedName: *letter.name, InvitedEmail: *letter.email, InvitedOrganisation: *letter.org,
			InvitedAt: *letter.invited, OpenedAt: letter.opened, ReceivedAt: letter.received,
			RecommenderName: *letter.rName, RecommenderTitle: *letter.rTitle, RecommenderOrganisation: *letter.rOrg,
			RecommenderCategory: *letter.rCat, Text: *letter.text, FileID: letter.file, RemindersSent: *letter.reminders}
	}
	return n, nil
}

func one(row pgx.Row, what string) (Nomination, error) {
	n, err := scanNomination(row)
	return db.One(n, err, "nomination: "+what)
}

// found returns v as a query scanned it with err: db.ErrNotFound when there was no row, other
// errors wrapped with what.
// Create stores a new nomination by owner in the edition's leadership category, as a draft
// application (version 1) with no answers, and returns its id. A second self-nomination of the
// person (by account or by email address) gives ErrSelfNominated.
func Create(ctx context.Context, tx pgx.Tx, owner, editionID, categoryID int64, d Details, now time.Time) (int64, error) {
	var id int64
	if err := tx.QueryRow(ctx, `
		INSERT INTO applications (user_id, edition_id, category_id, kind, created_at, updated_at)
		VALUES ($1, $2, $3, 'nomination', $4, $4) RETURNING id`, owner, editionID, categoryID, now).Scan(&id); err != nil {
		return 0, fmt.Errorf("nomination: create: %w", err)
	}
	_, err := tx.Exec(ctx, `
		INSERT INTO nominations (application_id, user_id, edition_id, self, nominator_category, nominator_organisation,
		                         candidate_name, candidate_email, candidate_organisation, candidate_position,
		                         candidate_is_head, created_at, candidate_city, candidate_country)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
		id, owner, editionID, d.Self, d.NominatorCategory, d.NominatorOrganisation, d.CandidateName,
		d.CandidateEmail, d.CandidateOrganisation, d.CandidatePosition, d.CandidateIsHead, now, d.CandidateCity, d.CandidateCountry)
	if db.IsUniqueViolation(err) {
		return 0, ErrSelfNominated
	}
	if err != nil {
		return 0, fmt.Errorf("nomination: create: %w", err)
	}
	return id, nil
}

// Update changes the declared facts of owner's nomination id. Changing the candidate's email
// address withdraws the consent (asked or given) and its links: the consent was someone else's.
// It reports whether the consent was reset. Self and a second self-nomination as for Create.
func Update(ctx context.Context, tx pgx.Tx, owner, id int64, d Details, now time.Time) (bool, error) {
	var oldEmail, consent string
	err := tx.QueryRow(ctx, `SELECT candidate_email, consent FROM nominations WHERE application_id = $1 AND user_id = $2 FOR UPDATE`,
		id, owner).Scan(&oldEmail, &consent)
	if err = db.Found(err, "nomination: update"); err != nil {
		return false, err
	}
	reset := !strings.EqualFold(oldEmail, d.CandidateEmail) && Consent(consent) != ConsentNone
	_, err = tx.Exec(ctx, `
		UPDATE nominations SET self = $3, nominator_category = $4, nominator_organisation = $5, candidate_name = $6,
		       candidate_email = $7, candidate_organisation = $8, candidate_position = $9, candidate_is_head = $10,
		       consent = CASE WHEN $11 THEN 'none' ELSE consent END,
		       consent_requested_at = CASE WHEN $11 THEN NULL ELSE consent_requested_at END,
		       consent_decided_at = CASE WHEN $11 THEN NULL ELSE consent_decided_at END,
		       consent_note = CASE WHEN $11 THEN '' ELSE consent_note END,
		       candidate_city = $12, candidate_country = $13
		WHERE application_id = $1 AND user_id = $2`,
		id, owner, d.Self, d.NominatorCategory, d.NominatorOrganisation, d.CandidateName, d.CandidateEmail,
		d.CandidateOrganisation, d.CandidatePosition, d.CandidateIsHead, reset, d.CandidateCity, d.CandidateCountry)
	if db.IsUniqueViolation(err) {
		return false, ErrSelfNominated
	}
	if err != nil {
		return false, fmt.Errorf("nomination: update: %w", err)
	}
	if _, err := tx.Exec(ctx, `UPDATE applications SET updated_at = $3 WHERE id = $1 AND user_id = $2`, id, owner, now); err != nil {
		return false, fmt.Errorf("nomination: update: %w", err)
	}
	if reset {
		if _, err := tx.Exec(ctx, `UPDATE private_links SET used_at = $2 WHERE purpose = $3 AND subject_id = $1 AND used_at IS NULL`,
			id, now, LinkConsent); err != nil {
			return false, fmt.Errorf("nomination: update: %w", err)
		}
	}
	return reset, nil
}

// Get returns owner's nomination id; db.ErrNotFound when owner has no such nomination.
func Get(ctx context.Context, q db.DBTX, owner, id int64) (Nomination, error) {
	return one(q.QueryRow(ctx, `SELECT `+nominationColumns+` FROM `+nominationFrom+`
		WHERE n.application_id = @id AND n.user_id = @owner`, pgx.NamedArgs{"id": id, "owner": owner}), "get")
}

// ByID returns nomination id without an owner filter, for the pages reached through a private
// link (the candidate's consent, a recommender's letter): the link is the credential.
func ByID(ctx context.Context, q db.DBTX, id int64) (Nomination, error) {
	return one(q.QueryRow(ctx, `SELECT `+nominationColumns+` FROM `+nominationFrom+`
		WHERE n.application_id = @id`, pgx.NamedArgs{"id": id}), "by id")
}

// List returns owner's nominations, newest first.
func List(ctx context.Context, q db.DBTX, owner int64) ([]Nomination, error) {
	return db.List(ctx, q, "nomination: list", func(r pgx.CollectableRow) (Nomination, error) { return scanNomination(r) },
		`SELECT `+nominationColumns+` FROM `+nominationFrom+`
		WHERE n.user_id = @owner ORDER BY n.created_at DESC, n.application_id DESC`, pgx.NamedArgs{"owner": owner})
}

// StaffPerPage is how many nominations the secretariat's list shows per page.
const StaffPerPage = 50

// StaffList is one page of the secretariat's list of nominations.
type StaffList = db.Page[Nomination]

// The conditions on a nomination n that the secretariat's list filters by (Missing) and the staff
// home counts with (internal/dashboard), so that a count and the list it links to agree. A
// nomination not withdrawn nor merged (DOMAIN.md "Leadership nominations") is waiting for its candidate's
// consent (MissingConsentSQL: a third-party nomination without it), or has the consent it needs
// but neither a letter of recommendation that counts nor enough citizen endorsements
// (MissingLetterSQL; nomination_complete, migration 00015).
const (
	activeSQL         = `NOT EXISTS (SELECT 1 FROM applications w WHERE w.id = n.application_id AND w.status IN ('withdrawn', 'merged'))`
	MissingConsentSQL = `(` + activeSQL + ` AND NOT n.self AND n.consent <> 'given')`
	MissingLetterSQL  = `(` + activeSQL + ` AND (n.self OR n.consent = 'given') AND NOT nomination_complete(n.application_id))`
)

// Missing are the values of the secretariat list's filter of what a nomination still lacks.
var Missing = map[string]string{"consent": MissingConsentSQL, "letter": MissingLetterSQL}

// ListForSecretariat returns page (from 1) of the nominations of the edition, by candidate, for
// staff; only an edition in which staff holds the secretariat role has any. missing, a key of
// Missing, keeps the nominations that lack it ("" or an unknown value: all).
func ListForSecretariat(ctx context.Context, q db.DBTX, staff, editionID int64, missing string, page int) (StaffList, error) {
	where := `n.edition_id = @edition AND ` + staffFilter
	if cond, ok := Missing[missing]; ok {
		where += ` AND ` + cond
	}
	return db.ListPage(ctx, q, "nomination: list for secretariat", func(r pgx.CollectableRow) (Nomination, error) { return scanNomination(r) },
		page, StaffPerPage, pgx.NamedArgs{"staff": staff, "edition": editionID},
		`SELECT count(*) FROM nominations n WHERE `+where,
		`SELECT `+nominationColumns+` FROM `+nominationFrom+`
		WHERE `+where+`
		ORDER BY lower(n.candidate_name), n.application_id LIMIT @limit OFFSET @offset`)
}

// ForSecretariat returns nomination id for staff; db.ErrNotFound when it does not exist or staff
// does not hold the secretariat role in its edition.
func ForSecretariat(ctx context.Context, q db.DBTX, staff, id int64) (Nomination, error) {
	return one(q.QueryRow(ctx, `SELECT `+nominationColumns+` FROM `+nominationFrom+`
		WHERE n.application_id = @id AND `+staffFilter, pgx.NamedArgs{"staff": staff, "id": id}), "for secretariat")
}

// declinedSQL holds for a nomination n whose candidate declined: this nomination, or another of
// the same nominator in the edition with the same candidate address (a new nomination of the
// candidate is asking again too).
const declinedSQL = `(n.consent_declined_at IS NOT NULL OR EXISTS (SELECT 1 FROM nominations o
	WHERE o.user_id = n.user_id AND o.edition_id = n.edition_id AND o.consent_declined_at IS NOT NULL
	  AND lower(o.candidate_email) = lower(n.candidate_email)))`

// RequestConsent records that owner asked the candidate of nomination id for consent (again).
// After the candidate declined, only the secretariat may ask again (ReaskConsent): the nominator
// gets ErrConsentDeclined. db.ErrConflict when consent is given or not needed.
func RequestConsent(ctx context.Context, q db.DBTX, owner, id int64, now time.Time) error {
	tag, err := q.Exec(ctx, `
		UPDATE nominations n SET consent = 'requested', consent_requested_at = $3, consent_decided_at = NULL, consent_note = ''
		WHERE n.application_id = $1 AND n.user_id = $2 AND NOT n.self AND n.consent <> 'given' AND NOT `+declinedSQL,
		id, owner, now)
	if err != nil {
		return fmt.Errorf("nomination: request consent: %w", err)
	}
	if tag.RowsAffected() == 0 {
		var declined bool
		err := q.QueryRow(ctx, `SELECT `+declinedSQL+` FROM nominations n WHERE n.application_id = $1 AND n.user_id = $2`,
			id, owner).Scan(&declined)
		if err == nil && declined {
			return ErrConsentDeclined
		}
		return db.ErrConflict
	}
	return nil
}

// ReaskConsent records that the secretariat member staff asks the candidate of nomination id for
// consent again after they declined: only the secretariat may (DOMAIN.md "Leadership
// nominations": a nomination needs the candidate's permission; a decline is not for the
// nominator to overrule by asking until the candidate gives in). It clears the decline of this
// nomination. db.ErrNotFound unless staff holds the secretariat role in its edition;
// db.ErrConflict when the candidate did not decline.
func ReaskConsent(ctx context.Context, q db.DBTX, staff, id int64, now time.Time) error {
	args := pgx.NamedArgs{"staff": staff, "id": id, "now": now}
	tag, err := q.Exec(ctx, `
		UPDATE nominations n SET consent = 'requested', consent_requested_at = @now, consent_decided_at = NULL,
		       consent_note = '', consent_declined_at = NULL
		WHERE n.application_id = @id AND NOT n.self AND n.consent <> 'given' AND `+declinedSQL+` AND `+staffFilter, args)
	if err != nil {
		return fmt.Errorf("nomination: ask consent again: %w", err)
	}
	if tag.RowsAffected() == 0 {
		var ok bool
		if err := q.QueryRow(ctx, `SELECT true FROM nominations n WHERE n.application_id = @id AND `+staffFilter, args).Scan(&ok); errors.Is(err, pgx.ErrNoRows) {
			return db.ErrNotFound
		} else if err != nil {
			return fmt.Errorf("nomination: ask consent again: %w", err)
		}
		return db.ErrConflict
	}
	return nil
}

// DecideConsent records the candidate's answer to the request for consent of nomination id,
// with their note. Only a pending request can be answered (db.ErrConflict otherwise).
func DecideConsent(ctx context.Context, q db.DBTX, id int64, given bool, note string, now time.Time) error {
	decision := ConsentDeclined
	if given {
		decision = ConsentGiven
	}
	tag, err := q.Exec(ctx, `
		UPDATE nominations SET consent = $2::text, consent_decided_at = $3::timestamptz, consent_note = $4,
		       consent_declined_at = CASE WHEN $2::text = 'declined' THEN $3::timestamptz END
		WHERE application_id = $1 AND consent = 'requested'`, id, string(decision), now, strings.TrimSpace(note))
	if err != nil {
		return fmt.Errorf("nomination: decide consent: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return db.ErrConflict
	}
	return nil
}

// ConfirmCandidate stores the candidate's facts of d on nomination id, as the candidate
// confirmed them at consent.
func ConfirmCandidate(ctx context.Context, q db.DBTX, id int64, d Details) error {
	_, err := q.Exec(ctx, `
		UPDATE nominations SET candidate_name = $2, candidate_email = $3, candidate_organisation = $4,
		       candidate_position = $5, candidate_city = $6, candidate_country = $7
		WHERE application_id = $1`, id, d.CandidateName, d.CandidateEmail, d.CandidateOrganisation,
		d.CandidatePosition, d.CandidateCity, d.CandidateCountry)
	if err != nil {
		return fmt.Errorf("nomination: confirm candidate: %w", err)
	}
	return nil
}

// SetOverride records (or, with an empty reason, removes) the secretariat's acceptance of a
// letter from the candidate's own organisation for nomination id.
func SetOverride(ctx context.Context, q db.DBTX, staff, id int64, reason string, now time.Time) error {
	reason = strings.TrimSpace(reason)
	tag, err := q.Exec(ctx, `
		UPDATE nominations n SET override_reason = @reason,
		       override_by = CASE WHEN @reason = '' THEN NULL ELSE @staff::bigint END,
		       override_at = CASE WHEN @reason = '' THEN NULL ELSE @now::timestamptz END
		WHERE n.application_id = @id AND `+staffFilter,
		pgx.NamedArgs{"staff": staff, "id": id, "reason": reason, "now": now})
	if err != nil {
		return fmt.Errorf("nomination: override: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return db.ErrNotFound
	}
	return nil
}
