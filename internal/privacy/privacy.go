// Package privacy erases a person's data on request and purges personal data when an edition's
// retention period ends (PIPA and the GDPR: erasure and a retention limit).
//
// # What the prize keeps
//
// Two things survive both erasure and retention, because the prize must keep them and the person
// agreed to their publication:
//
//   - the published results: an entry with a confirmed award or a special mention keeps its
//     title and summary (the public results show them, unless the summary is confidential), a
//     nomination keeps its candidate's name and organisation, and the account keeps its
//     organisation, city and country (the results name them);
//   - the best-practice repository case of an entry whose applicant consented to publication
//     (repository_cases, not hidden by the secretariat): the entry keeps the answers the case is
//     built from (form.Publishable, files left out) and the consent declaration, and the account
//     of a project keeps its country (the case shows it).
//
// Everything else about such a kept entry goes as for any other entry.
//
// # Decisions per table (what a data-protection officer signs)
//
// An entry (applications row) of the person is one they own, or a nomination of which they are
// the candidate (by email). Each is kept (above), deleted (the person's own entry that never
// entered the prize's record: no screening decision, score sheet, semi-final place, ballot line,
// award or mention), or anonymised (an entry in the record: the rounds' integrity needs the row,
// its decisions, scores and ballots, never its identifying text).
//
//	applications          deleted, or answers '{}' (kept: the published answers) and purged_at set
//	application_versions  deleted with the entry, or answers '{}' (kept: the last one keeps the
//	                      published answers), so version numbers stay
//	application_files, clarification_files, files, and the objects in storage
//	                      deleted (no file is ever published)
//	nominations           candidate email and position, nominator organisation and consent note
//	                      removed; candidate name and organisation too unless kept (published)
//	recommendation_letters (of the entries, and every letter the person wrote as recommender)
//	                      recommender's name, email, organisation, title and letter text removed,
//	                      the file deleted; status and dates stay
//	endorsements          (of the entries, and every endorsement by the person's address) name,
//	                      city, country and address replaced: confirmed endorsements still count
//	clarifications        question and answer text replaced; dates stay
//	screening_decisions   decision and reason key stay; free texts and the checklist removed
//	entry_flags, application_extensions, semi_finalists, ballot_ranks, award_proposals
//	                      free texts (which may quote the person) replaced; the facts stay
//	score_sheets          scores stay (round 2's integrity); comments removed unless kept
//	award_attendance, ceremony_videos
//	                      representative's name and title replaced; the video link deleted
//	repository_cases      deleted unless kept (rebuilt from the kept answers: the same case)
//	private_links         links of the deleted or anonymised letters, endorsements, consents and
//	                      invitations deleted
//	invitations           those to the person's address: open ones deleted, accepted ones
//	                      anonymised
//	conflict_declarations the person's own declarations, and those naming the person's address,
//	                      deleted; evaluator_categories: the person's deleted
//	users                 anonymised (account.AnonymiseAccount): name, login, email, phone, 2FA,
//	                      password; organisation, city and country removed unless kept (a winner
//	                      keeps all three, a repository case of a project its country)
//	role_grants           ended: moved to role_revocations (reason "Account erased"), ids only
//	user_tokens, recovery_codes
//	                      deleted
//	sessions              ended (the account's session epoch); those holding the address deleted
//	throttle_events       the abuse counters keyed by the address or the login deleted
//	email_outbox          emails to the person, or whose subject or body names them (address,
//	                      or login or name of five or more characters): sent ones lose address,
//	                      subject, bodies and attachments, unsent ones are dropped
//	river_job             errors that quote the person (a mail server's refusal) removed
//	export_jobs           every finished export that may hold the person (their editions, and
//	                      every audit-log export) is marked failed and its file deleted
//	audit_log             entries by, about or naming the person, and about their entries, keep
//	                      action, object and time and lose their details; the person's actor
//	                      label and IP go, and those of people without an account on their
//	                      entries (a staff actor's stay); account.erase is the erasure's own
//	                      entry, with counts only
//
// A staff member's own work (screening decisions, score sheets, ballots, awards they confirmed)
// is the prize's record: it stays, attributed to the anonymised account, and its free texts stay
// too (they are about the entries, not about the staff member).
//
// Storage objects are deleted after the transaction commits (files.Delete's rule): a failed
// delete leaves an unreferenced object, never a row pointing at nothing.
//
// # Retention
//
// Retain is the periodic task personal-data-retention: see its doc comment.
package privacy

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/files"
)

// EraseAction and RetainAction are the audit actions of an erasure (object: the user) and of a
// run of the retention task (object: "system").
const (
	EraseAction  = "account.erase"
	RetainAction = "privacy.retention"
)

// SentBodyRetention is how long the bodies and attachments of sent emails are kept: long enough
// for the secretariat to answer "what did you send me?", short enough not to keep a second copy
// of every person's data.
const SentBodyRetention = 90 * 24 * time.Hour

// throttleRetention is how long abuse-limit events are kept: a week, well beyond every window
// and lock of internal/blocks/throttle (a day at most).
const throttleRetention = 7 * 24 * time.Hour

// erasedText replaces a free text that must not be empty.
const erasedText = "(erased)"

// Service runs the erasure and retention use cases: it opens the transactions, checks the rules,
// writes the audit entries, and deletes the files from the storage once the data are gone.
type Service struct {
	Pool  *pgxpool.Pool
	Files files.Storage
	Log   *slog.Logger
}

func (s *Service) logger() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

// deleteObjects removes the storage objects of keys; every failure is reported (the rows are
// already gone, so the object is unreferenced) and the others are still deleted.
func (s *Service) deleteObjects(ctx context.Context, keys []string) error {
	var errs []error
	for _, k := range keys {
		if err := s.Files.Delete(ctx, k); err != nil {
			errs = append(errs, fmt.Errorf("privacy: delete file object: %w", err))
		}
	}
	return errors.Join(errs...)
}
