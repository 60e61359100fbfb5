package server_test

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"prizeportal/internal/account"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/ranking/rankingtest"
)

// The actors of the authorization matrix.
var matrixActors = []string{"anonymous", "applicantA", "applicantB", "nominator", "secretariat", "evaluator", "council", "admin"}

const (
	everyone  = "anonymous applicantA applicantB nominator secretariat evaluator council admin"
	signedIn  = "applicantA applicantB nominator secretariat evaluator council admin"
	adminOnly = "admin"
	// secretariatOnly: the secretariat pages for applications (deadline extensions).
	secretariatOnly = "secretariat"
	// applicants may open the project application routes (each sees only their own: another
	// applicant's objects are 404, which the matrix counts as let through).
	applicants = "applicantA applicantB"
	// nominators may open the nomination routes (each sees only their own).
	nominators = "nominator"
	// mayDropTwoFactor are the signed-in users whose roles do not require two-factor sign-in.
	mayDropTwoFactor = "applicantA applicantB nominator"
)

// authzMatrix says, for every route, which actors are let through. A route missing here fails
// TestAuthorizationMatrix: extend the matrix with every new route.
var authzMatrix = map[string]string{
	"GET /":                                             everyone,
	"GET /editions/{slug}":                              everyone,
	"GET /healthz":                                      everyone,
	"GET /readyz":                                       everyone,
	"GET /static/*":                                     everyone,
	"GET /terms":                                        everyone,
	"POST /language":                                    everyone,
	"GET /register":                                     everyone,
	"POST /register":                                    everyone,
	"GET /verify/{token}":                               everyone,
	"POST /verify/{token}":                              everyone,
	"GET /signin":                                       everyone,
	"POST /signin":                                      everyone,
	"GET /password/forgot":                              everyone,
	"POST /password/forgot":                             everyone,
	"GET /password/reset/{token}":                       everyone,
	"POST /password/reset/{token}":                      everyone,
	"GET /signin/two-factor":                            everyone,
	"POST /signin/two-factor":                           everyone,
	"GET /signin/two-factor/setup":                      everyone,
	"POST /signin/two-factor/setup":                     everyone,
	"GET /invite/{token}":                               everyone,
	"POST /invite/{token}":                              everyone,
	"POST /account/verify/resend":                       signedIn,
	"POST /signout":                                     signedIn,
	"GET /account/password":                             signedIn,
	"POST /account/password":                            signedIn,
	"GET /dashboard":                                    signedIn,
	"GET /staff":                                        "secretariat admin",
	"GET /account/two-factor":                           signedIn,
	"GET /account/two-factor/setup":                     signedIn,
	"POST /account/two-factor/setup":                    signedIn,
	"GET /account/two-factor/recovery-codes":            signedIn,
	"POST /account/two-factor/recovery-codes":           signedIn,
	"POST /account/two-factor/disable":                  mayDropTwoFactor,
	"GET /account/data":                                 signedIn,
	"GET /account/data.json":                            signedIn,
	"GET /admin/users":                                  adminOnly,
	"GET /admin/users/{id}":                             adminOnly,
	"POST /admin/users/{id}/roles":                      adminOnly,
	"GET /admin/users/{id}/revoke":                      adminOnly,
	"POST /admin/users/{id}/revoke":                     adminOnly,
	"POST /admin/users/{id}/deactivate":                 adminOnly,
	"POST /admin/users/{id}/reactivate":                 adminOnly,
	"POST /admin/users/{id}/two-factor/reset":           adminOnly,
	"GET /admin/users/{id}/erase":                       adminOnly,
	"POST /admin/users/{id}/erase":                      adminOnly,
	"GET /admin/erase-address":                          adminOnly,
	"POST /admin/erase-address":                         adminOnly,
	"GET /admin/invite":                                 adminOnly,
	"POST /admin/invite":                                adminOnly,
	"GET /admin/audit":                                  adminOnly,
	"GET /admin/outbox":                                 adminOnly,
	"GET /admin/outbox/{id}":                            adminOnly,
	"GET /studio":                                       adminOnly,
	"GET /studio/new":                                   adminOnly,
	"POST /studio/new":                                  adminOnly,
	"GET /studio/{slug}":                                adminOnly,
	"GET /studio/{slug}/edition.yaml":                   adminOnly,
	"POST /studio/{slug}/publish":                       adminOnly,
	"GET /studio/{slug}/{sheet}":                        adminOnly,
	"POST /studio/{slug}/{sheet}":                       adminOnly,
	"GET /studio/{slug}/translations/{lang}":            adminOnly,
	"POST /studio/{slug}/translations/{lang}":           adminOnly,
	"GET /application":                                  applicants,
	"GET /application/sections/{section}":               applicants,
	"POST /application/sections/{section}":              applicants,
	"GET /application/files/{id}":                       applicants,
	"GET /application/review":                           applicants,
	"POST /application/submit":                          applicants,
	"GET /application/withdraw":                         applicants,
	"POST /application/withdraw":                        applicants,
	"GET /application/status":                           applicants,
	"GET /entries/new":                                  applicants + " " + nominators,
	"POST /entries/new":                                 applicants + " " + nominators,
	"GET /entries/{id}":                                 applicants,
	"GET /entries/{entry}/files/{id}":                   applicants,
	"GET /nominations":                                  nominators,
	"GET /nominations/new":                              nominators,
	"POST /nominations/new":                             nominators,
	"GET /nominations/{nomination}":                     nominators,
	"GET /nominations/{nomination}/details":             nominators,
	"POST /nominations/{nomination}/details":            nominators,
	"POST /nominations/{nomination}/consent":            nominators,
	"GET /nominations/{nomination}/sections/{section}":  nominators,
	"POST /nominations/{nomination}/sections/{section}": nominators,
	"GET /nominations/{nomination}/files/{id}":          nominators,
	"GET /nominations/{nomination}/review":              nominators,
	"POST /nominations/{nomination}/submit":             nominators,
	"GET /nominations/{nomination}/withdraw":            nominators,
	"POST /nominations/{nomination}/withdraw":           nominators,
	"GET /consent/{token}":                              everyone,
	"POST /consent/{token}":                             everyone,
	"GET /nominations/{nomination}/endorsements":        nominators,
	"POST /nominations/{nomination}/endorsements":       nominators,
	"GET /endorse/{code}":                               everyone,
	"POST /endorse/{code}":                              everyone,
	"GET /endorse/confirm/{token}":                      everyone,
	"POST /endorse/confirm/{token}":                     everyone,
	"GET /nominations/{nomination}/letter":              nominators,
	"POST /nominations/{nomination}/letter":             nominators,
	"POST /nominations/{nomination}/letter/resend":      nominators,
	"GET /letters/{token}":                              everyone,
	"POST /letters/{token}":                             everyone,
	// the secretariat of the edition only; an admin needs the secretariat role too
	"GET /secretariat/applications":                  secretariatOnly,
	"GET /secretariat/applications/{id}/extension":   secretariatOnly,
	"POST /secretariat/applications/{id}/extension":  secretariatOnly,
	"GET /secretariat/duplicates":                    secretariatOnly,
	"GET /secretariat/screening":                     secretariatOnly,
	"POST /secretariat/screening/bulk":               secretariatOnly,
	"GET /secretariat/screening/round":               secretariatOnly,
	"POST /secretariat/screening/round/close":        secretariatOnly,
	"GET /secretariat/screening/{id}":                secretariatOnly,
	"POST /secretariat/screening/{id}/decision":      secretariatOnly,
	"POST /secretariat/screening/{id}/review":        secretariatOnly,
	"POST /secretariat/screening/{id}/merge":         secretariatOnly,
	"GET /secretariat/screening/{id}/history":        secretariatOnly,
	"GET /secretariat/screening/{id}/files/{file}":   secretariatOnly,
	"GET /secretariat/nominations":                   secretariatOnly,
	"GET /secretariat/nominations/{id}":              secretariatOnly,
	"POST /secretariat/nominations/{id}/override":    secretariatOnly,
	"POST /secretariat/nominations/{id}/consent":     secretariatOnly,
	"GET /secretariat/nominations/{id}/endorsements": secretariatOnly,
	"GET /secretariat/nominations/{id}/letter":       secretariatOnly,
	"GET /secretariat/nominations/{id}/letter/file":  secretariatOnly,
	"GET /studio/emails":                             adminOnly,
	"GET /studio/emails/{key}":                       adminOnly,
	"POST /studio/emails/{key}":                      adminOnly,
	"POST /studio/emails/{key}/reset":                adminOnly,
	"GET /secretariat/context":                       secretariatOnly,
	"POST /secretariat/context":                      secretariatOnly,
	"POST /secretariat/context/clear":                secretariatOnly,
	"GET /secretariat/invitations":                   secretariatOnly,
	"POST /secretariat/invitations":                  secretariatOnly,
	"POST /secretariat/invitations/{id}/resend":      secretariatOnly,
	// clarifications: the secretariat asks; applicants and nominators answer their own (another's
	// is 404); evaluators and council read the thread only from round 2 on (403 before:
	// TestClarificationThreadFromRound2 checks after)
	"GET /secretariat/screening/{id}/clarifications":              secretariatOnly,
	"POST /secretariat/screening/{id}/clarifications":             secretariatOnly,
	"GET /secretariat/screening/{id}/clarifications/files/{file}": secretariatOnly,
	"GET /clarifications":                                         applicants + " " + nominators,
	"GET /clarifications/{id}":                                    applicants + " " + nominators,
	"POST /clarifications/{id}":                                   applicants + " " + nominators,
	"GET /clarifications/{id}/files/{file}":                       applicants + " " + nominators,
	"GET /entries/{id}/clarifications":                            secretariatOnly,
	"GET /entries/{id}/clarifications/files/{file}":               secretariatOnly,
	// the conflict-of-interest registry (secretariat) and the jury's own declarations (evaluators,
	// the committee head, the council)
	"GET /secretariat/conflicts":              secretariatOnly,
	"POST /secretariat/conflicts":             secretariatOnly,
	"GET /secretariat/conflicts/{id}":         secretariatOnly,
	"POST /secretariat/conflicts/{id}":        secretariatOnly,
	"POST /secretariat/conflicts/{id}/delete": secretariatOnly,
	"GET /evaluator/declarations":             "evaluator council",
	"POST /evaluator/declarations":            "evaluator council",
	// round 2 score sheets: evaluators (the matrix's evaluator has no assignment, so an entry is
	// 404, which counts as let through; TestScoringConfidentiality checks the 404s); progress for
	// the secretariat and the committee head; every sheet of an entry for the head only (no
	// matrix actor: TestScoringHeadSeesSheetsAfterClose)
	"GET /scoring":                     "evaluator",
	"GET /scoring/{id}":                "evaluator",
	"POST /scoring/{id}":               "evaluator",
	"POST /scoring/{id}/declare":       "evaluator",
	"POST /scoring/{id}/recuse":        "evaluator",
	"POST /scoring/{id}/submit":        "evaluator",
	"GET /scoring/{id}/files/{file}":   "evaluator",
	"GET /scoring/progress":            secretariatOnly,
	"POST /scoring/progress/remind":    secretariatOnly,
	"GET /scoring/entries/{id}/sheets": "",
	// the Evaluation Committee and the assignment: the secretariat and the committee head of the
	// edition (no matrix actor for the head: TestCommitteeHeadManagesAssignments); an assignment
	// of no edition one manages is 404
	"GET /committee":                          secretariatOnly,
	"POST /committee":                         secretariatOnly,
	"GET /committee/assignments":              secretariatOnly,
	"POST /committee/assignments":             secretariatOnly,
	"POST /committee/assignments/auto":        secretariatOnly,
	"POST /committee/assignments/{id}/remove": secretariatOnly,
	// round 2 ranking and semi-finalists: the page and additions for the secretariat and the head;
	// the head's actions for the head only (no matrix actor: TestRankingSealedUntilClosed and
	// TestRankingSemiFinalists check the head, and 403 for the secretariat and evaluators); the public
	// announcement for everyone
	"GET /ranking":                        secretariatOnly,
	"POST /ranking/additions":             secretariatOnly,
	"POST /ranking/method":                "",
	"POST /ranking/close":                 "",
	"POST /ranking/propose":               "",
	"POST /ranking/ties":                  "",
	"POST /ranking/confirm":               "",
	"GET /editions/{slug}/semi-finalists": everyone,
	// round 3: the council page for the secretariat; ballots for council members of the edition
	// (the matrix's council member is not the chair: the chair's actions are 403 for them, and
	// TestBallotChair checks the chair); the protocol for the council and the secretariat (404
	// until the vote closes: TestBallotProtocolAfterClose)
	"GET /council":                                 secretariatOnly,
	"POST /council":                                secretariatOnly,
	"GET /council/ballots/{category}":              "council",
	"POST /council/ballots/{category}":             "council",
	"POST /council/ballots/{category}/close":       "",
	"POST /council/ballots/{category}/tiebreak":    "",
	"POST /council/ballots/{category}/confirm":     "",
	"GET /council/ballots/{category}/protocol":     "council " + secretariatOnly,
	"GET /council/ballots/{category}/protocol.pdf": "council " + secretariatOnly,
	// round 3 dossiers: the council and the secretariat of the edition (an entry that is not a
	// confirmed semi-finalist is 404; TestDossierAccess checks the 404s and the 403s); special
	// mentions: the secretariat
	"GET /council/dossiers":                          "secretariat council",
	"GET /council/dossiers/{id}":                     "secretariat council",
	"GET /council/dossiers/{id}.pdf":                 "secretariat council",
	"GET /council/dossiers/{id}/files/{file}":        "secretariat council",
	"GET /secretariat/special-mentions":              secretariatOnly,
	"POST /secretariat/special-mentions":             secretariatOnly,
	"GET /secretariat/special-mentions/{id}":         secretariatOnly,
	"POST /secretariat/special-mentions/{id}":        secretariatOnly,
	"POST /secretariat/special-mentions/{id}/delete": secretariatOnly,
	// invalidation, attendance and succession: a winner's own award (another
	// account's is 404, let through); the matrix's council member is not the chair and its
	// evaluator no committee head: invalidating and confirming are 403 for them (TestAward*)
	"GET /awards/{id}/attendance":                applicants + " " + nominators,
	"POST /awards/{id}/attendance":               applicants + " " + nominators,
	"GET /awards":                                "secretariat council",
	"POST /awards/{id}/invalidate":               "",
	"POST /awards/categories/{category}/confirm": "",
	// analytics: the secretariat, the committee head and the council of the
	// edition, its evaluators for their categories once round 2 is closed (before, the page
	// says so); a chart the page does not show is 404 (let through; TestAnalyticsAccess)
	"GET /analytics":             "secretariat evaluator council",
	"GET /analytics/{chart}.csv": "secretariat evaluator council",
	// the announcement: the public results for everyone; a winner's video page for applicants
	// and nominators (another's award, or one before the announcement, is 404: TestVideoAccess)
	"GET /editions/{slug}/results": everyone,
	"GET /awards/{id}/video":       applicants + " " + nominators,
	"POST /awards/{id}/video":      applicants + " " + nominators,
	// a winning candidate's private pages: the token is the credential (an unknown one is 404,
	// let through: TestCandidateWinnerPrivateLink)
	"GET /winner/{token}/attendance":  everyone,
	"POST /winner/{token}/attendance": everyone,
	"GET /winner/{token}/video":       everyone,
	"POST /winner/{token}/video":      everyone,
	// the best-practice repository and the results archive for everyone; hiding a case for the
	// secretariat of its edition (another case is 404, let through: TestRepositoryHide*)
	"GET /repository":                          everyone,
	"GET /repository/{id}":                     everyone,
	"GET /repository/{id}/{slug}":              everyone,
	"GET /results":                             everyone,
	"GET /secretariat/repository":              secretariatOnly,
	"GET /secretariat/repository/{id}":         secretariatOnly,
	"POST /secretariat/repository/{id}/hide":   secretariatOnly,
	"POST /secretariat/repository/{id}/unhide": secretariatOnly,

	// the form builder: the edition's managers (the matrix has none: TestFormBuilder*) and the
	// administrators; an unknown section or question is 404 (let through)
	"GET /studio/forms":                                              adminOnly,
	"GET /studio/forms/{category}":                                   adminOnly,
	"POST /studio/forms/{category}/move":                             adminOnly,
	"GET /studio/forms/{category}/preview":                           adminOnly,
	"POST /studio/forms/{category}/preview":                          adminOnly,
	"GET /studio/forms/{category}/sections/new":                      adminOnly,
	"POST /studio/forms/{category}/sections/new":                     adminOnly,
	"GET /studio/forms/{category}/sections/{section}":                adminOnly,
	"POST /studio/forms/{category}/sections/{section}":               adminOnly,
	"GET /studio/forms/{category}/sections/{section}/remove":         adminOnly,
	"POST /studio/forms/{category}/sections/{section}/remove":        adminOnly,
	"GET /studio/forms/{category}/sections/{section}/questions/new":  adminOnly,
	"POST /studio/forms/{category}/sections/{section}/questions/new": adminOnly,
	"GET /studio/forms/{category}/questions/{question}":              adminOnly,
	"POST /studio/forms/{category}/questions/{question}":             adminOnly,
	"GET /studio/forms/{category}/questions/{question}/remove":       adminOnly,
	"POST /studio/forms/{category}/questions/{question}/remove":      adminOnly,

	// the jury of an edition: its managers and the administrators; the secretariat, evaluators
	// and council are 403 (no matrix actor is a manager: TestJuryManager checks one)
	"GET /jury":              adminOnly,
	"POST /jury":             adminOnly,
	"POST /jury/{id}/resend": adminOnly,
	"GET /jury/{id}/revoke":  adminOnly,
	"POST /jury/{id}/revoke": adminOnly,

	// exports: every staff role opens the page of an edition it serves; an
	// export that is not the actor's own is 404 (let through; TestExportJob checks it)
	"GET /exports":               "secretariat evaluator council admin",
	"POST /exports":              "secretariat evaluator council admin",
	"GET /exports/{id}":          "secretariat evaluator council admin",
	"GET /exports/{id}/download": "secretariat evaluator council admin",
}

