package views

import (
	"strconv"

	"prizeportal/internal/account"
	"prizeportal/internal/application"
	"prizeportal/internal/blocks/form"
	"prizeportal/internal/clarify"
	"prizeportal/internal/edition"
	"prizeportal/internal/repository"
)

// The addresses of the portal's pages, as links and redirects use them; the route table
// (internal/server/routes.go) registers the same paths. A page of an edition takes the
// edition as ?edition=ID (inEdition); a page of one thing takes its id as the last segment
// (item).

// The lists whose items have pages of their own below the list's path.
const (
	ConflictsPath   = "/secretariat/conflicts"
	ExportsPath     = "/exports"
	DossiersPath    = "/council/dossiers"
	MentionsPath    = "/secretariat/special-mentions"
	CommitteePath   = "/committee"
	AssignmentsPath = "/committee/assignments"
	JuryPath        = "/jury"
)

// inEdition is the page at path for edition id.
func inEdition(path string, id int64) string { return path + "?edition=" + strconv.FormatInt(id, 10) }

// item is the page of thing id below path.
func item(path string, id int64) string { return path + "/" + strconv.FormatInt(id, 10) }

// Pages of an edition, for its staff.
func AnalyticsHref(editionID int64) string    { return inEdition("/analytics", editionID) }
func InvitationsHref(editionID int64) string  { return inEdition("/secretariat/invitations", editionID) }
func ConflictsHref(editionID int64) string    { return inEdition(ConflictsPath, editionID) }
func DeclarationsHref(editionID int64) string { return inEdition("/evaluator/declarations", editionID) }
func ExportsHref(editionID int64) string      { return inEdition(ExportsPath, editionID) }
func CouncilHref(editionID int64) string      { return inEdition("/council", editionID) }
func CommitteeHref(editionID int64) string    { return inEdition(CommitteePath, editionID) }
func AssignmentsHref(editionID int64) string  { return inEdition(AssignmentsPath, editionID) }
func RankingHref(editionID int64) string      { return inEdition("/ranking", editionID) }
func DossiersHref(editionID int64) string     { return inEdition(DossiersPath, editionID) }
func MentionsHref(editionID int64) string     { return inEdition(MentionsPath, editionID) }
func AwardsHref(editionID int64) string       { return inEdition("/awards", editionID) }
func JuryHref(editionID int64) string         { return inEdition(JuryPath, editionID) }
func ContextHref(ed *edition.Edition) string  { return inEdition("/secretariat/context", ed.ID) }

// JuryMemberHref is the page (or action) act of member userID of the jury of an edition:
// "revoke", "resend".
func JuryMemberHref(editionID, userID int64, act string) string {
	return inEdition(item(JuryPath, userID)+"/"+act, editionID)
}

// ScreeningQueueHref is the screening queue of ed, of category cat when not nil.
func ScreeningQueueHref(ed *edition.Edition, cat *edition.Category) string {
	href := inEdition("/secretariat/screening", ed.ID)
	if cat != nil {
		href += "&category=" + cat.Key
	}
	return href
}

// BallotsHref is the ballot page of category catKey in an edition.
func BallotsHref(editionID int64, catKey string) string {
	return inEdition("/council/ballots/"+catKey, editionID)
}

// BallotURL is where an action of the ballot of category catKey (save, close, ...) is posted.
func BallotURL(editionID int64, catKey, action string) string {
	return inEdition("/council/ballots/"+catKey+"/"+action, editionID)
}

// Pages of one thing.
func StaffNominationHref(id int64) string { return item("/secretariat/nominations", id) }
func ScreeningEntryHref(id int64) string  { return item("/secretariat/screening", id) }
func ExtensionHref(id int64) string       { return item("/secretariat/applications", id) + "/extension" }
func ConflictHref(id int64) string        { return item(ConflictsPath, id) }
func UserHref(id int64) string            { return item("/admin/users", id) }
func ExportHref(id int64) string          { return item(ExportsPath, id) }
func ScoringHref(id int64) string         { return item("/scoring", id) }
func DossierHref(id int64) string         { return item(DossiersPath, id) }
func MentionHref(id int64) string         { return item(MentionsPath, id) }
func ManageHref(id int64) string          { return item("/secretariat/repository", id) }
func NominationHome(id int64) string      { return item("/nominations", id) }

// CaseHref is the stable address of a case: its id, with its title as a readable slug.
func CaseHref(id int64, title string) string { return repository.Path(id, repository.Slug(title)) }

// ClarFileURL is the address of a file of the target's application (the applicant's own pages).
func ClarFileURL(t *clarify.Target) func(form.FileRef) string {
	return func(f form.FileRef) string {
		if t.App.Kind == application.KindNomination {
			return NominationHome(t.App.ID) + "/files/" + f.ID
		}
		return "/application/files/" + f.ID
	}
}

// StepHref is the page of a sign-in's next step; next when it is signed in.
func StepHref(step account.Step, next string) string {
	switch step {
	case account.GiveCode:
		return "/signin/two-factor"
	case account.Enrol:
		return "/signin/two-factor/setup"
	}
	return next
}
