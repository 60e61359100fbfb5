package nomination

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/account"
	"prizeportal/internal/blocks/country"
	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/db"
)

// Citizen endorsements (DOMAIN.md "Leadership nominations": "signatures from
// more than 30 citizens" may replace the letter of recommendation). The nominator opens a public
// endorsement page; each citizen signs it and confirms through an emailed link. Only confirmed,
// distinct email addresses count: the migration's unique index endorsements_confirmed_email_idx
// keeps one confirmed endorsement per address and nomination.

// ErrAlreadyEndorsed means the email address already has a confirmed endorsement of the
// nomination: a second one would not count.
var ErrAlreadyEndorsed = fault.New(fault.Conflict, "This email address has already endorsed the candidate: each address counts once.")

// NormEmail is the key endorsements are counted by, so that one citizen counts once (DOMAIN.md
// "Leadership nominations": signatures from more than 30 citizens): the address trimmed and in
// lower case, without a "+tag" in its local part, and at Gmail (gmail.com, googlemail.com)
// without dots in its local part, which Gmail ignores. The SQL function endorsement_email_key
// (migration 00034) is the same rule, used to backfill stored endorsements.
func NormEmail(email string) string {
	e := strings.ToLower(strings.TrimSpace(email))
	at := strings.LastIndexByte(e, '@')
	if at < 0 {
		return e
	}
	local, domain := e[:at], e[at+1:]
	if i := strings.IndexByte(local, '+'); i > 0 {
		local = local[:i]
	}
	if domain == "gmail.com" || domain == "googlemail.com" {
		local, domain = strings.ReplaceAll(local, ".", ""), "gmail.com"
	}
	return local + "@" + domain
}

// Signature is what a citizen enters on the public endorsement page.
type Signature struct {
	Name    string
	City    string
	Country string // ISO 3166-1 alpha-2 (internal/blocks/country)
	Email   string
	// Confirm is the citizen's statement that they endorse the candidate.
	Confirm bool
}

// Normalize trims the fields and puts the country code in upper case.
func (s *Signature) Normalize() {
	s.Name, s.City, s.Email = strings.TrimSpace(s.Name), strings.TrimSpace(s.City), strings.TrimSpace(s.Email)
	s.Country = strings.ToUpper(strings.TrimSpace(s.Country))
}

// Validate checks a normalized signature: every field is required. Field names are the form's.
func (s Signature) Validate() field.Errors {
	var errs field.Errors
	errs.Name("name", s.Name, "Enter your full name.")
	if s.City == "" {
		errs.Add("city", "Enter the city you live in.")
	}
	if !country.Valid(s.Country) {
		errs.Add("country", "Choose the country you live in.")
	}
	switch {
	case s.Email == "":
		errs.Add("email", "Enter your email address: we send you a link to confirm your endorsement.")
	case !account.ValidEmail(s.Email):
		errs.Add("email", "Enter an email address like name@example.org.")
	}
	for name, v := range map[string]string{"name": s.Name, "city": s.City, "email": s.Email} {
		if len([]rune(v)) > 300 {
			errs.Add(name, "Use at most 300 characters.")
		}
	}
	if !s.Confirm {
		errs.Add("confirm", "Tick the box to confirm that you endorse the candidate.")
	}
	return errs
}

// Endorsement is one citizen's signature of a nomination.
type Endorsement struct {
	ID            int64
	ApplicationID int64
	Name          string
	City          string
	Country       string
	Email         string
	CreatedAt     time.Time
	// ConfirmedAt is when the citizen confirmed through the emailed link; nil until then.
	ConfirmedAt *time.Time
}

const endorsementColumns = `e.id, e.application_id, e.name, e.city, e.country, e.email, e.created_at, e.confirmed_at`

func scanEndorsement(row pgx.Row) (Endorsement, error) {
	var e Endorsement
	err := row.Scan(&e.ID, &e.ApplicationID, &e.Name, &e.City, &e.Country, &e.Email, &e.CreatedAt, &e.ConfirmedAt)
	return e, err
}

