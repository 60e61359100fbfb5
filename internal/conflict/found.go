package conflict

import (
	"cmp"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/blocks/field"
	"prizeportal/internal/db"
	"prizeportal/internal/i18n"
)

// MaxExplanation is the longest explanation of a found conflict, in characters.
const MaxExplanation = 1000

// The answers a jury member gives to a conflict the portal found (conflict_reviews.decision).
const (
	// Confirmed: the member says it is a conflict; the pair stays barred.
	Confirmed = "confirmed"
	// Explained: the member says why it is not; the pair is no longer barred.
	Explained = "explained"
)

// Found is an entry the portal found a jury member tied to from structured data (view
// found_conflicts, migration 00045), with every reason and the member's answer.
type Found struct {
	ApplicationID int64
	EditionID     int64
	UserID        int64
	MemberName    string
	Entry         string // the entry's title ("Entry <id>" while it has none)
	Category      string
	Reasons       []string
	Decision      string // "", Confirmed or Explained
	Explanation   string
	DecidedAt     *time.Time
}

// Open reports whether the member has not answered yet: the pair is barred until explained.
func (f Found) Open() bool { return f.Decision == "" }

// foundReason is one found_conflicts row as people read it.
func foundReason(reason, subject, fieldName, matched string) string {
	switch reason {
	case "organisation":
		return i18n.Msg("your organisation ({{.Subject}}) is {{.Field}} ({{.Matched}})", "Subject", subject, "Field", FieldLabel(fieldName), "Matched", matched)
	case "domain":
		return i18n.Msg("your email domain ({{.Subject}}) is {{.Field}} ({{.Matched}})", "Subject", subject, "Field", FieldLabel(fieldName), "Matched", matched)
	case "entry":
		return i18n.Msg("you hold an entry of your own in {{.Category}}, this entry's category", "Category", subject)
	}
	return i18n.Msg("you and {{.Field}} ({{.Matched}}) are both tied to the registered organisation {{.Subject}}", "Field", FieldLabel(fieldName), "Matched", matched, "Subject", subject)
}

// FoundReason is a found conflict's reason as the committee and the ballot show it, where reason,
// subject, field and matched are the columns of found_conflicts.
func FoundReason(reason, subject, fieldName, matched string) string {
	return i18n.Msg("found by the portal: {{.Reason}}", "Reason", foundReason(reason, subject, fieldName, matched))
}

// foundSQL lists found conflicts with their entries and answers, one row per (entry, member);
// %s filters f (found_conflicts) and binds @edition.
const foundSQL = `
SELECT f.application_id, f.edition_id, f.user_id, coalesce(nullif(u.name, ''), u.email),
       coalesce(nullif(CASE WHEN a.kind = 'nomination' THEN 'Nomination of ' || coalesce(n.candidate_name, '')
            ELSE coalesce(a.answers->'project_title'->>'text', '') END, ''), 'Entry ' || a.id),
       c.name, array_agg(f.reason || '|' || f.subject || '|' || f.field || '|' || f.matched ORDER BY f.reason, f.field, f.subject),
       coalesce(r.decision, ''), coalesce(r.explanation, ''), r.decided_at
FROM found_conflicts f
JOIN applications a ON a.id = f.application_id AND a.status NOT IN ('withdrawn', 'merged')
JOIN categories c ON c.id = a.category_id
JOIN users u ON u.id = f.user_id
LEFT JOIN nominations n ON n.application_id = a.id
LEFT JOIN conflict_reviews r ON r.application_id = f.application_id AND r.user_id = f.user_id
WHERE f.edition_id = @edition AND %s
GROUP BY f.application_id, f.edition_id, f.user_id, u.name, u.email, a.id, a.kind, n.candidate_name, a.answers, c.name, c.position,
         r.decision, r.explanation, r.decided_at
ORDER BY lower(coalesce(nullif(u.name, ''), u.email)), f.user_id, c.position, f.application_id`

