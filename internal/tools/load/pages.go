package load

import (
	"strconv"
	"time"
)

// The targets (README "Performance: make bench") on the 2-core machine (portal, Postgres and this generator together).
var (
	SurgeTarget       = Target{MaxP99: 100 * time.Millisecond, MaxRSS: 200 << 20, NoErrors: true}
	SignInPageTarget  = Target{MinRPS: 12000}
	EvaluatorTarget   = Target{MinRPS: 1000}
	SecretariatTarget = Target{MinRPS: 350}
	EntrySheetsTarget = Target{MinRPS: 2000}
	SaveSheetTarget   = Target{MinRPS: 2800}
)

// SteadyPages are the five pages of the targets, on the seeded data of m.
func SteadyPages(m *Manifest) []Page {
	return []Page{
		{Name: "sign-in page", Path: "/signin", Target: &SignInPageTarget},
		{Name: "evaluator's 100 entries", Login: m.Scoring.Evaluator, Path: "/scoring", Target: &EvaluatorTarget},
		{Name: "secretariat's list of 1,000", Login: m.Scoring.Secretariat,
			Path: "/secretariat/applications?edition=" + strconv.FormatInt(m.Scoring.EditionID, 10), Target: &SecretariatTarget},
		{Name: "entry with 3 sheets", Login: m.Sealed.Head,
			Path: "/scoring/entries/" + strconv.FormatInt(m.Sealed.Entry, 10) + "/sheets", Target: &EntrySheetsTarget},
		{Name: "save a score sheet", Login: m.Scoring.Evaluator, Prepare: SaveSheet(m.Scoring.Assigned), Target: &SaveSheetTarget},
	}
}

// BrowsePages are the public visitors' pages: an edition's results, and the best-practice
// repository's search when the portal has one (skipped when it answers 404).
func BrowsePages(m *Manifest) []Page {
	return []Page{
		{Name: "public: results page", Path: "/editions/" + m.Sealed.Edition + "/results", Optional: true},
		{Name: "public: repository search", Path: "/repository?q=smart+mobility", Optional: true},
	}
}
