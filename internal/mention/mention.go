// Package mention records the Special Mentions of an edition (DOMAIN.md
// "Categories"): prizes not applied for, given by the organisers (2023: one project chosen with a
// partner international organisation, two cities chosen from smart-city index research). The
// edition definition lists the awards with how many of each are given; the secretariat records
// each mention: to an application of the edition, or to a named city or organisation that did
// not apply, with the partner or source of the choice and a citation. The store refuses more
// mentions of an award than its count. Every query of the secretariat's is filtered by the
// secretariat role in the edition in SQL; ListMentions gives the public fields only.
package mention

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/blocks/country"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/db"
	"prizeportal/internal/edition"
)

// Limits of the fields, in characters.
const (
	MaxName     = 200
	MaxPartner  = 300
	MaxCitation = 3000
)

// Input is a mention as the secretariat types it. Awarded to an application (ApplicationID) or,
// when the recipient did not apply, to a named city or organisation (Name, City, Country).
type Input struct {
	Award         string // the award's name in the edition definition
	ApplicationID int64  // 0: a named recipient
	Name          string
	City          string
	Country       string // ISO code, optional
	Partner       string // the partner organisation or the source (e.g. an index)
	Citation      string
}

// Mention is a recorded special mention.
type Mention struct {
	ID            int64
	EditionID     int64
	Award         string
	ApplicationID int64 // 0 for a named recipient
	// Recipient is who receives it: the named recipient, or the applicant's organisation.
	Recipient string
	Title     string // the project's title (or "Nomination of" the candidate); "" for a named recipient
	Name      string // the named recipient as typed; "" for an application
	City      string
	Country   string
	Partner   string
	Citation  string
	CreatedBy string
	CreatedAt time.Time
	UpdatedBy string
	UpdatedAt *time.Time
}

// Input returns the mention as a form's input.
func (m Mention) Input() Input {
	return Input{Award: m.Award, ApplicationID: m.ApplicationID, Name: m.Name, City: m.City, Country: m.Country,
		Partner: m.Partner, Citation: m.Citation}
}

// Public is a mention as the public results page shows it.
type Public struct {
	Award     string
	Recipient string
	Title     string // "" for a named recipient
	City      string
	Country   string // ISO code
	Partner   string
	Citation  string
}

// Option is an application of the edition a mention may go to.
type Option struct {
	ID    int64
	Label string // "<title> — <organisation>, <city>"
}

const staffFilter = `EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = @staff AND g.edition_id = m.edition_id AND g.role = 'secretariat')`

const columns = `m.id, m.edition_id, m.award, coalesce(m.application_id, 0),
	CASE WHEN m.application_id IS NULL THEN m.recipient_name ELSE coalesce(p.organisation, '') END,
	CASE WHEN m.application_id IS NULL THEN ''
	     WHEN a.kind = 'nomination' THEN 'Nomination of ' || coalesce(n.candidate_name, '')
	     ELSE coalesce(a.answers->'project_title'->>'text', '') END,
	m.recipient_name,
	CASE WHEN m.application_id IS NULL THEN m.city ELSE coalesce(p.city, '') END,
	CASE WHEN m.application_id IS NULL THEN m.country ELSE coalesce(p.country, '') END,
	m.partner, m.citation, coalesce(cu.name, ''), m.created_at, coalesce(uu.name, ''), m.updated_at`

const from = ` FROM special_mentions m
	LEFT JOIN applications a ON a.id = m.application_id
	LEFT JOIN entry_participants p ON p.application_id = a.id
	LEFT JOIN nominations n ON n.application_id = a.id
	LEFT JOIN users cu ON cu.id = m.created_by
	LEFT JOIN users uu ON uu.id = m.updated_by`

// scanMention reads a row of columns+from.
func scanMention(row pgx.CollectableRow) (Mention, error) {
	var m Mention
	err := row.Scan(&m.ID, &m.EditionID, &m.Award, &m.ApplicationID, &m.Recipient, &m.Title, &m.Name, &m.City,
		&m.Country, &m.Partner, &m.Citation, &m.CreatedBy, &m.CreatedAt, &m.UpdatedBy, &m.UpdatedAt)
	return m, err
}

// List returns the mentions of edition editionID for staff (none unless staff is its
// secretariat), by award then recording order.
func List(ctx context.Context, q db.DBTX, staff, editionID int64) ([]Mention, error) {
	return db.List(ctx, q, "mention: list", scanMention, `SELECT `+columns+from+` WHERE m.edition_id = @edition AND `+staffFilter+`
		ORDER BY m.award, m.created_at, m.id`, pgx.NamedArgs{"staff": staff, "edition": editionID})
}

// Get returns mention id for staff; db.ErrNotFound unless staff is its edition's secretariat.
func Get(ctx context.Context, q db.DBTX, staff, id int64) (Mention, error) {
	list, err := db.List(ctx, q, "mention: get", scanMention, `SELECT `+columns+from+` WHERE m.id = @id AND `+staffFilter, pgx.NamedArgs{"staff": staff, "id": id})
	if err != nil {
		return Mention{}, err
	}
	if len(list) == 0 {
		return Mention{}, db.ErrNotFound
	}
	return list[0], nil
}

