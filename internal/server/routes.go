package server

import (
	"fmt"
	"net/http"
	"sort"

	"prizeportal/internal/authz"
	"prizeportal/web/static"
	"prizeportal/web/views"
)

// publicRoutes is the explicit list of routes anyone may open without signing in. Registering a
// route with authz.Public that is not listed here panics at start-up.
var publicRoutes = map[string]bool{
	"GET /":                true,
	"GET /editions/{slug}": true,
	// the semi-finalists, announced on the schedule's date
	"GET /editions/{slug}/semi-finalists": true,
	"GET /healthz":                        true,
	"GET /readyz":                         true,
	"GET /static/*":                       true,
	// the winners, announced on the schedule's date
	"GET /editions/{slug}/results": true,
	// the best-practice repository and the results archive (DOMAIN.md "Data and publication")
	"GET /repository":             true,
	"GET /repository/{id}":        true,
	"GET /repository/{id}/{slug}": true,
	"GET /results":                true,
	// accounts
	"GET /register":  true,
	"POST /register": true,
	"GET /terms":     true,
	// the language switch (a cookie; the account's choice too when signed in)
	"POST /language":               true,
	"GET /verify/{token}":          true,
	"POST /verify/{token}":         true,
	"GET /signin":                  true,
	"POST /signin":                 true,
	"GET /password/forgot":         true,
	"POST /password/forgot":        true,
	"GET /password/reset/{token}":  true,
	"POST /password/reset/{token}": true,
	// two-factor sign-in: the handlers check the pending sign-in themselves
	"GET /signin/two-factor":        true,
	"POST /signin/two-factor":       true,
	"GET /signin/two-factor/setup":  true,
	"POST /signin/two-factor/setup": true,
	// administration: invitation links (the token is the credential)
	"GET /invite/{token}":  true,
	"POST /invite/{token}": true,
	// nominations: private links (the token is the credential)
	"GET /consent/{token}":  true,
	"POST /consent/{token}": true,
	// letters of recommendation: the recommender's private link (the token is the credential)
	"GET /letters/{token}":  true,
	"POST /letters/{token}": true,
	// citizen endorsements: the public page (its code is its address) and the emailed
	// confirmation link (the token is the credential)
	"GET /endorse/{code}":           true,
	"POST /endorse/{code}":          true,
	"GET /endorse/confirm/{token}":  true,
	"POST /endorse/confirm/{token}": true,
	// a winning nomination's candidate: attendance and video through the private link (the token
	// is the credential)
	"GET /winner/{token}/attendance":  true,
	"POST /winner/{token}/attendance": true,
	"GET /winner/{token}/video":       true,
	"POST /winner/{token}/video":      true,
}

// sharedPages are the public routes whose answer is the same for every anonymous visitor, so
// browsers and proxies may keep a copy. Every other answer is sent with Cache-Control: no-store
// (noStore): signed-in pages, private links whose token is the credential (a candidate's consent
// page shows confidential answers), sign-in and registration forms, and any page shown to a
// signed-in user (it carries their name). Static assets stay cacheable for everyone.
var sharedPages = map[string]bool{
	"GET /":                               true,
	"GET /editions/{slug}":                true,
	"GET /editions/{slug}/semi-finalists": true,
	"GET /editions/{slug}/results":        true,
	"GET /repository":                     true,
	"GET /repository/{id}":                true,
	"GET /repository/{id}/{slug}":         true,
	"GET /results":                        true,
	"GET /terms":                          true,
	"GET /static/*":                       true,
}

// staticRoute serves the embedded, content-hashed assets: the same for everyone.
const staticRoute = "GET /static/*"

// beforePasswordChange are the routes a user signed in with a one-time password may use before
// choosing their own (besides the public ones): the password change itself, two-factor sign-in
// and signing out. Every other route sends them to the password change (errMustChangePassword).
var beforePasswordChange = map[string]bool{
	"GET /account/password":                   true,
	"POST /account/password":                  true,
	"POST /signout":                           true,
	"GET /account/two-factor":                 true,
	"GET /account/two-factor/setup":           true,
	"POST /account/two-factor/setup":          true,
	"GET /account/two-factor/recovery-codes":  true,
	"POST /account/two-factor/recovery-codes": true,
	"POST /account/two-factor/disable":        true,
}

