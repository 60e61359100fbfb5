// Package application holds the applicant's project application (DOMAIN.md "The project
// application"): one per account and edition, in the category the account registered for in
// that edition, saved as a draft at any time, submitted (each submission kept as a numbered version, the
// committee seeing the last) and withdrawn. Every query filters by the owner, so an application
// is visible only to its owner and a miss is db.ErrNotFound.
package application

import (
	"cmp"
	"time"

	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/blocks/form"
	"prizeportal/internal/db"
	"prizeportal/internal/i18n"
)

// Status is where an application stands.
type Status string

// The statuses of an application.
const (
	Draft     Status = "draft"
	Submitted Status = "submitted"
	Withdrawn Status = "withdrawn"
	// Merged is a nomination the secretariat merged into another of the same candidate
	// (screening.Service.Merge): no longer an entry of its own, kept for its nominator to read.
	Merged Status = "merged"
)

// Label is the status as applicants read it.
func (s Status) Label() string { return cmp.Or(statusLabels[s], i18n.M("Draft")) }

var statusLabels = map[Status]string{
	Submitted: i18n.M("Submitted"),
	Withdrawn: i18n.M("Withdrawn"),
	Merged:    i18n.M("Merged into another nomination"),
}

var (
	// ErrClosed means the application deadline has passed: the application is read-only
	// (DOMAIN.md "The project application": after the deadline applications are locked).
	ErrClosed = fault.New(fault.Forbidden, "The deadline has passed: your application can no longer be changed or submitted.")
	// ErrPastEdition refuses any change to an entry of an earlier edition than the latest its
	// account registered for: past entries stay readable, read-only.
	ErrPastEdition = fault.New(fault.Forbidden, "This entry belongs to an earlier edition of the prize: it is kept for you to read and can no longer be changed, submitted or withdrawn.")
	// ErrNotWithdrawable refuses to withdraw an application that is not submitted (it is also
	// db.ErrNotFound).
	ErrNotWithdrawable = fault.Wrap(fault.Conflict, "Only a submitted application can be withdrawn.", db.ErrNotFound)
	// ErrUnverified means the owner's email address is not confirmed, which a submission needs
	// (DOMAIN.md "Registration": unverified accounts cannot submit).
	ErrUnverified = fault.New(fault.Forbidden, "Your application was not submitted: confirm your email address first by following the link we sent you (you can ask for a new one on your dashboard).")
)

// Kind is what an application is: a project application or a leadership nomination (whose own
// facts live in internal/nomination).
type Kind string

// The kinds of application.
const (
	KindProject    Kind = "project"
	KindNomination Kind = "nomination"
)

// Application is one applicant's project application or one nominator's nomination. An application not saved yet has ID 0
// and Version 0.
type Application struct {
	ID         int64
	UserID     int64
	EditionID  int64
	CategoryID int64
	Kind       Kind
	Status     Status
	Answers    form.Answers
	// Version counts the saves; a save names the version it started from (optimistic locking).
	Version int
	// SubmittedVersion is the Version last submitted; 0 when never submitted.
	SubmittedVersion int
	SubmittedAt      *time.Time
	// Submissions is how many versions were submitted.
	Submissions int
	UpdatedAt   time.Time
	// ExtendedUntil is the end of the deadline extension the secretariat granted; nil for none.
	ExtendedUntil *time.Time
	// Past marks an entry of an edition earlier than another its account registered for: it is
	// read-only (ErrPastEdition).
	Past bool
	// MergedInto is the nomination a Merged one went into; nil for any other.
	MergedInto *int64
}

// Changed reports whether the application was saved since its last submission, so what the
// committee sees is not what the applicant sees.
func (a Application) Changed() bool {
	return a.Status == Submitted && a.Version > a.SubmittedVersion
}

// Open reports whether an application may still be saved, submitted or withdrawn at now:
// strictly before its deadline (see Deadline), enforced at the second (DOMAIN.md
// "The project application" and "Schedule").
func Open(now, deadline time.Time) bool {
	return now.Before(deadline)
}
