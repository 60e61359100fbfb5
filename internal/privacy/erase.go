package privacy

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/account"
	"prizeportal/internal/audit"
	"prizeportal/internal/db"
)

// KeptEntry is an entry the erasure keeps in part, and why.
type KeptEntry struct {
	ID       int64
	Title    string
	Edition  string
	Category string
	// Won names the prize or special mention when the entry is in the published results.
	Won string
	// Repository: the applicant consented to publication in the best-practice repository.
	Repository bool
}

// Plan is what erasing a person will do, for the confirmation page.
type Plan struct {
	// Kept are the entries whose published part stays.
	Kept []KeptEntry
	// Deleted counts the person's entries that go entirely; Anonymised those that stay in the
	// prize's record without anything that identifies the person.
	Deleted, Anonymised int
}

// personEntries is the where clause of the entries of a person (classifyQuery): those the
// account owns, and the nominations of which the person (by address) is the candidate.
const personEntries = `(a.user_id = $1 OR (n.application_id IS NOT NULL AND lower(btrim(n.candidate_email)) = lower(btrim($2))))`

// Preview returns what erasing userID would do (db.ErrNotFound when there is no such account).
func (s *Service) Preview(ctx context.Context, userID int64) (Plan, error) {
	p, err := loadPerson(ctx, s.Pool, userID)
	if err != nil {
		return Plan{}, fmt.Errorf("privacy: preview %d: %w", userID, err)
	}
	entries, err := classify(ctx, s.Pool, personEntries, userID, p.email)
	if err != nil {
		return Plan{}, fmt.Errorf("privacy: preview %d: %w", userID, err)
	}
	var plan Plan
	del, anon, _ := split(entries, userID)
	plan.Deleted, plan.Anonymised = len(del), len(anon)
	for _, e := range entries {
		if e.Kept() {
			plan.Kept = append(plan.Kept, KeptEntry{ID: e.ID, Title: e.Title, Edition: e.Edition, Category: e.Category,
				Won: e.Prize, Repository: e.Repository})
		}
	}
	return plan, nil
}

// split sorts entries into those to delete (userID's own entries outside the prize's record;
// with userID 0, every entry outside it), to anonymise, and to keep in part.
func split(entries []entry, userID int64) (del, anon, kept []int64) {
	for _, e := range entries {
		switch {
		case e.Kept():
			kept = append(kept, e.ID)
		case !e.InRecord && (userID == 0 || e.UserID == userID):
			del = append(del, e.ID)
		default:
			anon = append(anon, e.ID)
		}
	}
	return del, anon, kept
}

// person is what identifies an account's holder in free text.
type person struct {
	login, email, name string
}

func loadPerson(ctx context.Context, q db.DBTX, userID int64) (person, error) {
	var p person
	err := q.QueryRow(ctx, `SELECT login_id, email, name FROM users WHERE id = $1`, userID).Scan(&p.login, &p.email, &p.name)
	if errors.Is(err, pgx.ErrNoRows) {
		return p, db.ErrNotFound
	}
	return p, err
}

// needles are the strings that name the person in free text: the address always, the login and
// the name when they are long enough (five characters) not to match unrelated words.
func (p person) needles() []string {
	out := []string{strings.ToLower(strings.TrimSpace(p.email))}
	for _, s := range []string{p.login, p.name} {
		if s = strings.ToLower(strings.TrimSpace(s)); utf8.RuneCountInString(s) >= 5 {
			out = append(out, s)
		}
	}
	return out
}

// Result is what an erasure did.
type Result struct {
	// Kept counts the entries whose published part stays; Deleted and Anonymised the others.
	Kept, Deleted, Anonymised int
	// Files counts the files deleted.
	Files int
}

// Erase erases the person who holds account userID, on an admin's request (by): everything that
// identifies them across every table and the file storage goes or is anonymised, except what the
// prize must keep (the package comment lists each decision). It runs in one transaction that
// also writes the audit entry (EraseAction, with counts only), then deletes the files from the
// storage. The rules of account.CanErase apply: a refusal wraps account.ErrCannotErase.
func (s *Service) Erase(ctx context.Context, userID int64, by account.By, now time.Time) (Result, error) {
	var (
		keys []string
		c    counts
	)
	err := db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		if err := account.CheckErase(ctx, tx, userID, by); err != nil {
			return err
		}
		var err error
		keys, err = erasePerson(ctx, tx, userID, by, now, &c)
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: by.UserID, ActorLabel: by.Label, Action: EraseAction,
			ObjectType: "user", ObjectID: strconv.FormatInt(userID, 10), IP: by.IP, Details: c.details()})
	})
	if err != nil {
		return Result{}, fmt.Errorf("privacy: erase %d: %w", userID, err)
	}
	res := Result{Kept: c.EntriesKept, Deleted: c.EntriesDeleted, Anonymised: c.EntriesAnonymised, Files: c.Files}
	if err := s.deleteObjects(ctx, keys); err != nil {
		// The erasure is committed: the objects left are unreferenced and are reported for an
		// operator to remove.
		s.logger().Error("privacy: erasure left files in the storage", "user", userID, "err", err)
	}
	return res, nil
}

