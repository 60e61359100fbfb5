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
// (internal/server/routes.go) registers the same paths.

func AnalyticsHref(editionID int64) string {
	return "/analytics?edition=" + strconv.FormatInt(editionID, 10)
}

func StaffNominationHref(id int64) string {
	return "/secretariat/nominations/" + strconv.FormatInt(id, 10)
}

func ContextHref(ed *edition.Edition) string {
	return "/secretariat/context?edition=" + strconv.FormatInt(ed.ID, 10)
}

func ScreeningEntryHref(id int64) string {
	return "/secretariat/screening/" + strconv.FormatInt(id, 10)
}

// ScreeningQueueHref is the queue of ed, of category cat when not nil.
func ScreeningQueueHref(ed *edition.Edition, cat *edition.Category) string {
	href := "/secretariat/screening?edition=" + strconv.FormatInt(ed.ID, 10)
	if cat != nil {
		href += "&category=" + cat.Key
	}
	return href
}

// ClarFileURL is the address of a file of the target's application (the applicant's own pages).
func ClarFileURL(t *clarify.Target) func(form.FileRef) string {
	return func(f form.FileRef) string {
		if t.App.Kind == application.KindNomination {
			return NominationHome(t.App.ID) + "/files/" + f.ID
		}
		return "/application/files/" + f.ID
	}
}

// InvitationsHref is the invitations page of edition id.
func InvitationsHref(id int64) string {
	return "/secretariat/invitations?edition=" + strconv.FormatInt(id, 10)
}

const ConflictsPath = "/secretariat/conflicts"

func ConflictsHref(editionID int64) string {
	return ConflictsPath + "?edition=" + strconv.FormatInt(editionID, 10)
}

func ConflictHref(id int64) string { return ConflictsPath + "/" + strconv.FormatInt(id, 10) }

func DeclarationsHref(editionID int64) string {
	return "/evaluator/declarations?edition=" + strconv.FormatInt(editionID, 10)
}

func UserHref(id int64) string { return "/admin/users/" + strconv.FormatInt(id, 10) }

const ExportsPath = "/exports"

func ExportsHref(editionID int64) string {
	return ExportsPath + "?edition=" + strconv.FormatInt(editionID, 10)
}

func ExportHref(id int64) string { return ExportsPath + "/" + strconv.FormatInt(id, 10) }

// BallotsHref is the address of a category's ballot page in an edition.
func BallotsHref(editionID int64, catKey string) string {
	return "/council/ballots/" + catKey + "?edition=" + strconv.FormatInt(editionID, 10)
}

func BallotURL(editionID int64, catKey, action string) string {
	return "/council/ballots/" + catKey + "/" + action + "?edition=" + strconv.FormatInt(editionID, 10)
}

func CouncilHref(editionID int64) string {
	return "/council?edition=" + strconv.FormatInt(editionID, 10)
}

func ExtensionHref(id int64) string {
	return "/secretariat/applications/" + strconv.FormatInt(id, 10) + "/extension"
}

func CommitteeHref(editionID int64) string {
	return CommitteePath + "?edition=" + strconv.FormatInt(editionID, 10)
}

func AssignmentsHref(editionID int64) string {
	return AssignmentsPath + "?edition=" + strconv.FormatInt(editionID, 10)
}

func RankingHref(editionID int64) string {
	return "/ranking?edition=" + strconv.FormatInt(editionID, 10)
}

func ScoringHref(id int64) string { return "/scoring/" + strconv.FormatInt(id, 10) }

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

const DossiersPath = "/council/dossiers"

func DossiersHref(editionID int64) string {
	return DossiersPath + "?edition=" + strconv.FormatInt(editionID, 10)
}

func DossierHref(id int64) string { return DossiersPath + "/" + strconv.FormatInt(id, 10) }

const MentionsPath = "/secretariat/special-mentions"

func MentionsHref(editionID int64) string {
	return MentionsPath + "?edition=" + strconv.FormatInt(editionID, 10)
}

func MentionHref(id int64) string { return MentionsPath + "/" + strconv.FormatInt(id, 10) }

func AwardsHref(editionID int64) string {
	return "/awards?edition=" + strconv.FormatInt(editionID, 10)
}

// CaseHref is the stable address of a case: its id, with its title as a readable slug.
func CaseHref(id int64, title string) string { return repository.Path(id, repository.Slug(title)) }

func ManageHref(id int64) string { return "/secretariat/repository/" + strconv.FormatInt(id, 10) }

func NominationHome(id int64) string { return "/nominations/" + strconv.FormatInt(id, 10) }

const (
	CommitteePath   = "/committee"
	AssignmentsPath = "/committee/assignments"
)