// routes is the only route table: every route names the policy that guards it (handleForm: a
// page and the form it posts, both under one policy).
func (s *Server) routes() {
	notFound := s.wrap(func(w http.ResponseWriter, r *http.Request) error { return errNotFound })
	s.handle("GET", "/", authz.Public, s.landing)
	s.handle("GET", "/editions/{slug}", authz.Public, s.editionPage)
	s.handle("GET", "/healthz", authz.Public, s.healthz)
	s.handle("GET", "/readyz", authz.Public, s.readyz)
	// --- accounts: registration, verification, sign-in, passwords, dashboard
	s.handleForm("/register", authz.Public, s.oneProject(s.registerPage), s.oneProject(s.register))
	s.handle("GET", "/terms", authz.Public, s.termsPage)
	s.handle("POST", "/language", authz.Public, s.languagePost)
	s.handleForm("/verify/{token}", authz.Public, s.verifyPage, s.verify)
	s.handle("POST", "/account/verify/resend", authz.SignedIn, s.resendVerification)
	s.handleForm("/signin", authz.Public, s.signInPage, s.signInPost)
	s.handle("POST", "/signout", authz.SignedIn, s.signOutPost)
	s.handleForm("/password/forgot", authz.Public, s.forgotPage, s.forgotPost)
	s.handleForm("/password/reset/{token}", authz.Public, s.resetPage, s.resetPost)
	s.handleForm("/account/password", authz.SignedIn, s.changePasswordPage, s.changePasswordPost)
	s.handle("GET", "/dashboard", authz.SignedIn, s.dashboard)
	// the staff home: an edition at a glance for its managers and secretariat (staffhome.go)
	s.handle("GET", views.StaffHomePath, authz.InEdition(authz.EditionStaff), s.staffHome)

	// --- project applications: only applicants, each seeing only their own (owner filter in SQL)
	applicant := authz.AnyRole(authz.RoleApplicant)
	s.handle("GET", "/application", applicant, s.applicationOverview)
	s.handleForm("/application/sections/{section}", applicant, s.applicationSection, s.applicationSectionPost)
	s.handle("GET", "/application/files/{id}", applicant, s.applicationFile)
	s.handle("GET", "/application/review", applicant, s.applicationReview)
	s.handle("POST", "/application/submit", applicant, s.applicationSubmit)
	s.handleForm("/application/withdraw", applicant, s.applicationWithdrawPage, s.applicationWithdraw)
	s.handle("GET", "/application/status", applicant, s.applicationStatus)
	// a returning participant starts an entry in the edition open now; earlier editions' entries
	// stay readable, read-only (owner filter in SQL)
	s.handleForm("/entries/new", authz.AnyRole(authz.RoleApplicant, authz.RoleNominator), s.newEntryPage, s.newEntry)
	s.handle("GET", "/entries/{id}", applicant, s.pastEntry)
	s.handle("GET", "/entries/{entry}/files/{id}", applicant, s.pastEntryFile)

	// --- leadership nominations: only nominators, each seeing only their own (owner filter in
	// SQL); the Leadership Application Form is served by the application handlers
	nominator := authz.AnyRole(authz.RoleNominator)
	s.handle("GET", "/nominations", nominator, s.nominationsList)
	s.handleForm("/nominations/new", nominator, s.nominationNewPage, s.nominationCreate)
	s.handle("GET", "/nominations/{nomination}", nominator, s.applicationOverview)
	s.handleForm("/nominations/{nomination}/details", nominator, s.nominationDetailsPage, s.nominationDetails)
	s.handle("POST", "/nominations/{nomination}/consent", nominator, s.nominationAskConsent)
	s.handleForm("/nominations/{nomination}/sections/{section}", nominator, s.applicationSection, s.applicationSectionPost)
	s.handle("GET", "/nominations/{nomination}/files/{id}", nominator, s.applicationFile)
	s.handle("GET", "/nominations/{nomination}/review", nominator, s.applicationReview)
	s.handle("POST", "/nominations/{nomination}/submit", nominator, s.applicationSubmit)
	s.handleForm("/nominations/{nomination}/withdraw", nominator, s.applicationWithdrawPage, s.applicationWithdraw)
	// the candidate's consent: the private link is the credential
	s.handleForm("/consent/{token}", authz.Public, s.consentPage, s.consentPost)
	// letters of recommendation: the nominator sees the status only; the recommender's private
	// link is the credential
	s.handleForm("/nominations/{nomination}/letter", nominator, s.letterPage, s.letterInvite)
	s.handle("POST", "/nominations/{nomination}/letter/resend", nominator, s.letterResend)
	s.handleForm("/letters/{token}", authz.Public, s.recommenderPage, s.recommenderPost)
	// citizen endorsements: the nominator opens the public page and sees counts only; citizens
	// sign it and confirm through an emailed link
	s.handleForm("/nominations/{nomination}/endorsements", nominator, s.endorsementsPage, s.endorsementsOpen)
	s.handleForm("/endorse/{code}", authz.Public, s.endorsePage, s.endorsePost)
	s.handleForm("/endorse/confirm/{token}", authz.Public, s.endorseConfirmPage, s.endorseConfirm)

	// --- secretariat: applications of an edition and per-applicant deadline extensions (the
	// handlers check the edition with authz.CanManageApplications; the store filters in SQL)
	secretariat := authz.AnyRole(authz.RoleSecretariat)
	// the secretariat's pages of one edition (?edition=, default the newest it serves)
	inSecretariat := authz.InEdition(authz.Secretariat)
	s.handle("GET", "/secretariat/applications", inSecretariat, s.secretariatApplications)
	s.handleForm("/secretariat/applications/{id}/extension", secretariat, s.secretariatExtensionPage, s.secretariatExtension)

	// --- secretariat: duplicates (the same project in both project categories; the handler checks
	// the edition with authz.CanManageApplications and the query repeats it in SQL)
	s.handle("GET", "/secretariat/duplicates", inSecretariat, s.secretariatDuplicates)

	// --- secretariat: a nomination's letter of recommendation (nomination.ForSecretariat filters
	// by the secretariat role in the nomination's edition, in SQL)
	s.handle("GET", "/secretariat/nominations/{id}/letter", secretariat, s.secretariatLetter)
	s.handle("GET", "/secretariat/nominations/{id}/letter/file", secretariat, s.secretariatLetterFile)
	// the list of a nomination's citizen endorsements (the store filters by the secretariat role)
	s.handle("GET", "/secretariat/nominations/{id}/endorsements", secretariat, s.secretariatEndorsements)

	// --- round 1: screening by the secretariat (internal/screening filters by the secretariat
	// role in the entry's edition in SQL)
	s.handle("GET", "/secretariat/screening", inSecretariat, s.screeningQueue)
	s.handle("POST", "/secretariat/screening/bulk", inSecretariat, s.screeningBulk)
	s.handle("GET", "/secretariat/screening/round", inSecretariat, s.screeningRound)
	s.handle("POST", "/secretariat/screening/round/close", inSecretariat, s.screeningClose)
	s.handle("GET", "/secretariat/screening/{id}", secretariat, s.screeningEntry)
	s.handle("POST", "/secretariat/screening/{id}/decision", secretariat, s.screeningDecide)
	s.handle("POST", "/secretariat/screening/{id}/review", secretariat, s.screeningReview)
	// merging a repeat nomination of the candidate into the entry (the service checks both are
	// of the secretariat's edition, in SQL)
	s.handle("POST", "/secretariat/screening/{id}/merge", secretariat, s.screeningMerge)
	s.handle("GET", "/secretariat/screening/{id}/history", secretariat, s.screeningHistory)
	s.handle("GET", "/secretariat/screening/{id}/files/{file}", secretariat, s.screeningFile)
	// clarifications (DOMAIN.md "Round 1"): the thread with the ask form (the screening view shows it
	// too), and the documents of the answers (internal/clarify filters in SQL)
	s.handleForm("/secretariat/screening/{id}/clarifications", secretariat, s.secretariatClarifications, s.secretariatClarificationAsk)
	s.handle("GET", "/secretariat/screening/{id}/clarifications/files/{file}", secretariat, s.secretariatClarificationFile)
	// the applicant's (a nomination's nominator's) questions and answers: each sees only their
	// own (owner filter in SQL), never the screening decision or notes
	answering := authz.AnyRole(authz.RoleApplicant, authz.RoleNominator)
	s.handle("GET", "/clarifications", answering, s.clarificationsList)
	s.handleForm("/clarifications/{id}", answering, s.clarificationPage, s.clarificationAnswer)
	s.handle("GET", "/clarifications/{id}/files/{file}", answering, s.clarificationFile)
	// the thread, read-only, for the committee and council from round 2 on: the handler applies
	// authz.CanSeeClarifications (403 before round 2) and the store repeats it in SQL
	committee := authz.AnyRole(authz.RoleSecretariat, authz.RoleEvaluator, authz.RoleCommitteeHead, authz.RoleCouncil)
	s.handle("GET", "/entries/{id}/clarifications", committee, s.entryClarifications)
	s.handle("GET", "/entries/{id}/clarifications/files/{file}", committee, s.entryClarificationFile)

	// --- secretariat: leadership nominations (the store filters by the secretariat role in SQL)
	s.handle("GET", "/secretariat/nominations", inSecretariat, s.secretariatNominations)
	s.handle("GET", "/secretariat/nominations/{id}", secretariat, s.secretariatNomination)
	s.handle("POST", "/secretariat/nominations/{id}/override", secretariat, s.secretariatNominationOverride)
	s.handle("POST", "/secretariat/nominations/{id}/consent", secretariat, s.secretariatNominationReask)

	// --- secretariat: invitations to apply (the store filters by the secretariat role in the
	// invitation's edition, in SQL); the invitee registers through /register?invitation=<token>
	s.handleForm("/secretariat/invitations", inSecretariat, s.secretariatInvitations, s.secretariatInvite)
	s.handle("POST", "/secretariat/invitations/{id}/resend", secretariat, s.secretariatInvitationResend)

	// --- secretariat: context data per edition (DOMAIN.md "Round 1"; the store repeats the
	// edition's rule in SQL)
	s.handleForm("/secretariat/context", inSecretariat, s.secretariatContext, s.secretariatContextImport)
	s.handle("POST", "/secretariat/context/clear", inSecretariat, s.secretariatContextClear)

	// --- conflict-of-interest registry (DOMAIN.md "Round 2"): the secretariat's registry per
	// edition (internal/conflict repeats the edition's rule in SQL), and the evaluators' own
	// declarations for the editions they serve (the store filters by evaluator)
	s.handleForm("/secretariat/conflicts", inSecretariat, s.secretariatConflicts, s.secretariatConflictAdd)
	s.handleForm("/secretariat/conflicts/{id}", secretariat, s.secretariatConflict, s.secretariatConflictSave)
	s.handle("POST", "/secretariat/conflicts/{id}/delete", secretariat, s.secretariatConflictDelete)
	declarer := authz.InEdition(authz.Declarers)
	s.handleForm("/evaluator/declarations", declarer, s.evaluatorDeclarations, s.evaluatorDeclarationsPost)

	// --- round 2: score sheets (DOMAIN.md "Round 2"). Evaluators (and the head, who may score too) see only
	// the entries assigned to them and their own sheets: internal/scoring filters every query by
	// the active assignment in SQL, so anything else is 404. The secretariat and the head follow
	// the progress of an edition they serve (the edition rule, repeated in SQL); once the
	// round is closed the head reads every sheet of an entry. Applicants have no route here.
	scorer := authz.AnyRole(authz.RoleEvaluator, authz.RoleCommitteeHead)
	s.handle("GET", "/scoring", scorer, s.scoringList)
	committeeManagers := authz.InEdition(authz.CommitteeManagers)
	s.handle("GET", "/scoring/progress", committeeManagers, s.scoringProgress)
	s.handle("POST", "/scoring/progress/remind", committeeManagers, s.scoringRemind)
	s.handle("GET", "/scoring/entries/{id}/sheets", authz.AnyRole(authz.RoleCommitteeHead), s.scoringSheets)
	s.handleForm("/scoring/{id}", scorer, s.scoringPage, s.scoringSave)
	s.handle("POST", "/scoring/{id}/declare", scorer, s.scoringDeclare)
	s.handle("POST", "/scoring/{id}/recuse", scorer, s.scoringRecuse)
	s.handle("POST", "/scoring/{id}/submit", scorer, s.scoringSubmit)
	s.handle("GET", "/scoring/{id}/files/{file}", scorer, s.scoringFile)

	// --- round 2: the Evaluation Committee and the assignment of entries, for the committee head
	// and the secretariat of the edition (internal/committee repeats the rule in SQL)
	s.handleForm("/committee", committeeManagers, s.committeePage, s.committeeSave)
	s.handleForm("/committee/assignments", committeeManagers, s.assignmentsPage, s.assignmentsAdd)
	s.handle("POST", "/committee/assignments/auto", committeeManagers, s.assignmentsAuto)
	s.handle("POST", "/committee/assignments/{id}/remove", committeeManagers, s.assignmentsRemove)

	// --- the jury of an edition, appointed by its managers and the administrators (internal/jury
	// repeats the rule in SQL); the administration pages keep the global control of roles
	juryManagers := authz.InEdition(authz.EditionManagers)
	s.handleForm("/jury", juryManagers, s.juryPage, s.juryAppoint)
	s.handle("POST", "/jury/{id}/resend", juryManagers, s.juryResend)
	s.handleForm("/jury/{id}/revoke", juryManagers, s.juryRevokePage, s.juryRevoke)

	// --- round 2: ranking and semi-finalists (DOMAIN.md "Round 2"): the committee head and the
	// secretariat of the edition see the ranking page (sealed until the head closes the round);
	// the head's edition-wide actions answer 403 to anyone else (authz.RankingHead). The deputy
	// head, an evaluator, reaches the page and the per-category actions of the categories where
	// the head is conflicted (authz.RankingDeciders; the category checked in the service and in
	// SQL: internal/deputy); any other evaluator is refused there.
	rankingDeciders := authz.InEdition(authz.RankingDeciders)
	rankingHead := authz.InEdition(authz.RankingHead)
	rankingCategory := authz.InEdition(authz.RankingCategoryActors)
	s.handle("GET", "/ranking", rankingDeciders, s.rankingPage)
	s.handle("POST", "/ranking/method", rankingHead, s.rankingMethod)
	s.handle("POST", "/ranking/close", rankingHead, s.rankingClose)
	s.handle("POST", "/ranking/propose", rankingCategory, s.rankingPropose)
	s.handle("POST", "/ranking/ties", rankingCategory, s.rankingTie)
	s.handle("POST", "/ranking/additions", rankingDeciders, s.rankingAddition)
	s.handle("POST", "/ranking/confirm", rankingCategory, s.rankingConfirm)
	// the public announcement: the confirmed lists from the schedule's date on
	s.handle("GET", "/editions/{slug}/semi-finalists", authz.Public, s.semiFinalistsPage)

	// --- round 3: the Prize Council's vote (DOMAIN.md "Round 3"; ballots.go). The council page for
	// the secretariat; ballots for council members of the edition (the edition rule, and the
	// membership in SQL); the chair's actions checked in the handler; the protocol for the council and the
	// secretariat, once the vote is closed
	s.handleForm("/council", inSecretariat, s.councilPage, s.councilSave)
	council := authz.InEdition(authz.CouncilMembers)
	s.handleForm("/council/ballots/{category}", council, s.ballotPage, s.ballotSave)
	s.handle("POST", "/council/ballots/{category}/close", council, s.ballotClose)
	s.handle("POST", "/council/ballots/{category}/tiebreak", council, s.ballotTieBreak)
	s.handle("POST", "/council/ballots/{category}/confirm", council, s.ballotConfirm)
	protocolReaders := authz.InEdition(authz.CouncilSecretariat)
	s.handle("GET", "/council/ballots/{category}/protocol", protocolReaders, s.protocolPage)
	s.handle("GET", "/council/ballots/{category}/protocol.pdf", protocolReaders, s.protocolPDF)

	// --- round 3: the semi-finalists' dossiers (DOMAIN.md "Round 3") for the Prize Council and the
	// secretariat; internal/dossier repeats the role in the entry's edition and the confirmation
	// of its category's list in SQL (404 otherwise)
	dossierReaders := authz.AnyRole(authz.RoleCouncil, authz.RoleSecretariat)
	s.handle("GET", "/council/dossiers", authz.InEdition(authz.CouncilSecretariat), s.dossiersList)
	s.handle("GET", "/council/dossiers/{id}", dossierReaders, s.dossierPage)
	s.handle("GET", "/council/dossiers/{id}.pdf", dossierReaders, s.dossierPDF)
	s.handle("GET", "/council/dossiers/{id}/files/{file}", dossierReaders, s.dossierFile)
	// --- special mentions (DOMAIN.md "Round 3"): the secretariat (internal/mention filters by the
	// role in the edition in SQL)
	s.handleForm("/secretariat/special-mentions", inSecretariat, s.secretariatMentions, s.secretariatMentionAdd)
	s.handleForm("/secretariat/special-mentions/{id}", secretariat, s.secretariatMention, s.secretariatMentionSave)
	s.handle("POST", "/secretariat/special-mentions/{id}/delete", secretariat, s.secretariatMentionDelete)
	// --- the announcement (DOMAIN.md "Round 3"; results.go): the public results from the schedule's
	// date on; a winner's ceremony video for the account that entered it (results.OwnAward filters
	// by the application's account in SQL: anyone else's award is 404)
	s.handle("GET", "/editions/{slug}/results", authz.Public, s.resultsPage)
	s.handleForm("/awards/{id}/video", answering, s.videoPage, s.videoPost)
	// --- invalidation, attendance and succession (DOMAIN.md "Round 3"; awards.go): a first-place
	// winner's account answers for its own award (award.Mine filters in SQL: 404 otherwise); the
	// chair or a committee head of the award's edition invalidates (checked in SQL); the council, the
	// committee head and the secretariat read the awards; the chair alone confirms a succession
	s.handleForm("/awards/{id}/attendance", authz.AnyRole(authz.RoleApplicant, authz.RoleNominator), s.attendancePage, s.attendanceSave)
	// a winning nomination's candidate answers and gives the video without an account: the private
	// link opens its own award only (results.OpenCandidateLink; unknown or expired: 404)
	s.handleForm("/winner/{token}/attendance", authz.Public, s.candidateAttendancePage, s.candidateAttendanceSave)
	s.handleForm("/winner/{token}/video", authz.Public, s.candidateVideoPage, s.candidateVideoPost)
	s.handle("GET", "/awards", authz.InEdition(authz.AwardReaders), s.awardsPage)
	s.handle("POST", "/awards/{id}/invalidate", authz.InEdition(authz.AwardInvalidators), s.awardInvalidate)
	s.handle("POST", "/awards/categories/{category}/confirm", authz.InEdition(authz.CouncilMembers), s.changeConfirm)

	// --- the edition studio (DOMAIN.md "Editions are data"; studio.go): the managers of an
	// edition and administrators (studio.Managed checks the edition's manager role: 404 otherwise;
	// the list reads only the editions the actor manages, in SQL)
	editors := authz.AnyRole(authz.RoleManager, authz.RoleAdmin)
	s.handle("GET", "/studio", editors, s.studioList)
	s.handleForm("/studio/new", editors, s.studioNewPage, s.studioNew)
	s.handle("GET", "/studio/{slug}", editors, s.studioEdition)
	s.handle("GET", "/studio/{slug}/edition.yaml", editors, s.studioDownload)
	s.handle("POST", "/studio/{slug}/publish", editors, s.studioPublish)
	s.handleForm("/studio/{slug}/{sheet}", editors, s.studioSheet, s.studioSheetPost)
	s.handleForm("/studio/{slug}/translations/{lang}", editors, s.studioTranslations, s.studioTranslationsSave)

	// --- the wording of an edition's emails (emailwording.go), for the edition's managers and the
	// administrators (internal/notify/wording repeats the rule in SQL)
	wordingManagers := authz.InEdition(authz.EditionManagers)
	s.handle("GET", "/studio/emails", wordingManagers, s.studioEmails)
	s.handleForm("/studio/emails/{key}", wordingManagers, s.studioEmail, s.studioEmailSave)
	s.handle("POST", "/studio/emails/{key}/reset", wordingManagers, s.studioEmailReset)

	// --- analytics with charts (DOMAIN.md "Data and publication"; analytics.go): the secretariat,
	// the committee head and the council of the edition (internal/analytics repeats the roles,
	// the seal of the scores and the confirmation of the semi-finalists in SQL)
	analyticsReaders := authz.InEdition(authz.AnalyticsReaders)
	s.handle("GET", "/analytics", analyticsReaders, s.analyticsPage)
	s.handle("GET", "/analytics/{chart}.csv", analyticsReaders, s.analyticsCSV)

	// --- exports and the decision pack (DOMAIN.md "Data and publication"; exports.go): the staff
	// of an edition ask for the exports their roles allow (export.Allowed, repeated in SQL by the
	// job); an export's page and file answer its requester only (filtered in SQL: 404 otherwise)
	exporters := authz.AnyRole(authz.RoleSecretariat, authz.RoleCommitteeHead, authz.RoleEvaluator, authz.RoleCouncil, authz.RoleAdmin)
	s.handleForm("/exports", authz.InEdition(authz.Exporters), s.exportsPage, s.exportCreate)
	s.handle("GET", "/exports/{id}", exporters, s.exportPage)
	s.handle("GET", "/exports/{id}/download", exporters, s.exportDownload)

	// --- the best-practice repository and the results archive (DOMAIN.md "Data and publication"; repository.go):
	// public cases from their edition's winners announcement, never a confidential answer
	// (internal/repository); the secretariat hides a case with a reason or shows it again
	// (repository.ForSecretariat repeats the role in the case's edition in SQL: 404 otherwise)
	s.handle("GET", "/repository", authz.Public, s.repositoryPage)
	s.handle("GET", "/repository/{id}", authz.Public, s.repositoryCase)
	s.handle("GET", "/repository/{id}/{slug}", authz.Public, s.repositoryCase)
	s.handle("GET", "/results", authz.Public, s.resultsArchive)
	s.handle("GET", "/secretariat/repository", inSecretariat, s.repositoryHidden)
	s.handle("GET", "/secretariat/repository/{id}", secretariat, s.repositoryManage)
	s.handle("POST", "/secretariat/repository/{id}/hide", secretariat, s.repositoryHide)
	s.handle("POST", "/secretariat/repository/{id}/unhide", secretariat, s.repositoryUnhide)

	// --- the form builder (formbuilder.go): the managers of an edition and the administrators edit
	// its categories' application forms (authz.CanManageEdition; edition.ChangeForm checks it
	// again) and preview them as applicants see them
	managers := authz.InEdition(authz.EditionManagers)
	s.handle("GET", views.FormsPath, managers, s.formsList)
	s.handle("GET", views.FormsPath+"/{category}", managers, s.formOutline)
	s.handle("POST", views.FormsPath+"/{category}/move", managers, s.formMove)
	s.handleForm(views.FormsPath+"/{category}/preview", managers, s.formPreview, s.formPreview)
	s.handleForm(views.FormsPath+"/{category}/sections/new", managers, s.formSectionNewPage, s.formSectionNew)
	s.handleForm(views.FormsPath+"/{category}/sections/{section}", managers, s.formSectionPage, s.formSectionSave)
	s.handleForm(views.FormsPath+"/{category}/sections/{section}/remove", managers, s.formSectionRemovePage, s.formSectionRemove)
	s.handleForm(views.FormsPath+"/{category}/sections/{section}/questions/new", managers, s.formQuestionNewPage, s.formQuestionNew)
	s.handleForm(views.FormsPath+"/{category}/questions/{question}", managers, s.formQuestionPage, s.formQuestionSave)
	s.handleForm(views.FormsPath+"/{category}/questions/{question}/remove", managers, s.formQuestionRemovePage, s.formQuestionRemove)

	// --- two-factor sign-in (TOTP) and recovery codes
	s.handleForm("/signin/two-factor", authz.Public, s.signInCode, s.signInCodePost)
	s.handleForm("/signin/two-factor/setup", authz.Public, s.signInSetup, s.signInSetupPost)
	s.handle("GET", "/account/two-factor", authz.SignedIn, s.twoFactorAccount)
	s.handleForm("/account/two-factor/setup", authz.SignedIn, s.twoFactorAccountSetup, s.twoFactorAccountSetupPost)
	s.handleForm("/account/two-factor/recovery-codes", authz.SignedIn, s.recoveryCodes, s.regenerateRecoveryCodes)
	s.handle("POST", "/account/two-factor/disable", authz.SignedIn, s.disableTwoFactor)

	// --- administration: staff invitations, users, roles, audit log, personal data
	admin := authz.AnyRole(authz.RoleAdmin)
	s.handle("GET", "/admin/users", admin, s.adminUsers)
	s.handle("GET", "/admin/users/{id}", admin, s.adminUser)
	s.handle("POST", "/admin/users/{id}/roles", admin, s.adminGrant)
	s.handleForm("/admin/users/{id}/revoke", admin, s.adminRevokePage, s.adminRevoke)
	s.handle("POST", "/admin/users/{id}/deactivate", admin, s.adminDeactivate)
	s.handle("POST", "/admin/users/{id}/reactivate", admin, s.adminReactivate)
	s.handle("POST", "/admin/users/{id}/two-factor/reset", admin, s.adminResetTwoFactor)
	s.handleForm("/admin/users/{id}/erase", admin, s.adminErasePage, s.adminErase)
	s.handleForm("/admin/erase-address", admin, s.adminEraseAddressPage, s.adminEraseAddress)
	s.handleForm("/admin/invite", admin, s.adminInvitePage, s.adminInvite)
	s.handle("GET", "/admin/audit", admin, s.adminAudit)
	s.handleForm("/invite/{token}", authz.Public, s.invitePage, s.inviteAccept)
	s.handle("GET", "/account/data", authz.SignedIn, s.personalData)
	s.handle("GET", "/account/data.json", authz.SignedIn, s.personalDataJSON)

	// --- email outbox
	s.handle("GET", "/admin/outbox", authz.AnyRole(authz.RoleAdmin), s.outboxList)
	s.handle("GET", "/admin/outbox/{id}", authz.AnyRole(authz.RoleAdmin), s.outboxMessage)

	assets := static.Handler(notFound)
	s.handle("GET", "/static/*", authz.Public, func(w http.ResponseWriter, r *http.Request) error {
		assets.ServeHTTP(w, r)
		return nil
	})

	for key := range beforePasswordChange {
		if _, ok := s.policies[key]; !ok {
			panic(fmt.Sprintf("server: beforePasswordChange lists %s, which is not a route", key))
		}
	}
	for key := range sharedPages {
		if !s.policies[key].IsPublic() {
			panic(fmt.Sprintf("server: sharedPages lists %s, which is not a public route", key))
		}
	}

	s.router.NotFound(notFound)
	s.router.MethodNotAllowed(s.wrap(func(w http.ResponseWriter, r *http.Request) error { return errMethodNotAllowed }))
}

