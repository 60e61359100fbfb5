package privacy

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/blocks/form"
	"prizeportal/internal/db"
	"prizeportal/internal/repository"
)

// entry is one entry touched by an erasure or a retention run, classified.
type entry struct {
	ID       int64
	UserID   int64
	Kind     string
	Title    string
	Edition  string
	Category string
	// Won: a confirmed award or a special mention (the published results).
	Won bool
	// Prize is the award's name or the special mention, for the confirmation page.
	Prize string
	// Repository: a repository case the applicant consented to, not hidden.
	Repository bool
	// InRecord: the entry entered the prize's record (a screening decision, a score sheet, a
	// semi-final place, a ballot line, an award or a mention), so its row stays.
	InRecord bool
}

// Kept reports whether the entry keeps what is published of it.
func (e entry) Kept() bool { return e.Won || e.Repository }

// classifyQuery selects and classifies the entries chosen by a where clause on applications a
// (nominations n joined).
const classifyQuery = `
	SELECT a.id, a.user_id, a.kind,
	       CASE WHEN a.kind = 'nomination' THEN coalesce(n.candidate_name, '')
	            ELSE coalesce(a.answers -> 'project_title' ->> 'text', '') END,
	       e.name, c.name,
	       EXISTS (SELECT 1 FROM awards w WHERE w.application_id = a.id AND w.status = 'confirmed')
	         OR EXISTS (SELECT 1 FROM special_mentions m WHERE m.application_id = a.id),
	       coalesce((SELECT w.prize_name FROM awards w WHERE w.application_id = a.id AND w.status = 'confirmed' LIMIT 1),
	                (SELECT 'Special mention: ' || m.award FROM special_mentions m WHERE m.application_id = a.id LIMIT 1), ''),
	       EXISTS (SELECT 1 FROM repository_cases r WHERE r.application_id = a.id)
	         AND NOT EXISTS (SELECT 1 FROM repository_hidden h WHERE h.application_id = a.id),
	       EXISTS (SELECT 1 FROM screening_decisions d WHERE d.application_id = a.id)
	         OR EXISTS (SELECT 1 FROM score_sheets s WHERE s.application_id = a.id)
	         OR EXISTS (SELECT 1 FROM semi_finalists f WHERE f.application_id = a.id)
	         OR EXISTS (SELECT 1 FROM ballot_ranks b WHERE b.application_id = a.id)
	         OR EXISTS (SELECT 1 FROM awards w WHERE w.application_id = a.id)
	         OR EXISTS (SELECT 1 FROM award_proposals p WHERE a.id IN (p.from_application_id, p.to_application_id))
	         OR EXISTS (SELECT 1 FROM special_mentions m WHERE m.application_id = a.id)
	FROM applications a
	JOIN editions e ON e.id = a.edition_id
	JOIN categories c ON c.id = a.category_id
	LEFT JOIN nominations n ON n.application_id = a.id
	WHERE `

func classify(ctx context.Context, q db.DBTX, where string, args ...any) ([]entry, error) {
	rows, err := q.Query(ctx, classifyQuery+where+` ORDER BY a.id`, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (entry, error) {
		var e entry
		err := r.Scan(&e.ID, &e.UserID, &e.Kind, &e.Title, &e.Edition, &e.Category, &e.Won, &e.Prize, &e.Repository, &e.InRecord)
		return e, err
	})
}

// counts are what a purge did, for the audit entry (never personal data).
type counts struct {
	EntriesDeleted    int `json:"entries_deleted"`
	EntriesAnonymised int `json:"entries_anonymised"`
	EntriesKept       int `json:"entries_kept"`
	Letters           int `json:"letters"`
	Endorsements      int `json:"endorsements"`
	Files             int `json:"files"`
	Exports           int `json:"exports"`
	Emails            int `json:"emails"`
	Accounts          int `json:"accounts"`
	Tokens            int `json:"tokens"`
	Links             int `json:"links"`
	Sessions          int `json:"sessions"`
	ThrottleEvents    int `json:"throttle_events"`
	EmailBodies       int `json:"email_bodies"`
}

func (c counts) details() map[string]any {
	raw, _ := json.Marshal(c)
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	for k, v := range m {
		if v == float64(0) {
			delete(m, k)
		}
	}
	return m
}