// matrixUser creates a user holding role in the edition (or globally for admin) and returns its id.
func matrixUser(t *testing.T, e *env, login, role string) int64 {
	t.Helper()
	ctx := context.Background()
	if role == "admin" {
		a, err := account.CreateAdmin(ctx, e.pool, login+"@example.org", account.TestHashParams)
		if err != nil {
			t.Fatal(err)
		}
		// The matrix is about access, not the first-sign-in password change.
		e.pool.Exec(ctx, `UPDATE users SET must_change_password = false WHERE id = $1`, a.UserID)
		return a.UserID
	}
	var id int64
	err := e.pool.QueryRow(ctx, `
		INSERT INTO users (login_id, email, name, password_hash, email_verified_at, edition_id)
		VALUES ($1, $1 || '@example.org', $1, 'x', now(), (SELECT id FROM editions LIMIT 1)) RETURNING id`, login).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	dbtest.Exec(t, e.pool, `INSERT INTO role_grants (user_id, role, edition_id) VALUES ($1, $2, (SELECT id FROM editions LIMIT 1))`, id, role)
	return id
}

// signedInClient returns a client with a fresh session of userID (0: anonymous).
func (e *env) signedInClient(t *testing.T, userID int64) *client {
	t.Helper()
	if userID == 0 {
		return e.client(t)
	}
	// Staff sessions passed the second factor at sign-in.
	return e.clientWithSession(t, e.sessionToken(t, userID, true))
}