// ListMentions returns the public fields of the mentions of edition editionID, in the order of
// the edition's awards as stored (by award name), then recording order. It checks no access: the
// caller decides when the results are public.
func ListMentions(ctx context.Context, q db.DBTX, editionID int64) ([]Public, error) {
	list, err := db.List(ctx, q, "mention: public list", scanMention, `SELECT `+columns+from+` WHERE m.edition_id = $1 ORDER BY m.award, m.created_at, m.id`, editionID)
	if err != nil {
		return nil, err
	}
	out := make([]Public, 0, len(list))
	for _, m := range list {
		out = append(out, Public{Award: m.Award, Recipient: m.Recipient, Title: m.Title, City: m.City, Country: m.Country,
			Partner: m.Partner, Citation: m.Citation})
	}
	return out, nil
}

// Applications are the submitted applications of edition editionID a mention may go to, for
// staff (none unless staff is its secretariat), by title.
func Applications(ctx context.Context, q db.DBTX, staff, editionID int64) ([]Option, error) {
	return db.List(ctx, q, "mention: applications", func(row pgx.CollectableRow) (Option, error) {
		var o Option
		err := row.Scan(&o.ID, &o.Label)
		return o, err
	}, `
		SELECT a.id, CASE WHEN a.kind = 'nomination' THEN 'Nomination of ' || coalesce(n.candidate_name, '')
			ELSE coalesce(nullif(a.answers->'project_title'->>'text', ''), 'Untitled application ' || a.id) END
			|| ' — ' || coalesce(p.organisation, '') || ', ' || coalesce(p.city, '')
		FROM applications a JOIN entry_participants p ON p.application_id = a.id LEFT JOIN nominations n ON n.application_id = a.id
		WHERE a.edition_id = @edition AND a.status = 'submitted'
			AND EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = @staff AND g.edition_id = a.edition_id AND g.role = 'secretariat')
		ORDER BY 2, a.id`, pgx.NamedArgs{"staff": staff, "edition": editionID})
}

func award(ed *edition.Edition, name string) (edition.SpecialMention, bool) {
	for _, a := range ed.SpecialMentions.Awards {
		if a.Name == name {
			return a, true
		}
	}
	return edition.SpecialMention{}, false
}

func tooLong(s string, n int) bool { return len([]rune(s)) > n }

// clean trims in and checks it against ed's awards; a named recipient's fields are dropped when
// the mention goes to an application.
func clean(ed *edition.Edition, in Input) (Input, field.Errors) {
	in.Award = strings.TrimSpace(in.Award)
	in.Name, in.City = strings.TrimSpace(in.Name), strings.TrimSpace(in.City)
	in.Country = strings.ToUpper(strings.TrimSpace(in.Country))
	in.Partner, in.Citation = strings.TrimSpace(in.Partner), strings.TrimSpace(in.Citation)
	var errs field.Errors
	if _, ok := award(ed, in.Award); !ok {
		errs.Add("award", "Choose the special mention award.")
	}
	if in.ApplicationID != 0 {
		in.Name, in.City, in.Country = "", "", ""
	} else {
		if in.Name == "" {
			errs.Add("application", "Choose an application, or enter the name of the city or organisation below.")
			errs.Add("name", "Enter the name of the city or organisation, or choose an application above.")
		}
		if tooLong(in.Name, MaxName) {
			errs.Add("name", fmt.Sprintf("Enter a name of at most %d characters.", MaxName))
		}
		if tooLong(in.City, MaxName) {
			errs.Add("city", fmt.Sprintf("Enter a city of at most %d characters.", MaxName))
		}
		if in.Country != "" && country.Name(in.Country) == "" {
			errs.Add("country", "Choose a country from the list.")
		}
	}
	switch {
	case in.Partner == "":
		errs.Add("partner", "Enter the partner organisation or the source of the choice.")
	case tooLong(in.Partner, MaxPartner):
		errs.Add("partner", fmt.Sprintf("Enter at most %d characters.", MaxPartner))
	}
	switch {
	case in.Citation == "":
		errs.Add("citation", "Enter the citation.")
	case tooLong(in.Citation, MaxCitation):
		errs.Add("citation", fmt.Sprintf("Enter a citation of at most %d characters.", MaxCitation))
	}
	return in, errs
}