// OpenEndorsements gives owner's nomination id its public endorsement code (130 random bits) and
// returns it; a nomination that has one keeps it.
func OpenEndorsements(ctx context.Context, q db.DBTX, owner, id int64) (string, error) {
	var code string
	err := q.QueryRow(ctx, `
		UPDATE nominations SET endorsement_code = coalesce(endorsement_code, $3)
		WHERE application_id = $1 AND user_id = $2 RETURNING endorsement_code`, id, owner, rand.Text()).Scan(&code)
	return db.One(code, err, "nomination: open endorsements")
}

// ByEndorsementCode returns the nomination whose public endorsement page is code, for the
// public page: the code is its address. db.ErrNotFound for an unknown code.
func ByEndorsementCode(ctx context.Context, q db.DBTX, code string) (Nomination, error) {
	if code == "" {
		return Nomination{}, db.ErrNotFound
	}
	return one(q.QueryRow(ctx, `SELECT `+nominationColumns+` FROM `+nominationFrom+`
		WHERE n.endorsement_code = @code`, pgx.NamedArgs{"code": code}), "by endorsement code")
}

// AddEndorsement stores an unconfirmed endorsement of nomination id by the citizen s and returns
// its id. When s's email address already has a confirmed endorsement of the nomination it stores
// nothing and returns ErrAlreadyEndorsed.
func AddEndorsement(ctx context.Context, q db.DBTX, id int64, s Signature, now time.Time) (int64, error) {
	var eid int64
	err := q.QueryRow(ctx, `
		INSERT INTO endorsements (application_id, name, city, country, email, email_norm, created_at)
		SELECT @id, @name, @city, @country, @email, @norm, @now
		WHERE NOT EXISTS (SELECT 1 FROM endorsements o WHERE o.application_id = @id AND o.email_norm = @norm
		                  AND o.confirmed_at IS NOT NULL)
		RETURNING id`, pgx.NamedArgs{"id": id, "name": s.Name, "city": s.City, "country": s.Country,
		"email": s.Email, "norm": NormEmail(s.Email), "now": now}).Scan(&eid)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, ErrAlreadyEndorsed
	}
	if err != nil {
		return 0, fmt.Errorf("nomination: add endorsement: %w", err)
	}
	return eid, nil
}

// EndorsementByID returns endorsement id, for the confirmation page (the emailed link is the
// credential).
func EndorsementByID(ctx context.Context, q db.DBTX, id int64) (Endorsement, error) {
	e, err := scanEndorsement(q.QueryRow(ctx, `SELECT `+endorsementColumns+` FROM endorsements e WHERE e.id = $1`, id))
	return db.One(e, err, "nomination: endorsement")
}

// ConfirmEndorsement marks endorsement id confirmed. When its email address already has a
// confirmed endorsement of the same nomination (confirmed meanwhile through another link), it
// changes nothing and returns ErrAlreadyEndorsed; tx stays usable (the attempt runs in a
// savepoint), so the caller can still use up the link.
func ConfirmEndorsement(ctx context.Context, tx pgx.Tx, id int64, now time.Time) error {
	sp, err := tx.Begin(ctx)
	if err != nil {
		return fmt.Errorf("nomination: confirm endorsement: %w", err)
	}
	defer sp.Rollback(ctx)
	tag, err := sp.Exec(ctx, `UPDATE endorsements SET confirmed_at = $2 WHERE id = $1 AND confirmed_at IS NULL`, id, now)
	if db.IsUniqueViolation(err) {
		return ErrAlreadyEndorsed
	}
	if err != nil {
		return fmt.Errorf("nomination: confirm endorsement: %w", err)
	}
	if tag.RowsAffected() == 0 {
		var confirmed bool
		err := sp.QueryRow(ctx, `SELECT confirmed_at IS NOT NULL FROM endorsements WHERE id = $1`, id).Scan(&confirmed)
		if err = db.Found(err, "nomination: confirm endorsement"); err != nil {
			return err
		}
		return ErrAlreadyEndorsed
	}
	if err := sp.Commit(ctx); err != nil {
		return fmt.Errorf("nomination: confirm endorsement: %w", err)
	}
	return nil
}