// erasePerson does the erasure of userID in tx and returns the storage keys to delete after the
// commit.
func erasePerson(ctx context.Context, tx pgx.Tx, userID int64, by account.By, now time.Time, c *counts) ([]string, error) {
	p, err := loadPerson(ctx, tx, userID)
	if err != nil {
		return nil, err
	}
	entries, err := classify(ctx, tx, personEntries, userID, p.email)
	if err != nil {
		return nil, err
	}
	del, anon, kept := split(entries, userID)
	keys, err := purgeEntries(ctx, tx, del, anon, kept, now, c)
	if err != nil {
		return nil, err
	}
	more, err := eraseTraces(ctx, tx, userID, p, now, c)
	if err != nil {
		return nil, err
	}
	keys = append(keys, more...)
	more, err = dropExports(ctx, tx, `requester_id = $1 OR kind = 'audit'
		OR edition_id IN (SELECT edition_id FROM applications WHERE id = ANY($2))
		OR edition_id IN (SELECT edition_id FROM users WHERE id = $1 AND edition_id IS NOT NULL)`, c, userID, append(anon, kept...))
	if err != nil {
		return nil, err
	}
	keys = append(keys, more...)
	if err := account.AnonymiseAccount(ctx, tx, userID, by, now, placeKept(entries, userID)); err != nil {
		return nil, err
	}
	c.Accounts++
	return keys, nil
}

// placeKept says what of the account userID's place its kept entries show: a winner's results
// name its organisation, city and country; a repository case shows a project's country.
func placeKept(entries []entry, userID int64) account.Place {
	var p account.Place
	for _, e := range entries {
		if e.UserID != userID {
			continue
		}
		if e.Won {
			p = account.Place{Organisation: true, City: true, Country: true}
		}
		if e.Repository && e.Kind == "project" {
			p.Country = true
		}
	}
	return p
}