// matrixFixture is the authorization matrix's world: the seoul-2023 edition, one user per
// matrix actor, an outbox message, an application and a nomination; path turns a route's pattern
// into a path to an object of that world.
func matrixFixture(t *testing.T) (e *env, users map[string]int64, path func(pattern string) string) {
	t.Helper()
	e = newEnv(t, nil, "seoul-2023")
	users = map[string]int64{"anonymous": 0}
	for _, a := range matrixActors[1:] {
		role := map[string]string{"applicantA": "applicant", "applicantB": "applicant", "nominator": "nominator",
			"secretariat": "secretariat", "evaluator": "evaluator", "council": "council", "admin": "admin"}[a]
		users[a] = matrixUser(t, e, strings.ToLower(a), role)
	}
	var outboxID int64
	e.pool.QueryRow(context.Background(), `INSERT INTO email_outbox (to_address, subject, html_body, text_body) VALUES ('x@example.org', 'A test email', '', 'The text of a test email.') RETURNING id`).Scan(&outboxID)

	// applicantB's application, for the secretariat's extension pages.
	var appID int64
	if err := e.pool.QueryRow(context.Background(), `
		INSERT INTO applications (user_id, edition_id, category_id)
		SELECT u.id, u.edition_id, c.id FROM users u JOIN categories c ON c.edition_id = u.edition_id
		WHERE u.id = $1 AND c.key = 'tech-innovacity' RETURNING id`, users["applicantB"]).Scan(&appID); err != nil {
		t.Fatal(err)
	}

	// the nominator's nomination, for the nomination routes and the secretariat's nomination pages.
	var nomID int64
	if err := e.pool.QueryRow(context.Background(), `
		WITH a AS (INSERT INTO applications (user_id, edition_id, category_id, kind)
		           SELECT u.id, u.edition_id, c.id, 'nomination' FROM users u JOIN categories c ON c.edition_id = u.edition_id
		           WHERE u.id = $1 AND c.key = 'leadership' RETURNING id, user_id, edition_id)
		INSERT INTO nominations (application_id, user_id, edition_id, self, candidate_name, candidate_email, created_at)
		SELECT id, user_id, edition_id, false, 'Kim', 'kim@example.org', now() FROM a RETURNING application_id`,
		users["nominator"]).Scan(&nomID); err != nil {
		t.Fatal(err)
	}

	path = func(pattern string) string {
		p := strings.NewReplacer(
			"{slug}", "seoul-2023", "{sheet}", "schedule", "{token}", "no-such-token", "*", "app.css", "{nomination}", fmt.Sprint(nomID), "{category}", "tech-innovacity",
			"{lang}", "ko",
		).Replace(pattern)
		if strings.Contains(p, "{id}") {
			id := users["applicantB"]
			if strings.HasPrefix(p, "/admin/outbox/") {
				id = outboxID
			}
			if strings.HasPrefix(p, "/secretariat/applications/") {
				id = appID
			}
			if strings.HasPrefix(p, "/secretariat/nominations/") {
				id = nomID
			}
			if strings.HasPrefix(p, "/entries/") {
				id = appID
			}
			p = strings.ReplaceAll(p, "{id}", fmt.Sprint(id))
		}
		return p
	}
	return e, users, path
}