// purgeEntries deletes the entries of del and takes the personal data out of those of anon and
// kept (kept ones keep what is published), in tx, as the package comment says. It returns the
// storage keys of the files whose rows it deleted.
func purgeEntries(ctx context.Context, tx pgx.Tx, del, anon, kept []int64, now time.Time, c *counts) ([]string, error) {
	all := append(append(append([]int64{}, del...), anon...), kept...)
	if len(all) == 0 {
		return nil, nil
	}
	// The files of the entries, their clarifications and their letters.
	keys, err := deleteFiles(ctx, tx, `
		SELECT file_id FROM application_files WHERE application_id = ANY($1)
		UNION SELECT cf.file_id FROM clarification_files cf JOIN clarifications x ON x.id = cf.clarification_id
		      WHERE x.application_id = ANY($1)
		UNION SELECT file_id FROM recommendation_letters WHERE application_id = ANY($1) AND file_id IS NOT NULL`, c, all)
	if err != nil {
		return nil, err
	}
	// Private links of their consents, letters and endorsements.
	tag, err := tx.Exec(ctx, `
		DELETE FROM private_links WHERE
		   (purpose = 'nomination_consent' AND subject_id = ANY($1))
		OR (purpose = 'recommendation_letter' AND subject_id IN (SELECT id FROM recommendation_letters WHERE application_id = ANY($1)))
		OR (purpose = 'endorsement_confirm' AND subject_id IN (SELECT id FROM endorsements WHERE application_id = ANY($1)))`, all)
	if err != nil {
		return nil, fmt.Errorf("links: %w", err)
	}
	c.Links += int(tag.RowsAffected())
	// Audit entries about the entries and their endorsements lose their details and the IP of
	// people without an account (recommenders, citizens).
	ids := make([]string, len(all))
	for i, id := range all {
		ids[i] = strconv.FormatInt(id, 10)
	}
	if _, err := tx.Exec(ctx, `
		UPDATE audit_log SET details = '{}', ip = CASE WHEN actor_id IS NULL THEN '' ELSE ip END,
		       actor_label = CASE WHEN actor_id IS NULL AND actor_label <> 'system' THEN '' ELSE actor_label END
		WHERE (object_type = 'application' AND object_id = ANY($1))
		   OR (object_type = 'endorsement' AND object_id IN (SELECT id::text FROM endorsements WHERE application_id = ANY($2)))`,
		ids, all); err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}

	if len(del) > 0 {
		for _, stmt := range []string{
			`DELETE FROM repository_hidden WHERE application_id = ANY($1)`,
			`DELETE FROM applications WHERE id = ANY($1)`,
		} {
			if _, err := tx.Exec(ctx, stmt, del); err != nil {
				return nil, fmt.Errorf("delete entries: %w", err)
			}
		}
		c.EntriesDeleted += len(del)
	}

	touched := append(append([]int64{}, anon...), kept...)
	if len(touched) == 0 {
		return keys, nil
	}
	n, err := anonymiseLetters(ctx, tx, `application_id = ANY($1)`, touched)
	if err != nil {
		return nil, err
	}
	c.Letters += n
	n, err = anonymiseEndorsements(ctx, tx, `application_id = ANY($1)`, touched)
	if err != nil {
		return nil, err
	}
	c.Endorsements += n
	if len(anon) > 0 {
		if _, err := tx.Exec(ctx, `UPDATE applications SET answers = '{}', purged_at = $2, updated_at = $2 WHERE id = ANY($1)`, anon, now); err != nil {
			return nil, fmt.Errorf("anonymise entries: %w", err)
		}
		for _, stmt := range []string{
			`UPDATE application_versions SET answers = '{}' WHERE application_id = ANY($1)`,
			`UPDATE nominations SET candidate_name = '` + erasedText + `', candidate_organisation = '' WHERE application_id = ANY($1)`,
			`UPDATE score_sheets SET criterion_comments = '{}', overall_comment = '' WHERE application_id = ANY($1)`,
			`DELETE FROM repository_cases WHERE application_id = ANY($1)`,
			`UPDATE repository_hidden SET reason = '` + erasedText + `' WHERE application_id = ANY($1)`,
		} {
			if _, err := tx.Exec(ctx, stmt, anon); err != nil {
				return nil, fmt.Errorf("anonymise entries: %w", err)
			}
		}
	}
	c.EntriesAnonymised += len(anon)
	for _, stmt := range []string{
		`UPDATE nominations SET candidate_email = 'erased-' || application_id || '@erased.invalid', candidate_position = '',
		        nominator_organisation = '', consent_note = '',
		        override_reason = CASE WHEN override_reason <> '' THEN '` + erasedText + `' ELSE '' END
		 WHERE application_id = ANY($1)`,
		`UPDATE clarifications SET question = '` + erasedText + `', answer_text = '' WHERE application_id = ANY($1)`,
		`UPDATE screening_decisions SET reason_text = '', revision_reason = '', review_note = '', checklist = '{}'
		 WHERE application_id = ANY($1)`,
		`UPDATE entry_flags SET detail = '` + erasedText + ` ' || id WHERE application_id = ANY($1) AND detail <> ''`,
		`UPDATE application_extensions SET reason = '` + erasedText + `' WHERE application_id = ANY($1)`,
		`UPDATE semi_finalists SET reason = '` + erasedText + `' WHERE application_id = ANY($1) AND reason <> ''`,
		`UPDATE ballot_ranks SET conflict = '` + erasedText + `' WHERE application_id = ANY($1) AND conflict <> ''`,
		`UPDATE award_proposals SET detail = '` + erasedText + `'
		 WHERE (from_application_id = ANY($1) OR to_application_id = ANY($1)) AND detail <> ''`,
		`UPDATE award_attendance SET representative_name = '` + erasedText + `', representative_title = '` + erasedText + `'
		 WHERE can_attend AND award_id IN (SELECT id FROM awards WHERE application_id = ANY($1))`,
		`DELETE FROM ceremony_videos WHERE award_id IN (SELECT id FROM awards WHERE application_id = ANY($1))`,
	} {
		if _, err := tx.Exec(ctx, stmt, touched); err != nil {
			return nil, fmt.Errorf("anonymise entries: %w", err)
		}
	}
	for _, id := range kept {
		if err := keepPublished(ctx, tx, id, now); err != nil {
			return nil, err
		}
	}
	c.EntriesKept += len(kept)
	return keys, nil
}