func listFound(ctx context.Context, q db.DBTX, where string, args pgx.NamedArgs) ([]Found, error) {
	return db.List(ctx, q, "conflict: found", func(row pgx.CollectableRow) (Found, error) {
		var (
			f   Found
			raw []string
		)
		err := row.Scan(&f.ApplicationID, &f.EditionID, &f.UserID, &f.MemberName, &f.Entry, &f.Category, &raw,
			&f.Decision, &f.Explanation, &f.DecidedAt)
		for _, r := range raw {
			p := strings.SplitN(r, "|", 4)
			if len(p) == 4 {
				f.Reasons = append(f.Reasons, foundReason(p[0], p[1], p[2], p[3]))
			}
		}
		return f, err
	}, fmt.Sprintf(foundSQL, where), args)
}

// FoundFor lists the conflicts the portal found for member in editionID, each with its reasons
// and member's answer: what the member sees and answers (only their own: the SQL filters by
// member).
func FoundFor(ctx context.Context, q db.DBTX, member, editionID int64) ([]Found, error) {
	return listFound(ctx, q, `f.user_id = @member`, pgx.NamedArgs{"member": member, "edition": editionID})
}

// FoundInEdition lists every conflict the portal found in editionID with the members' answers,
// for staff (a secretariat member of the edition; anyone else gets an empty list).
func FoundInEdition(ctx context.Context, q db.DBTX, staff, editionID int64) ([]Found, error) {
	return listFound(ctx, q, `EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = @staff
		AND g.role = 'secretariat' AND g.edition_id = f.edition_id)`, pgx.NamedArgs{"staff": staff, "edition": editionID})
}

// Answer is a member's answer to a found conflict, as typed: Decision is Confirmed or Explained;
// Explanation is required with Explained.
type Answer struct {
	Decision    string
	Explanation string
}

// Review records member's answer to the conflict the portal found between them and entry appID
// (replacing an earlier answer) and returns it as stored with the one before (zero when none).
// Bad input is field.Errors (fields decision, explanation); db.ErrNotFound when the portal found
// no conflict between member and the entry.
func Review(ctx context.Context, q db.DBTX, member, appID int64, in Answer, now time.Time) (before, after Found, err error) {
	var errs field.Errors
	explanation := strings.TrimSpace(in.Explanation)
	switch in.Decision {
	case Confirmed:
	case Explained:
		switch {
		case explanation == "":
			errs.Add("explanation", "Say why this is not a conflict of interest.")
		case len([]rune(explanation)) > MaxExplanation:
			errs.Add("explanation", "Use at most 1000 characters for the explanation.")
		}
	default:
		errs.Add("decision", "Choose whether this is a conflict of interest.")
	}
	if errs.Any() {
		return before, after, errs
	}
	var editionID int64
	if err := q.QueryRow(ctx, `SELECT edition_id FROM found_conflicts WHERE user_id = $1 AND application_id = $2 LIMIT 1`,
		member, appID).Scan(&editionID); err != nil {
		return before, after, db.Found(err, "conflict: review")
	}
	one := func() (Found, error) {
		l, err := listFound(ctx, q, `f.user_id = @member AND f.application_id = @app`,
			pgx.NamedArgs{"member": member, "app": appID, "edition": editionID})
		if err != nil || len(l) == 0 {
			return Found{}, db.Found(pgx.ErrNoRows, "conflict: review")
		}
		return l[0], nil
	}
	if before, err = one(); err != nil {
		return before, after, err
	}
	if in.Decision == Confirmed {
		explanation = ""
	}
	if _, err := q.Exec(ctx, `
		INSERT INTO conflict_reviews (application_id, user_id, decision, explanation, decided_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (application_id, user_id) DO UPDATE SET decision = excluded.decision, explanation = excluded.explanation,
			decided_at = excluded.decided_at`, appID, member, in.Decision, explanation, now); err != nil {
		return before, after, fmt.Errorf("conflict: review: %w", err)
	}
	after, err = one()
	return before, after, err
}