// EndorsementCounts are the figures of a nomination's endorsements.
type EndorsementCounts struct {
	// Confirmed counts the distinct email addresses with a confirmed endorsement: the number
	// that counts (edition.Nominations.Qualifies).
	Confirmed int
	// Pending counts the distinct email addresses with an endorsement still awaiting
	// confirmation (its link unused and not expired) and none confirmed.
	Pending int
}

// countsSQL computes EndorsementCounts of the nominations n (alias) selected by the caller.
const countsSQL = `
	(SELECT count(DISTINCT e.email_norm) FROM endorsements e WHERE e.application_id = n.application_id AND e.confirmed_at IS NOT NULL),
	(SELECT count(DISTINCT e.email_norm) FROM endorsements e
	 WHERE e.application_id = n.application_id AND e.confirmed_at IS NULL
	   AND NOT EXISTS (SELECT 1 FROM endorsements c WHERE c.application_id = e.application_id
	                   AND c.email_norm = e.email_norm AND c.confirmed_at IS NOT NULL)
	   AND EXISTS (SELECT 1 FROM private_links p WHERE p.purpose = '` + LinkEndorse + `' AND p.subject_id = e.id
	               AND p.used_at IS NULL AND p.expires_at > @now))`

// CountEndorsements returns the endorsement figures of owner's nomination id at now;
// db.ErrNotFound when owner has no such nomination.
func CountEndorsements(ctx context.Context, q db.DBTX, owner, id int64, now time.Time) (EndorsementCounts, error) {
	var c EndorsementCounts
	err := q.QueryRow(ctx, `SELECT `+countsSQL+` FROM nominations n WHERE n.application_id = @id AND n.user_id = @owner`,
		pgx.NamedArgs{"id": id, "owner": owner, "now": now}).Scan(&c.Confirmed, &c.Pending)
	return db.One(c, err, "nomination: count endorsements")
}

// EndorsementsPerPage is how many endorsements the secretariat's list shows per page.
const EndorsementsPerPage = 50

// EndorsementList is one page of a nomination's endorsements for the secretariat.
type EndorsementList struct {
	Rows []Endorsement
	// Total counts every signature (confirmed or not, repeated addresses included); Counts are
	// the figures that matter.
	Total int
	EndorsementCounts
	Page  int
	Pages int
	// Bursts are the unusual patterns among all the nomination's signatures, for the
	// secretariat to look into.
	Bursts []Burst
}

// Signs of organised endorsing that the secretariat should look at: many signatures from one
// email domain within a short time, and one citizen signing again and again (by endorsement
// key, so with different spellings of one address). They are shown, not acted on: a campaign
// at a university can be genuine.
const (
	// BurstWindow and BurstDomainMin: BurstDomainMin or more signatures from one domain within
	// BurstWindow.
	BurstWindow    = time.Hour
	BurstDomainMin = 10
	// RepeatMin is how many signatures with one endorsement key make a repeat.
	RepeatMin = 2
)

// Burst is one unusual pattern among a nomination's signatures.
type Burst struct {
	// Domain is set for many signatures from one domain within BurstWindow from From; Address
	// (an endorsement key) for repeated signatures by one citizen between From and To.
	Domain  string
	Address string
	// Count is the number of signatures; Spellings, for a repeat, the number of distinct
	// addresses as typed.
	Count     int
	Spellings int
	From, To  time.Time
}

