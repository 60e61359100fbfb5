package privacy

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/account"
	"prizeportal/internal/audit"
	"prizeportal/internal/db"
)

// linkGrace is how long an expired or used token or private link is kept, so that its page can
// still say "this link expired" rather than "unknown link" for a while.
const linkGrace = 30 * 24 * time.Hour

// RetainResult is what a run of the retention task did.
type RetainResult struct {
	// Editions lists the editions whose retention period had ended.
	Editions []int64
	counts
}

// Retain is the periodic task personal-data-retention. In one transaction (serialised between
// instances), with one audit entry (RetainAction, counts only) per run, it:
//
//   - for every edition whose retention period ended (its retention_years after the winners'
//     announcement, edition.Edition.RetentionEnd), purges the unsuccessful entries not purged
//     yet: those that never entered the prize's record are deleted, the others anonymised, and
//     those with a repository case their applicant consented to keep only what is published
//     (the package comment lists each decision); entries in the published results (a confirmed
//     award or a special mention) are left as they are;
//   - anonymises the accounts registered for those editions that hold nothing else: no staff
//     role, no winning entry and no entry in an edition still within its retention period;
//   - deletes user tokens and private links expired (or used) more than 30 days ago, expired
//     sessions and abuse-limit events older than a week (two-factor recovery codes stay: the row
//     of a used code is what stops its reuse, and regenerating the codes deletes the old set);
//   - empties the bodies and attachments of emails sent more than SentBodyRetention ago (the
//     record that they were sent, to whom and when, stays);
//
// and then deletes the purged files from the storage. It is safe to repeat: a second run finds
// nothing left to do (and still records its run).
func (s *Service) Retain(ctx context.Context, now time.Time) (RetainResult, error) {
	var (
		res  RetainResult
		keys []string
	)
	err := db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('privacy.retention'))`); err != nil {
			return err
		}
		var err error
		keys, err = retain(ctx, tx, now, &res)
		if err != nil {
			return err
		}
		details := res.counts.details()
		if len(res.Editions) > 0 {
			details["editions"] = res.Editions
		}
		return audit.Record(ctx, tx, audit.Entry{ActorLabel: "system", Action: RetainAction, ObjectType: "system", Details: details})
	})
	if err != nil {
		return RetainResult{}, fmt.Errorf("privacy: retention: %w", err)
	}
	return res, s.deleteObjects(ctx, keys)
}

func retain(ctx context.Context, tx pgx.Tx, now time.Time, res *RetainResult) ([]string, error) {
	var err error
	res.Editions, err = db.List(ctx, tx, "", pgx.RowTo[int64], `
		SELECT id FROM editions WHERE winners_announced + make_interval(years => retention_years) <= $1 ORDER BY id`, now)
	if err != nil {
		return nil, err
	}
	var keys []string
	if len(res.Editions) > 0 {
		entries, err := classify(ctx, tx, `a.edition_id = ANY($1) AND a.purged_at IS NULL`, res.Editions)
		if err != nil {
			return nil, err
		}
		unsuccessful := entries[:0]
		for _, e := range entries {
			if !e.Won {
				unsuccessful = append(unsuccessful, e)
			}
		}
		del, anon, kept := split(unsuccessful, 0)
		keys, err = purgeEntries(ctx, tx, del, anon, kept, now, &res.counts)
		if err != nil {
			return nil, err
		}
		if len(unsuccessful) > 0 {
			more, err := dropExports(ctx, tx, `kind = 'audit' OR edition_id = ANY($1)`, &res.counts, res.Editions)
			if err != nil {
				return nil, err
			}
			keys = append(keys, more...)
		}
		if err := retainAccounts(ctx, tx, res.Editions, now, &res.counts); err != nil {
			return nil, err
		}
	}
	for _, st := range []struct {
		n    *int
		sql  string
		args []any
	}{
		{&res.Tokens, `DELETE FROM user_tokens WHERE expires_at <= $1 OR used_at <= $1`, []any{now.Add(-linkGrace)}},
		{&res.Links, `DELETE FROM private_links WHERE expires_at <= $1 OR used_at <= $1`, []any{now.Add(-linkGrace)}},
		{&res.Sessions, `DELETE FROM sessions WHERE expiry <= $1`, []any{now}},
		{&res.ThrottleEvents, `DELETE FROM throttle_events WHERE at <= $1`, []any{now.Add(-throttleRetention)}},
		// The predicate is the one of the partial index email_outbox_sent_body_idx.
		{&res.EmailBodies, `UPDATE email_outbox SET html_body = '', text_body = '', attachments = '[]'
		                    WHERE sent_at <= $1
		                      AND sent_at IS NOT NULL AND (text_body <> '' OR html_body <> '' OR attachments <> '[]')`, []any{now.Add(-SentBodyRetention)}},
	} {
		tag, err := tx.Exec(ctx, st.sql, st.args...)
		if err != nil {
			return nil, err
		}
		*st.n += int(tag.RowsAffected())
	}
	return keys, nil
}

// retainAccounts anonymises the accounts registered for editions (whose retention ended) that
// hold nothing the prize keeps: no role but applicant or nominator, no winning entry, and no
// entry or registration in another edition (a returning participant keeps their account).
func retainAccounts(ctx context.Context, tx pgx.Tx, editions []int64, now time.Time, c *counts) error {
	rows, err := tx.Query(ctx, `
		SELECT u.id
		FROM users u
		WHERE u.erased_at IS NULL AND u.edition_id = ANY($1)
		  AND NOT EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = u.id AND g.role NOT IN ('applicant', 'nominator'))
		  AND NOT EXISTS (SELECT 1 FROM edition_registrations r WHERE r.user_id = u.id AND r.edition_id <> ALL($1))
		  AND NOT EXISTS (SELECT 1 FROM applications a WHERE a.user_id = u.id
		                  AND (a.edition_id <> ALL($1)
		                       OR EXISTS (SELECT 1 FROM awards w WHERE w.application_id = a.id AND w.status = 'confirmed')
		                       OR EXISTS (SELECT 1 FROM special_mentions m WHERE m.application_id = a.id)))
		ORDER BY u.id`, editions)
	if err != nil {
		return err
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return err
	}
	for _, id := range ids {
		entries, err := classify(ctx, tx, `a.user_id = $1`, id)
		if err != nil {
			return err
		}
		// A repository case of a project takes its country from the account.
		if err := account.AnonymiseAccount(ctx, tx, id, account.By{Label: "system"}, now, placeKept(entries, id)); err != nil {
			return err
		}
		c.Accounts++
	}
	return nil
}