// keepPublished reduces kept entry id to what is published of it (see the package comment): its
// answers and its last submitted version keep only the published answers (PublishedAnswers),
// every earlier version none; the repository case is then rebuilt from them (the same case).
func keepPublished(ctx context.Context, tx pgx.Tx, id int64, now time.Time) error {
	var rawForm, rawAnswers, rawLast []byte
	var last *int
	var inRepository bool
	err := tx.QueryRow(ctx, `
		SELECT c.form, a.answers,
		       (SELECT v.number FROM application_versions v WHERE v.application_id = a.id ORDER BY v.number DESC LIMIT 1),
		       (SELECT v.answers FROM application_versions v WHERE v.application_id = a.id ORDER BY v.number DESC LIMIT 1),
		       EXISTS (SELECT 1 FROM repository_cases r WHERE r.application_id = a.id)
		         AND NOT EXISTS (SELECT 1 FROM repository_hidden h WHERE h.application_id = a.id)
		FROM applications a JOIN categories c ON c.id = a.category_id WHERE a.id = $1`, id).Scan(&rawForm, &rawAnswers, &last, &rawLast, &inRepository)
	if err != nil {
		return fmt.Errorf("kept entry %d: %w", id, err)
	}
	var f *form.Form
	if rawForm != nil {
		f = new(form.Form)
		if err := json.Unmarshal(rawForm, f); err != nil {
			return fmt.Errorf("kept entry %d: form: %w", id, err)
		}
	}
	reduce := func(raw []byte) ([]byte, error) {
		var a form.Answers
		if raw != nil {
			if err := json.Unmarshal(raw, &a); err != nil {
				return nil, err
			}
		}
		return json.Marshal(PublishedAnswers(f, a, inRepository))
	}
	answers, err := reduce(rawAnswers)
	if err != nil {
		return fmt.Errorf("kept entry %d: answers: %w", id, err)
	}
	if _, err := tx.Exec(ctx, `UPDATE applications SET answers = $2, purged_at = $3, updated_at = $3 WHERE id = $1`, id, answers, now); err != nil {
		return fmt.Errorf("kept entry %d: %w", id, err)
	}
	if last != nil {
		lastAnswers, err := reduce(rawLast)
		if err != nil {
			return fmt.Errorf("kept entry %d: version: %w", id, err)
		}
		if _, err := tx.Exec(ctx, `
			UPDATE application_versions SET answers = CASE WHEN number = $2 THEN $3::jsonb ELSE '{}' END
			WHERE application_id = $1`, id, *last, lastAnswers); err != nil {
			return fmt.Errorf("kept entry %d: %w", id, err)
		}
	}
	if err := repository.Refresh(ctx, tx, id); err != nil {
		return fmt.Errorf("kept entry %d: %w", id, err)
	}
	return nil
}

