package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// passwordOnlyClient returns a client with a session of userID that never passed a second
// factor, as a sign-in by password alone leaves it.
func (e *env) passwordOnlyClient(t *testing.T, userID int64) *client {
	t.Helper()
	return e.clientWithSession(t, e.sessionToken(t, userID, false))
}

// staffPageRefused checks that the client's request to a staff page is not served: it is sent
// to sign in (its session ended) or to the second-factor step.
func staffPageRefused(t *testing.T, what string, r reply) {
	t.Helper()
	if r.status == http.StatusOK || r.status != http.StatusSeeOther ||
		!(strings.HasPrefix(r.location, "/signin?") || strings.HasPrefix(r.location, "/signin/two-factor")) {
		t.Fatalf("%s: %d %q, want a redirect to sign in or to the second factor", what, r.status, r.location)
	}
}

// adminAndSignedInApplicant is a new two-factor environment with its administrator root signed
// in, and the applicant cee, signed in with a password only, on their dashboard.
func adminAndSignedInApplicant(t *testing.T) (*tfEnv, *client, *client, int64) {
	t.Helper()
	e, admin, _ := newAdminEnv(t)
	cee, ceeID := e.adminSignIn(t, "cee", "applicant")
	wantStatus(t, "applicant's dashboard", cee.get("/dashboard"), http.StatusOK)
	return e, admin, cee, ceeID
}

// TestStaffRoleGrantedToSignedInApplicantNeedsSecondFactor: an applicant signed in with their
// password only is invited as evaluator; the cookie they already hold must not open /scoring,
// and signing in again asks for two-factor enrolment first.
func TestStaffRoleGrantedToSignedInApplicantNeedsSecondFactor(t *testing.T) {
	t.Parallel()
	e, admin, cee, _ := adminAndSignedInApplicant(t)

	wantStatus(t, "invitation", admin.post("/admin/invite", url.Values{
		"email": {"cee@example.org"}, "name": {"Test cee"}, "roles": {"evaluator"}, "edition": {e.editionID(t)},
	}), http.StatusSeeOther)

	staffPageRefused(t, "old cookie on /scoring", cee.get("/scoring"))
	wantSignedOut(t, cee)
	if r := signInPassword(cee, "cee", "/scoring"); r.status != http.StatusSeeOther || r.location != "/signin/two-factor/setup" {
		t.Fatalf("signing in again: %d %q, want the enrolment step", r.status, r.location)
	}
	staffPageRefused(t, "pending sign-in on /scoring", cee.get("/scoring"))
}

// TestStaffRoleGrantedOnRolesPageNeedsSecondFactor: the same through the admin's roles page,
// secretariat granted to a signed-in applicant: the old cookie must not open the screening queue.
func TestStaffRoleGrantedOnRolesPageNeedsSecondFactor(t *testing.T) {
	t.Parallel()
	e, admin, cee, ceeID := adminAndSignedInApplicant(t)

	wantStatus(t, "grant", admin.post(fmt.Sprintf("/admin/users/%d/roles", ceeID), url.Values{
		"role": {"secretariat"}, "edition": {e.editionID(t)},
	}), http.StatusSeeOther)

	wantSignedOut(t, cee)
	staffPageRefused(t, "old cookie on /secretariat/screening", cee.get("/secretariat/screening"))
}

// wantSignedOut checks that the client's session has ended: the dashboard asks to sign in.
func wantSignedOut(t *testing.T, c *client) {
	t.Helper()
	if r := c.get("/dashboard"); r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, "/signin?") {
		t.Fatalf("session should have ended when a staff role was granted: dashboard %d %q", r.status, r.location)
	}
}

// TestStaffSessionWithoutSecondFactorIsSentToIt: a session of a staff user that never passed
// the second factor (however it came about) opens no staff page: the user is sent to enrol or to
// give the code, and comes back to the page afterwards. Pages open to any signed-in user stay
// open.
func TestStaffSessionWithoutSecondFactorIsSentToIt(t *testing.T) {
	t.Parallel()
	e := newTwoFactorEnv(t)
	// Not enrolled: sent to enrol.
	fresh := e.newAccount(t, "eval-new", "evaluator")
	c := e.passwordOnlyClient(t, fresh)
	r := c.get("/scoring")
	if r.status != http.StatusSeeOther || r.location != "/signin/two-factor/setup" {
		t.Fatalf("staff session without second factor, not enrolled: %d %q", r.status, r.location)
	}
	if page := c.get(r.location); page.status != http.StatusOK || !strings.Contains(page.body, "two-factor") {
		t.Fatalf("enrolment page: %d", page.status)
	}

	// Enrolled: sent to give the code, then back to the page.
	enrolled, secret := e.enrolledAccount(t, "sec-old", "secretariat")
	c = e.passwordOnlyClient(t, enrolled)
	r = c.get("/secretariat/screening")
	if r.status != http.StatusSeeOther || r.location != "/signin/two-factor" {
		t.Fatalf("staff session without second factor, enrolled: %d %q", r.status, r.location)
	}
	r = c.post("/signin/two-factor", url.Values{"code": {e.code(t, secret)}})
	if r.status != http.StatusSeeOther || r.location != "/secretariat/screening" {
		t.Fatalf("code step: %d %q, want back to the screening queue", r.status, r.location)
	}
	wantStatus(t, "screening queue after the second factor", c.get("/secretariat/screening"), http.StatusOK)
}