// check validates in for a mention of ed (id 0 for a new one) inside tx: the application is a
// submitted one of the edition, not already given this award, and the award's count is not
// exceeded. It locks the edition's row, so that two recordings cannot both take the last place.
func check(ctx context.Context, tx pgx.Tx, ed *edition.Edition, id int64, in Input) error {
	in, errs := clean(ed, in)
	if errs.Any() {
		return errs
	}
	if _, err := tx.Exec(ctx, `SELECT 1 FROM editions WHERE id = $1 FOR UPDATE`, ed.ID); err != nil {
		return fmt.Errorf("mention: lock: %w", err)
	}
	if in.ApplicationID != 0 {
		var ok, taken bool
		if err := tx.QueryRow(ctx, `SELECT
				EXISTS (SELECT 1 FROM applications WHERE id = $1 AND edition_id = $2 AND status = 'submitted'),
				EXISTS (SELECT 1 FROM special_mentions WHERE edition_id = $2 AND award = $3 AND application_id = $1 AND id <> $4)`,
			in.ApplicationID, ed.ID, in.Award, id).Scan(&ok, &taken); err != nil {
			return fmt.Errorf("mention: check application: %w", err)
		}
		if !ok {
			return field.Errors{{Field: "application", Message: "Choose a submitted application of this edition."}}
		}
		if taken {
			return field.Errors{{Field: "application", Message: "This application already has this special mention."}}
		}
	}
	a, _ := award(ed, in.Award)
	var n int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM special_mentions WHERE edition_id = $1 AND award = $2 AND id <> $3`,
		ed.ID, in.Award, id).Scan(&n); err != nil {
		return fmt.Errorf("mention: count: %w", err)
	}
	if n >= a.Count {
		given := "once"
		if a.Count != 1 {
			given = fmt.Sprintf("%d times", a.Count)
		}
		return field.Errors{{Field: "award", Message: fmt.Sprintf(
			"“%s” is given %s in this edition and every one is recorded. Change or remove a recorded mention first.", a.Name, given)}}
	}
	return nil
}

func nullID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// mayManage reports whether staff is the secretariat of edition editionID.
func mayManage(ctx context.Context, tx pgx.Tx, staff, editionID int64) error {
	var ok bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM role_grants WHERE user_id = $1 AND edition_id = $2 AND role = 'secretariat')`,
		staff, editionID).Scan(&ok); err != nil {
		return fmt.Errorf("mention: access: %w", err)
	}
	if !ok {
		return db.ErrNotFound
	}
	return nil
}

// Create records a mention of edition ed by staff (its secretariat, else db.ErrNotFound).
// Invalid input, or an award already given its count of times, is field.Errors.
func Create(ctx context.Context, tx pgx.Tx, staff int64, ed *edition.Edition, in Input, now time.Time) (Mention, error) {
	if err := mayManage(ctx, tx, staff, ed.ID); err != nil {
		return Mention{}, err
	}
	if err := check(ctx, tx, ed, 0, in); err != nil {
		return Mention{}, err
	}
	in, _ = clean(ed, in)
	var id int64
	if err := tx.QueryRow(ctx, `INSERT INTO special_mentions (edition_id, award, application_id, recipient_name, city, country,
			partner, citation, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
		ed.ID, in.Award, nullID(in.ApplicationID), in.Name, in.City, in.Country, in.Partner, in.Citation, staff, now).Scan(&id); err != nil {
		return Mention{}, fmt.Errorf("mention: create: %w", err)
	}
	return Get(ctx, tx, staff, id)
}

// Update changes mention id for staff (db.ErrNotFound unless its edition's secretariat) and
// returns it before and after.
func Update(ctx context.Context, tx pgx.Tx, staff int64, ed *edition.Edition, id int64, in Input, now time.Time) (before, after Mention, err error) {
	before, err = Get(ctx, tx, staff, id)
	if err != nil {
		return before, after, err
	}
	if before.EditionID != ed.ID {
		return before, after, db.ErrNotFound
	}
	if err := check(ctx, tx, ed, id, in); err != nil {
		return before, after, err
	}
	in, _ = clean(ed, in)
	if _, err := tx.Exec(ctx, `UPDATE special_mentions SET award = $2, application_id = $3, recipient_name = $4, city = $5,
			country = $6, partner = $7, citation = $8, updated_by = $9, updated_at = $10 WHERE id = $1`,
		id, in.Award, nullID(in.ApplicationID), in.Name, in.City, in.Country, in.Partner, in.Citation, staff, now); err != nil {
		return before, after, fmt.Errorf("mention: update: %w", err)
	}
	after, err = Get(ctx, tx, staff, id)
	return before, after, err
}

// Delete removes mention id for staff (db.ErrNotFound unless its edition's secretariat) and
// returns it as it was.
func Delete(ctx context.Context, tx pgx.Tx, staff, id int64) (Mention, error) {
	m, err := Get(ctx, tx, staff, id)
	if err != nil {
		return m, err
	}
	tag, err := tx.Exec(ctx, `DELETE FROM special_mentions WHERE id = $1`, id)
	if err != nil {
		return m, fmt.Errorf("mention: delete: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return m, db.ErrNotFound
	}
	return m, nil
}

// Counts returns how many mentions of each award (by name) edition editionID has.
func Counts(ctx context.Context, q db.DBTX, editionID int64) (map[string]int, error) {
	rows, err := q.Query(ctx, `SELECT award, count(*)::int FROM special_mentions WHERE edition_id = $1 GROUP BY award`, editionID)
	if err != nil {
		return nil, fmt.Errorf("mention: counts: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var a string
		var n int
		if err := rows.Scan(&a, &n); err != nil {
			return nil, fmt.Errorf("mention: counts: %w", err)
		}
		out[a] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("mention: counts: %w", err)
	}
	return out, nil
}
