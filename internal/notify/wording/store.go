package wording

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/authz"
	"prizeportal/internal/db"
)

// managerFilter is the SQL form of authz.CanManageEdition for @actor and the edition @edition:
// the edition's managers and the administrators.
const managerFilter = `EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = @actor
	AND (g.role = 'admin' OR (g.role = 'manager' AND g.edition_id = @edition)))`

// Wording is an email of the registry as an edition words it in one language.
type Wording struct {
	Default Email
	// Language is the language of this wording ("en", "ko").
	Language string
	// Edited reports whether the edition overrides the default; Subject and Body are then its own.
	Edited  bool
	Subject string
	Body    string
	// Version counts the saves and resets of the email's wording in the edition (0: never changed).
	Version   int
	UpdatedAt *time.Time
	UpdatedBy string
}

// Current is the subject and body the edition's emails are sent with to readers of its language.
func (w Wording) Current() (subject, body string) {
	if w.Edited {
		return w.Subject, w.Body
	}
	subject, body, _ = w.Default.Default(w.Language)
	return subject, body
}

// language is lang, English when empty.
func language(lang string) string {
	if lang == "" {
		return "en"
	}
	return lang
}

// stored is a row of email_wordings.
type stored struct {
	Key       string
	Subject   *string
	Body      *string
	Version   int
	UpdatedAt time.Time
	UpdatedBy string
}

func (s stored) apply(w *Wording) {
	w.Edited = s.Subject != nil
	if w.Edited {
		w.Subject, w.Body = *s.Subject, *s.Body
	}
	w.Version, w.UpdatedBy = s.Version, s.UpdatedBy
	at := s.UpdatedAt
	w.UpdatedAt = &at
}

// loadStored reads the edition's rows in lang for actor (none when actor does not manage the
// edition: the rule is repeated in SQL), for one key or, with key "", all.
func loadStored(ctx context.Context, q db.DBTX, actor authz.Actor, editionID int64, lang, key string) (map[string]stored, error) {
	rows, err := db.List(ctx, q, "wording: load", func(row pgx.CollectableRow) (stored, error) {
		var s stored
		err := row.Scan(&s.Key, &s.Subject, &s.Body, &s.Version, &s.UpdatedAt, &s.UpdatedBy)
		return s, err
	}, `
		SELECT w.key, w.subject, w.body, w.version, w.updated_at, coalesce(u.name, '')
		FROM email_wordings w LEFT JOIN users u ON u.id = w.updated_by
		WHERE w.edition_id = @edition AND w.language = @lang AND (@key = '' OR w.key = @key) AND `+managerFilter,
		pgx.NamedArgs{"actor": actor.UserID, "edition": editionID, "key": key, "lang": language(lang)})
	if err != nil {
		return nil, err
	}
	out := make(map[string]stored, len(rows))
	for _, r := range rows {
		out[r.Key] = r
	}
	return out, nil
}

// List is every email of the registry as edition editionID words it in lang, for actor, who must
// manage the edition (authz.CanManageEdition, repeated in SQL).
func List(ctx context.Context, q db.DBTX, actor authz.Actor, editionID int64, lang string) ([]Wording, error) {
	if !authz.CanManageEdition(actor, editionID) {
		return nil, authz.ErrForbidden
	}
	rows, err := loadStored(ctx, q, actor, editionID, lang, "")
	if err != nil {
		return nil, err
	}
	out := make([]Wording, len(registry))
	for i, e := range registry {
		out[i].Default, out[i].Language = e, language(lang)
		if s, ok := rows[e.Key]; ok {
			s.apply(&out[i])
		}
	}
	return out, nil
}

// Load is the email key as edition editionID words it in lang, for actor, who must manage the
// edition (authz.CanManageEdition, repeated in SQL); an unknown key is db.ErrNotFound.
func Load(ctx context.Context, q db.DBTX, actor authz.Actor, editionID int64, lang, key string) (Wording, error) {
	e, ok := Lookup(key)
	if !ok {
		return Wording{}, db.ErrNotFound
	}
	if !authz.CanManageEdition(actor, editionID) {
		return Wording{}, authz.ErrForbidden
	}
	rows, err := loadStored(ctx, q, actor, editionID, lang, key)
	if err != nil {
		return Wording{}, err
	}
	w := Wording{Default: e, Language: language(lang)}
	if s, ok := rows[key]; ok {
		s.apply(&w)
	}
	return w, nil
}

// Override is edition editionID's own subject and body of the email key in lang, for sending; ok
// is false when the edition uses the default in that language.
func Override(ctx context.Context, q db.DBTX, editionID int64, lang, key string) (subject, body string, ok bool, err error) {
	var s, b *string
	err = q.QueryRow(ctx, `SELECT subject, body FROM email_wordings WHERE edition_id = $1 AND key = $2 AND language = $3`,
		editionID, key, language(lang)).Scan(&s, &b)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return "", "", false, nil
	case err != nil:
		return "", "", false, fmt.Errorf("wording: override %s: %w", key, err)
	case s == nil:
		return "", "", false, nil
	}
	return *s, *b, true, nil
}