// burstsSQL finds the bursts of nomination @id, domains first, most signatures first.
const burstsSQL = `
	WITH s AS (
		SELECT e.email, e.email_norm, split_part(e.email_norm, '@', 2) AS domain, e.created_at
		FROM endorsements e JOIN nominations n ON n.application_id = e.application_id
		WHERE e.application_id = @id AND ` + staffFilter + `),
	w AS (
		SELECT domain, created_at,
		       count(*) OVER (PARTITION BY domain ORDER BY created_at
		                      RANGE BETWEEN CURRENT ROW AND make_interval(secs => @window) FOLLOWING) AS n,
		       max(created_at) OVER (PARTITION BY domain ORDER BY created_at
		                      RANGE BETWEEN CURRENT ROW AND make_interval(secs => @window) FOLLOWING) AS last
		FROM s),
	domains AS (
		SELECT DISTINCT ON (domain) domain, n, created_at AS first, last FROM w
		WHERE n >= @domain_min ORDER BY domain, n DESC, created_at)
	SELECT 0 AS sort, domain, '' AS address, n::int, n::int, first, last FROM domains
	UNION ALL
	SELECT 1, '', email_norm, count(*)::int, count(DISTINCT lower(email))::int, min(created_at), max(created_at)
	FROM s GROUP BY email_norm HAVING count(*) >= @repeat_min
	ORDER BY 1, 4 DESC, 2, 3`

// ListEndorsements returns page (from 1) of the endorsements of nomination id, oldest first, for
// staff, with the nomination's figures at now; db.ErrNotFound when the nomination does not exist
// or staff does not hold the secretariat role in its edition.
func ListEndorsements(ctx context.Context, q db.DBTX, staff, id int64, page int, now time.Time) (EndorsementList, error) {
	page = max(page, 1)
	args := pgx.NamedArgs{"staff": staff, "id": id, "now": now, "limit": EndorsementsPerPage,
		"offset": (page - 1) * EndorsementsPerPage}
	out := EndorsementList{Page: page}
	err := q.QueryRow(ctx, `SELECT (SELECT count(*) FROM endorsements e WHERE e.application_id = n.application_id), `+countsSQL+`
		FROM nominations n WHERE n.application_id = @id AND `+staffFilter, args).Scan(&out.Total, &out.Confirmed, &out.Pending)
	if err = db.Found(err, "nomination: list endorsements"); err != nil {
		return EndorsementList{}, err
	}
	out.Pages = db.PageCount(out.Total, EndorsementsPerPage)
	rows, err := q.Query(ctx, `SELECT `+endorsementColumns+` FROM endorsements e
		JOIN nominations n ON n.application_id = e.application_id
		WHERE e.application_id = @id AND `+staffFilter+`
		ORDER BY e.created_at, e.id LIMIT @limit OFFSET @offset`, args)
	if err != nil {
		return EndorsementList{}, fmt.Errorf("nomination: list endorsements: %w", err)
	}
	if out.Rows, err = pgx.AppendRows(out.Rows, rows, func(r pgx.CollectableRow) (Endorsement, error) { return scanEndorsement(r) }); err != nil {
		return EndorsementList{}, fmt.Errorf("nomination: list endorsements: %w", err)
	}
	args["window"], args["domain_min"], args["repeat_min"] = BurstWindow.Seconds(), BurstDomainMin, RepeatMin
	brows, err := q.Query(ctx, burstsSQL, args)
	if err != nil {
		return EndorsementList{}, fmt.Errorf("nomination: endorsement bursts: %w", err)
	}
	out.Bursts, err = pgx.AppendRows(out.Bursts, brows, func(r pgx.CollectableRow) (Burst, error) {
		var b Burst
		var sort int
		err := r.Scan(&sort, &b.Domain, &b.Address, &b.Count, &b.Spellings, &b.From, &b.To)
		return b, err
	})
	if err != nil {
		return EndorsementList{}, fmt.Errorf("nomination: endorsement bursts: %w", err)
	}
	return out, nil
}