// TestAuthorizationMatrix requests every route as every actor and checks allow or deny against
// the matrix. Denied means 401, 403, or a redirect to the sign-in page.
func TestAuthorizationMatrix(t *testing.T) {
	t.Parallel()
	e, users, pathOf := matrixFixture(t)
	routes := e.server.Routes()
	for _, r := range routes {
		if _, ok := authzMatrix[r]; !ok {
			t.Errorf("route %s is not in the authorization matrix: add it to authzMatrix", r)
		}
	}
	for r := range authzMatrix {
		if !slices.Contains(routes, r) {
			t.Errorf("the matrix lists %s, which is not a route", r)
		}
	}
	// Actors in order, the admin last: its POSTs may change the other users (deactivate, erase).
	for _, actor := range matrixActors {
		for _, r := range routes {
			want := slices.Contains(strings.Fields(authzMatrix[r]), actor)
			method, pattern, _ := strings.Cut(r, " ")
			path := pathOf(pattern)
			c := e.signedInClient(t, users[actor])
			var res reply
			if method == "GET" {
				res = c.get(path)
			} else {
				res = c.post(path, url.Values{})
			}
			denied := res.status == 401 || res.status == 403 || (res.status == 303 && strings.HasPrefix(res.location, "/signin?next="))
			if denied == want {
				t.Errorf("%s %s as %s: status %d (location %q); want allowed=%v", method, path, actor, res.status, res.location, want)
			}
		}
	}
}