// eraseTraces erases what names the person outside their entries: letters they wrote,
// endorsements they signed, invitations to their address, conflict declarations, abuse counters,
// sessions, files they uploaded, emails and audit entries that name them.
func eraseTraces(ctx context.Context, tx pgx.Tx, userID int64, p person, now time.Time, c *counts) ([]string, error) {
	email := strings.ToLower(strings.TrimSpace(p.email))
	if !strings.Contains(email, "@") {
		// An empty needle would match every row below.
		return nil, fmt.Errorf("traces: %q is not an email address", email)
	}
	keys, err := deleteFiles(ctx, tx, `
		SELECT id FROM files WHERE uploaded_by = $1
		UNION SELECT file_id FROM recommendation_letters WHERE lower(btrim(invited_email)) = $2 AND file_id IS NOT NULL`, c, userID, email)
	if err != nil {
		return nil, err
	}
	tag, err := tx.Exec(ctx, `
		DELETE FROM private_links WHERE
		   (purpose = 'recommendation_letter' AND subject_id IN (SELECT id FROM recommendation_letters WHERE lower(btrim(invited_email)) = $1))
		OR (purpose = 'endorsement_confirm' AND subject_id IN (SELECT id FROM endorsements WHERE email_norm = $1 OR lower(btrim(email)) = $1))
		OR (purpose = 'invitation' AND subject_id IN (SELECT id FROM invitations WHERE lower(btrim(email)) = $1 OR accepted_by = $2))`, email, userID)
	if err != nil {
		return nil, fmt.Errorf("links: %w", err)
	}
	c.Links += int(tag.RowsAffected())
	n, err := anonymiseLetters(ctx, tx, `lower(btrim(invited_email)) = $1`, email)
	if err != nil {
		return nil, err
	}
	c.Letters += n
	// The address as typed, or its normalised key (which may drop a +tag or dots).
	n, err = anonymiseEndorsements(ctx, tx, `email_norm = $1 OR lower(btrim(email)) = $1`, email)
	if err != nil {
		return nil, err
	}
	c.Endorsements += n
	needles := p.needles()
	// The login matches whole keys and labels; a person known only by their address has none.
	login := strings.ToLower(strings.TrimSpace(p.login))
	if login == "" {
		login = email
	}
	for _, st := range []struct {
		sql  string
		args []any
	}{
		{`DELETE FROM invitations WHERE lower(btrim(email)) = $1 AND accepted_by IS NULL`, []any{email}},
		{`UPDATE invitations SET email = 'erased-' || id || '@erased.invalid', contact_name = '` + account.ErasedName + `',
		         organisation = '', message = '' WHERE lower(btrim(email)) = $1 OR accepted_by = $2`, []any{email, userID}},
		{`DELETE FROM conflict_declarations WHERE evaluator_id = $1 OR email = $2`, []any{userID, email}},
		{`DELETE FROM evaluator_categories WHERE user_id = $1`, []any{userID}},
		// Abuse counters keyed by the address or login (the key may carry a prefix such as "ip:").
		{`DELETE FROM throttle_events WHERE strpos(lower(key), $1) > 0 OR lower(key) = $2 OR right(lower(key), length($2) + 1) = ':' || $2`, []any{email, login}},
		// Sessions are ended by the account's session epoch; those that hold the address go too.
		{`DELETE FROM sessions WHERE position(convert_to($1, 'UTF8') IN data) > 0`, []any{email}},
		// Emails to other people that name the person: unsent ones are dropped, sent ones keep
		// only the record that they were sent.
		{`DELETE FROM email_outbox WHERE sent_at IS NULL AND EXISTS (SELECT 1 FROM unnest($1::text[]) x
		   WHERE strpos(lower(subject), x) > 0 OR strpos(lower(text_body), x) > 0 OR strpos(lower(html_body), x) > 0)`, []any{needles}},
		{`UPDATE email_outbox SET subject = '` + erasedText + `', html_body = '', text_body = '', attachments = '[]', last_error = ''
		  WHERE EXISTS (SELECT 1 FROM unnest($1::text[]) x WHERE strpos(lower(subject), x) > 0
		   OR strpos(lower(text_body), x) > 0 OR strpos(lower(html_body), x) > 0 OR strpos(lower(last_error), x) > 0)`, []any{needles}},
		// The mail server's errors kept by the job queue (River) may quote the address.
		{`UPDATE river_job SET errors = NULL WHERE EXISTS (SELECT 1 FROM unnest($1::text[]) x WHERE strpos(lower(errors::text), x) > 0)`,
			[]any{needles}},
		// Audit entries naming the person in their details or label (the login, whatever its
		// length, when it is the whole label: a failed sign-in).
		{`UPDATE audit_log SET details = '{}', ip = CASE WHEN actor_id IS NULL OR actor_id = $2 THEN '' ELSE ip END,
		         actor_label = CASE WHEN lower(actor_label) = $3
		                              OR EXISTS (SELECT 1 FROM unnest($1::text[]) x WHERE strpos(lower(actor_label), x) > 0)
		                            THEN '` + account.ErasedName + `' ELSE actor_label END
		  WHERE lower(actor_label) = $3
		     OR EXISTS (SELECT 1 FROM unnest($1::text[]) x WHERE strpos(lower(details::text), x) > 0 OR strpos(lower(actor_label), x) > 0)`,
			[]any{needles, userID, login}},
	} {
		tag, err := tx.Exec(ctx, st.sql, st.args...)
		if err != nil {
			return nil, fmt.Errorf("traces: %w", err)
		}
		switch {
		case strings.Contains(st.sql, "FROM sessions"):
			c.Sessions += int(tag.RowsAffected())
		case strings.Contains(st.sql, "email_outbox SET"):
			c.Emails += int(tag.RowsAffected())
		}
	}
	return keys, nil
}

// dropExports marks the finished exports chosen by where (with args) as failed, because they may
// hold erased or purged data, and returns the storage keys of their files.
func dropExports(ctx context.Context, tx pgx.Tx, where string, c *counts, args ...any) ([]string, error) {
	keys, err := db.List(ctx, tx, "exports", pgx.RowTo[string], `
		WITH old AS (SELECT id, file_key FROM export_jobs WHERE status = 'done' AND (`+where+`) FOR UPDATE)
		UPDATE export_jobs e SET status = 'failed', file_key = '', size = 0,
		       error = 'Removed because personal data in it were erased.'
		FROM old WHERE e.id = old.id
		RETURNING old.file_key`, args...)
	if err != nil {
		return nil, err
	}
	c.Exports += len(keys)
	return keys, nil
}
