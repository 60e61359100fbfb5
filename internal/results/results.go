// Package results is the announcement of the winners (DOMAIN.md "Round 3"):
// the public list of the current winners, the outcome emails to the semi-finalists, and the
// winners' ceremony videos.
//
// The current winners are the rows of awards with status 'confirmed' (migrations/00023_ballots.sql):
// a later invalidation or succession changes which rows are confirmed, so every function here
// reads the current state. A category is decided once an award of it is recorded (the chair
// confirmed its winners); its results are announced from the schedule's WinnersAnnounced
// instant on, and its emails are sent once (results_announcements, migrations/00026_results.sql).
//
// The ceremony video is a link (http or https) the winner gives before VideoDeadline: the
// portal does not store video files.
package results

import (
	"net/url"
	"strings"
	"time"

	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
)

// Winner is one current winner of a category, as published.
type Winner struct {
	AwardID       int64
	ApplicationID int64
	CategoryID    int64
	Place         int
	Prize         string
	Kind          string // "project" or "nomination"
	// Title is the project's title, or for a nomination the candidate's name.
	Title        string
	Organisation string
	City         string
	Country      string // ISO code
	// Summary is the published summary ("summary" of a project, "achievements_summary" of a
	// nomination); empty when the applicant marked it confidential.
	Summary string
}

// Recipient is a confirmed semi-finalist of a category told its outcome: the account that
// entered it (a nomination's nominator), and its award when it is a current winner.
type Recipient struct {
	ApplicationID int64
	UserID        int64
	Name          string
	Email         string
	// Candidate says the recipient is a nomination's candidate, told besides the nominator's
	// account (UserID 0).
	Candidate bool
	// CoNominator says the recipient is the nominator of a nomination merged into the entry, who
	// gets a copy of its outcome but is not asked to act for it.
	CoNominator bool
	// Private is the address of a winning candidate's private page (CandidatePath), set when
	// their emails are built; "" for the account.
	Private string
	Kind    string
	Title   string // project title, or the candidate's name
	AwardID int64  // 0 when not among the winners
	Place   int
	Prize   string
}

// Winner reports whether the recipient is among the current winners.
func (r Recipient) Winner() bool { return r.AwardID != 0 }

// Award is a current award seen by its winner's account, with its video if given.
type Award struct {
	ID            int64
	ApplicationID int64
	EditionID     int64
	CategoryID    int64
	Place         int
	Prize         string
	Kind          string
	Title         string
	Video         *Video
}

// Video is a winner's ceremony video: a link, with who last gave it (the account's name, or the
// candidate's when ByCandidate).
type Video struct {
	URL         string
	SubmittedAt time.Time
	UpdatedAt   time.Time
	By          string
	ByCandidate bool
}

// Video email stages: the request, then the reminders three days and one day before the
// deadline.
const (
	StageRequest = "request"
	Stage3Days   = "3d"
	Stage1Day    = "1d"
)

// VideoDue is a video email to send to a winner.
type VideoDue struct {
	Recipient
	CategoryID int64
	Stage      string
}

// AnnounceAction is the audit action of a category's announcement (object: the edition).
const AnnounceAction = "results.announce"

// VideoAction is the audit action of a winner's video link (object: the award).
const VideoAction = "results.video"

// VideoEmailAction is the audit action of a video request or reminder (object: the award).
const VideoEmailAction = "results.video_email"

// VideoDeadline is the last instant (exclusive) a winner of ed may give their ceremony video:
// seven days before the ceremony starts, in the edition's time zone, so the organisers can
// prepare the programme.
func VideoDeadline(ed *edition.Edition) time.Time {
	return ed.Schedule.Ceremony.Start.In(ed.TimeZone).AddDate(0, 0, -7)
}

// Announced reports whether the results of ed are public at now (the schedule's instant).
func Announced(ed *edition.Edition, now time.Time) bool {
	return !now.Before(ed.Schedule.WinnersAnnounced)
}

// maxURL is the longest video link accepted.
const maxURL = 2000

// CheckVideoURL validates a video link as typed: it returns the link to store, or a message
// for the person. A link is required, absolute, http or https, with a host, and at most 2,000
// characters.
func CheckVideoURL(raw string) (string, string) {
	s := strings.TrimSpace(raw)
	switch {
	case s == "":
		return "", i18n.M("Enter the link to your video.")
	case len(s) > maxURL:
		return "", i18n.M("The link must be at most 2,000 characters.")
	case strings.ContainsAny(s, " \t\r\n"):
		return "", i18n.M("The link must not contain spaces.")
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", i18n.M("Enter a full web address starting with https://, for example https://video.example.org/our-project.")
	}
	// the scheme as stored is lowercase (url.Parse accepts "HTTPS://")
	return u.Scheme + s[len(u.Scheme):], ""
}