// PublishedAnswers returns what of answers a is public, and so kept for a kept entry: the title
// and summary the public results show unless marked confidential, and, for a case of the
// repository (inRepository), the answers it publishes (form.Publishable, files left out) with the
// publication consent the case depends on; with the answers their show_if conditions read.
func PublishedAnswers(f *form.Form, a form.Answers, inRepository bool) form.Answers {
	out := form.Answers{}
	if f == nil {
		return out
	}
	pruned := form.Prune(f, a)
	keep := func(k string) {
		if ans, ok := pruned[k]; ok && !ans.Confidential && len(ans.Files) == 0 {
			out[k] = ans
		}
	}
	for _, k := range append([]string{repository.TitleKey}, repository.SummaryKeys...) {
		keep(k)
	}
	if inRepository {
		for k := range form.Publishable(f, a) {
			keep(k)
		}
		keep(repository.ConsentKey)
	}
	for changed := true; changed; {
		changed = false
		for k := range out {
			q, ok := f.Question(k)
			if !ok || q.ShowIf == nil {
				continue
			}
			if _, done := out[q.ShowIf.Question]; !done {
				if ans, ok := pruned[q.ShowIf.Question]; ok {
					out[q.ShowIf.Question] = ans
					changed = true
				}
			}
		}
	}
	return out
}

// deleteFiles deletes the files rows whose ids the query (with args) selects, and their links
// (application and clarification files; a letter's file, whose text then says it was erased),
// and returns their storage keys.
func deleteFiles(ctx context.Context, tx pgx.Tx, idQuery string, c *counts, args ...any) ([]string, error) {
	type ref struct {
		ID  int64
		Key string
	}
	refs, err := db.List(ctx, tx, "files", pgx.RowToStructByPos[ref], `SELECT id, storage_key FROM files WHERE id IN (`+idQuery+`)`, args...)
	if err != nil {
		return nil, err
	}
	if len(refs) == 0 {
		return nil, nil
	}
	ids, keys := make([]int64, len(refs)), make([]string, len(refs))
	for i, x := range refs {
		ids[i], keys[i] = x.ID, x.Key
	}
	for _, stmt := range []string{
		`DELETE FROM application_files WHERE file_id = ANY($1)`,
		`DELETE FROM clarification_files WHERE file_id = ANY($1)`,
		`UPDATE recommendation_letters SET file_id = NULL,
		        letter_text = CASE WHEN status = 'received' THEN '` + erasedText + `' ELSE letter_text END
		 WHERE file_id = ANY($1)`,
		`DELETE FROM files WHERE id = ANY($1)`,
	} {
		if _, err := tx.Exec(ctx, stmt, ids); err != nil {
			return nil, fmt.Errorf("files: %w", err)
		}
	}
	c.Files += len(refs)
	return keys, nil
}

// anonymiseLetters takes the recommender's data out of the letters chosen by where (with args)
// and returns how many there were. Their files are deleted before (deleteFiles).
func anonymiseLetters(ctx context.Context, tx pgx.Tx, where string, args ...any) (int, error) {
	tag, err := tx.Exec(ctx, `
		UPDATE recommendation_letters SET invited_name = '`+erasedText+`', invited_email = 'erased-' || id || '@erased.invalid',
		       invited_organisation = '', recommender_name = '', recommender_title = '', recommender_organisation = '',
		       letter_text = CASE WHEN letter_text <> '' OR file_id IS NOT NULL THEN '`+erasedText+`' ELSE '' END
		WHERE `+where, args...)
	if err != nil {
		return 0, fmt.Errorf("letters: %w", err)
	}
	return int(tag.RowsAffected()), nil
}

// anonymiseEndorsements replaces the endorser's data in the endorsements chosen by where (with
// args), keeping each confirmed one distinct so it still counts, and returns how many there were.
func anonymiseEndorsements(ctx context.Context, tx pgx.Tx, where string, args ...any) (int, error) {
	tag, err := tx.Exec(ctx, `
		UPDATE endorsements SET name = '`+erasedText+`', city = '`+erasedText+`', country = '`+erasedText+`',
		       email = 'erased-' || id || '@erased.invalid', email_norm = 'erased-' || id || '@erased.invalid'
		WHERE `+where, args...)
	if err != nil {
		return 0, fmt.Errorf("endorsements: %w", err)
	}
	return int(tag.RowsAffected()), nil
}
