package privacy

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/account"
	"prizeportal/internal/audit"
	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/db"
)

// People without an account (a recommender, a citizen who endorsed a candidate, a candidate
// nominated by someone else, an entity invited by the secretariat) are known only by their email
// address. Erasing an address removes them as erasing an account does (see the package comment),
// with the same exceptions: a nomination of which they are the candidate is anonymised unless it
// is in the published results or the repository, where their name stays.

// EraseAddressAction is the audit action of the erasure of an address (no object: the address is
// what was erased; the details hold counts only).
const EraseAddressAction = "privacy.erase_address"

// ErrAddressHasAccount means that an account uses the address: erase the account instead, which
// erases what the address holds too.
var ErrAddressHasAccount = fault.New(fault.Conflict, "An account uses this address: erase the account instead, which erases what the address holds too.")

// AddressPlan is what erasing an address will do, for the confirmation page.
type AddressPlan struct {
	// AccountID is the account that uses the address (then the address is not erased alone).
	AccountID int64
	// Letters, Endorsements and Invitations count what the address wrote, signed or received.
	Letters, Endorsements, Invitations int
	// Emails counts the emails sent to the address.
	Emails int
	// Kept, Anonymised: the nominations of which the address is the candidate.
	Kept       []KeptEntry
	Anonymised int
}

// Empty reports whether the portal holds nothing under the address.
func (p AddressPlan) Empty() bool {
	return p.AccountID == 0 && p.Letters+p.Endorsements+p.Invitations+p.Emails+p.Anonymised+len(p.Kept) == 0
}

func normAddress(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// ErrNotAnAddress means the address to erase is not an email address.
var ErrNotAnAddress = fault.New(fault.Invalid, "Enter an email address like name@example.org.")

// checkAddress refuses what is not an email address by the rules registration uses
// (account.ValidEmail); an empty one would match every row.
func checkAddress(email string) error {
	if !account.ValidEmail(email) {
		return ErrNotAnAddress
	}
	return nil
}

// PreviewAddress returns what erasing email would do.
func (s *Service) PreviewAddress(ctx context.Context, email string) (AddressPlan, error) {
	email = normAddress(email)
	if err := checkAddress(email); err != nil {
		return AddressPlan{}, err
	}
	var p AddressPlan
	err := s.Pool.QueryRow(ctx, `
		SELECT coalesce((SELECT id FROM users WHERE lower(email) = $1 AND erased_at IS NULL), 0),
		       (SELECT count(*) FROM recommendation_letters WHERE lower(btrim(invited_email)) = $1),
		       (SELECT count(*) FROM endorsements WHERE email_norm = $1 OR lower(btrim(email)) = $1),
		       (SELECT count(*) FROM invitations WHERE lower(btrim(email)) = $1),
		       (SELECT count(*) FROM email_outbox WHERE lower(btrim(to_address)) = $1)`, email).
		Scan(&p.AccountID, &p.Letters, &p.Endorsements, &p.Invitations, &p.Emails)
	if err != nil {
		return AddressPlan{}, fmt.Errorf("privacy: preview address: %w", err)
	}
	entries, err := classify(ctx, s.Pool, personEntries, int64(0), email)
	if err != nil {
		return AddressPlan{}, fmt.Errorf("privacy: preview address: %w", err)
	}
	for _, e := range entries {
		if e.Kept() {
			p.Kept = append(p.Kept, KeptEntry{ID: e.ID, Title: e.Title, Edition: e.Edition, Category: e.Category, Won: e.Prize, Repository: e.Repository})
		} else {
			p.Anonymised++
		}
	}
	return p, nil
}

// EraseAddress erases the person known only by the address email, on an admin's request (by):
// the letters they wrote, the endorsements they signed, the invitations sent to them, the
// nominations of which they are the candidate (anonymised, or kept in part when published), the
// emails to them or naming them, the abuse counters and audit entries that name them, and the
// files of their letters (deleted from the storage after the commit). It is audited
// (EraseAddressAction) with counts only. An address an account uses gives ErrAddressHasAccount.
func (s *Service) EraseAddress(ctx context.Context, email string, by account.By, now time.Time) (Result, error) {
	email = normAddress(email)
	if err := checkAddress(email); err != nil {
		return Result{}, err
	}
	var (
		keys []string
		c    counts
	)
	err := db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		var used bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM users WHERE lower(email) = $1 AND erased_at IS NULL)`, email).Scan(&used); err != nil {
			return err
		}
		if used {
			return ErrAddressHasAccount
		}
		entries, err := classify(ctx, tx, personEntries, int64(0), email)
		if err != nil {
			return err
		}
		var anon, kept []int64
		for _, e := range entries {
			if e.Kept() {
				kept = append(kept, e.ID)
			} else {
				anon = append(anon, e.ID)
			}
		}
		if keys, err = purgeEntries(ctx, tx, nil, anon, kept, now, &c); err != nil {
			return err
		}
		p := person{email: email}
		more, err := eraseTraces(ctx, tx, 0, p, now, &c)
		if err != nil {
			return err
		}
		keys = append(keys, more...)
		// The emails to the address: the record that one was sent stays.
		if _, err := tx.Exec(ctx, `DELETE FROM email_outbox WHERE sent_at IS NULL AND lower(btrim(to_address)) = $1`, email); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `
			UPDATE email_outbox SET to_address = 'erased-' || id || '@erased.invalid', to_name = '', subject = '`+erasedText+`',
			       html_body = '', text_body = '', attachments = '[]', last_error = ''
			WHERE lower(btrim(to_address)) = $1`, email)
		if err != nil {
			return err
		}
		c.Emails += int(tag.RowsAffected())
		return audit.Record(ctx, tx, audit.Entry{ActorID: by.UserID, ActorLabel: by.Label, Action: EraseAddressAction,
			IP: by.IP, Details: c.details()})
	})
	if err != nil {
		return Result{}, fmt.Errorf("privacy: erase address: %w", err)
	}
	if err := s.deleteObjects(ctx, keys); err != nil {
		s.logger().Error("privacy: erasure left files in the storage", "err", err)
	}
	return Result{Kept: c.EntriesKept, Anonymised: c.EntriesAnonymised, Files: c.Files}, nil
}