// Mine is what a jury member declared in an edition and what the portal found for them there.
type Mine struct {
	Declarations []Declaration
	Found        []Found
}

// MineIn is member's declarations and found conflicts in editionID (Declarations, FoundFor).
func MineIn(ctx context.Context, q db.DBTX, member, editionID int64) (Mine, error) {
	var (
		m   Mine
		err error
	)
	if m.Declarations, err = Declarations(ctx, q, member, editionID); err != nil {
		return m, err
	}
	m.Found, err = FoundFor(ctx, q, member, editionID)
	return m, err
}

// Registry is the conflict-of-interest registry of an edition and the conflicts the portal found
// there with the jury's answers: the secretariat's page.
type Registry struct {
	Organisations []Organisation
	Found         []Found
	Registrants   []Registrant
}

// Registrant is an account registered for an edition whose organisation or email domain matches
// an organisation of the edition's registry (view registration_conflicts, migration 00048): the
// secretariat is warned from registration on, before any entry is submitted and flagged.
type Registrant struct {
	UserID       int64
	Name         string // the account's name (its email when it has none)
	Email        string
	Category     string
	RegisteredAt time.Time
	Reasons      []string // e.g. "organisation (WeGO) matches World e-Governments Organization"
}

// registrantFields name the fields of view registration_conflicts that matched, texts of the
// catalogs.
var registrantFields = map[string]string{"organisation": i18n.M("organisation"), "email domain": i18n.M("email domain")}

// RegistrantsIn lists the registrants of editionID that match its registry, by name, for staff
// (a secretariat member of the edition; anyone else gets an empty list).
func RegistrantsIn(ctx context.Context, q db.DBTX, staff, editionID int64) ([]Registrant, error) {
	return db.List(ctx, q, "conflict: registrants", func(row pgx.CollectableRow) (Registrant, error) {
		var r Registrant
		var raw []string
		err := row.Scan(&r.UserID, &r.Name, &r.Email, &r.Category, &r.RegisteredAt, &raw)
		for _, x := range raw {
			p := strings.SplitN(x, "|", 3)
			r.Reasons = append(r.Reasons, i18n.Msg("{{.Field}} ({{.Matched}}) matches {{.Subject}}", "Field", cmp.Or(registrantFields[p[1]], p[1]), "Matched", p[2], "Subject", p[0]))
		}
		return r, err
	}, `
		SELECT u.id, coalesce(nullif(u.name, ''), u.email), u.email, c.name, r.created_at,
		       array_agg(m.subject || '|' || m.field || '|' || coalesce(m.matched, '') ORDER BY m.subject, m.field)
		FROM registration_conflicts m
		JOIN edition_registrations r ON r.user_id = m.user_id AND r.edition_id = m.edition_id
		JOIN users u ON u.id = m.user_id
		JOIN categories c ON c.id = m.category_id
		WHERE m.edition_id = @edition AND EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = @staff
			AND g.role = 'secretariat' AND g.edition_id = m.edition_id)
		GROUP BY u.id, u.name, u.email, c.name, r.created_at
		ORDER BY lower(coalesce(nullif(u.name, ''), u.email)), u.id`,
		pgx.NamedArgs{"staff": staff, "edition": editionID})
}

// RegistryIn is the registry of editionID and its found conflicts, for staff (a secretariat
// member of the edition; anyone else gets empty lists: Organisations, FoundInEdition).
func RegistryIn(ctx context.Context, q db.DBTX, staff, editionID int64) (Registry, error) {
	var (
		r   Registry
		err error
	)
	if r.Organisations, err = Organisations(ctx, q, staff, editionID); err != nil {
		return r, err
	}
	if r.Found, err = FoundInEdition(ctx, q, staff, editionID); err != nil {
		return r, err
	}
	r.Registrants, err = RegistrantsIn(ctx, q, staff, editionID)
	return r, err
}