// handle registers a route with its access policy; the policy is checked before the handler runs,
// then the one-time password rule (beforePasswordChange), then, for a route scoped by
// authz.InEdition, its edition is resolved (inEdition). Answers are no-store unless the route
// is one of the sharedPages seen by an anonymous visitor.
func (s *Server) handle(method, pattern string, policy authz.Policy, h handlerFunc) {
	key := method + " " + pattern
	if !policy.Defined() {
		panic(fmt.Sprintf("server: route %s has no policy", key))
	}
	if policy.IsPublic() && !publicRoutes[key] {
		panic(fmt.Sprintf("server: route %s is public but not in publicRoutes", key))
	}
	if _, dup := s.policies[key]; dup {
		panic(fmt.Sprintf("server: route %s registered twice", key))
	}
	s.policies[key] = policy
	s.router.Method(method, pattern, s.wrap(func(w http.ResponseWriter, r *http.Request) error {
		actor := authz.ActorFrom(r.Context())
		if !sharedPages[key] || (!actor.Anonymous() && key != staticRoute) {
			w.Header().Set("Cache-Control", "no-store")
		}
		if err := policy.Check(actor); err != nil {
			return err
		}
		if actor.MustChangePassword && !policy.IsPublic() && !beforePasswordChange[key] {
			return errMustChangePassword
		}
		if rule, ok := policy.Edition(); ok {
			var err error
			if r, err = s.inEdition(r, rule); err != nil {
				return err
			}
		}
		return h(w, r)
	}))
}

// handleForm registers a page (GET pattern) and the form it posts to itself (POST pattern), both
// under policy.
func (s *Server) handleForm(pattern string, policy authz.Policy, page, post handlerFunc) {
	s.handle("GET", pattern, policy, page)
	s.handle("POST", pattern, policy, post)
}

// wrap turns a handlerFunc into an http.Handler whose errors go to the error mapper.
func (s *Server) wrap(h handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.serveError(w, r, err)
		}
	}
}

// Routes lists every registered route as "METHOD pattern", sorted.
func (s *Server) Routes() []string {
	out := make([]string, 0, len(s.policies))
	for k := range s.policies {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