// TestAuthorizationMatrixScoringObjects extends the matrix to objects in round 2: an evaluator
// opens an entry assigned to them; an entry not assigned to them, and one assigned but in
// conflict with them (a declared organisation), are 404 (their existence is not revealed).
func TestAuthorizationMatrixScoringObjects(t *testing.T) {
	t.Parallel()
	e := newEnvAt(t, time.Date(2023, 7, 3, 1, 0, 0, 0, time.UTC), nil, "seoul-2023")
	ctx := context.Background()
	var edID int64
	e.pool.QueryRow(ctx, `SELECT id FROM editions WHERE slug = 'seoul-2023'`).Scan(&edID)
	assigned := rankingtest.Entry(t, e.pool, edID, "tech-innovacity", "a1", "Assigned")
	unassigned := rankingtest.Entry(t, e.pool, edID, "tech-innovacity", "a2", "Not assigned")
	conflicted := rankingtest.Entry(t, e.pool, edID, "tech-innovacity", "a3", "Conflicted")
	ev := rankingtest.Evaluator(t, e.pool, edID, "ev", "evaluator")
	for _, app := range []int64{assigned, conflicted} {
		dbtest.Exec(t, e.pool, `INSERT INTO assignments (application_id, evaluator_id, edition_id, assigned_at) VALUES ($1, $2, $3, now())`, app, ev, edID)
	}
	dbtest.Exec(t, e.pool, `INSERT INTO conflict_declarations (edition_id, evaluator_id, kind, name, created_at) VALUES ($1, $2, 'organisation', 'Org a3', now())`, edID, ev)
	c := e.signedInClient(t, ev)
	for app, want := range map[int64]int{assigned: 200, unassigned: 404, conflicted: 404} {
		if r := c.get("/scoring/" + fmt.Sprint(app)); r.status != want {
			t.Errorf("evaluator opening entry %d: %d, want %d", app, r.status, want)
		}
	}
	// Other roles never reach a score sheet.
	for _, role := range []string{"applicant", "secretariat", "council"} {
		if r := e.signedInClient(t, matrixUser(t, e, "m-"+role, role)).get("/scoring/" + fmt.Sprint(assigned)); r.status != 403 {
			t.Errorf("%s opening a score sheet: %d, want 403", role, r.status)
		}
	}
}
