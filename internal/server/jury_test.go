package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"prizeportal/internal/edition/editiontest"
)

// TestJuryManager: a manager of seoul-2023 opens its jury page, appoints an evaluator with their
// expertise (a refused form keeps what was typed and says what is wrong), sends the invitation
// again and revokes the role with a reason; they cannot open the jury of another edition, nor
// grant a role outside the jury. A secretariat member and an evaluator of the edition are
// forbidden every jury route.
func TestJuryManager(t *testing.T) {
	t.Parallel()
	e := newTwoFactorEnv(t)
	next := editiontest.Import(t, e.pool, "seoul-2024")[0]
	manager, _ := e.adminSignIn(t, "mia", "manager")
	secretariat, _ := e.adminSignIn(t, "sam", "secretariat")
	evaluator, _ := e.adminSignIn(t, "evan", "evaluator")
	ed := e.edition(t, "seoul-2023")
	jury := fmt.Sprintf("/jury?edition=%d", ed.ID)

	for name, c := range map[string]*client{"secretariat": secretariat, "evaluator": evaluator} {
		for _, r := range []reply{c.get("/jury"), c.get(jury), c.post(jury, url.Values{"name": {"X"}}),
			c.post("/jury/1/resend?edition="+fmt.Sprint(ed.ID), nil), c.get("/jury/1/revoke?edition=" + fmt.Sprint(ed.ID) + "&post=evaluator")} {
			wantStatus(t, name+" on the jury pages", r, http.StatusForbidden)
		}
	}
	wantStatus(t, "the jury of another edition", manager.get(fmt.Sprintf("/jury?edition=%d", next.ID)), http.StatusForbidden)

	if d := manager.get("/dashboard"); !strings.Contains(d.body, `href="`+jury+`"`) {
		t.Fatalf("the manager's dashboard has no link to the jury:\n%s", d.body)
	}
	page := manager.get("/jury")
	wantStatus(t, "jury page", page, http.StatusOK)
	if !strings.Contains(page.body, "Jury, Seoul Smart City Prize 2023") || !strings.Contains(page.body, "Test evan") {
		t.Fatalf("jury page:\n%s", page.body)
	}
	bad := manager.post(jury, url.Values{"name": {"Eun-ji Evaluator"}, "email": {"eunji@seoul.example"}, "post": {"admin"}})
	wantStatus(t, "granting admin", bad, http.StatusUnprocessableEntity)
	for _, want := range []string{"There is a problem", `id="f-post-error"`, `value="Eun-ji Evaluator"`, `value="eunji@seoul.example"`} {
		if !strings.Contains(bad.body, want) {
			t.Errorf("the refused appointment lacks %s", want)
		}
	}
	noCats := manager.post(jury, url.Values{"name": {"Eun-ji Evaluator"}, "email": {"eunji@seoul.example"}, "post": {"evaluator"}})
	wantStatus(t, "an evaluator without expertise", noCats, http.StatusUnprocessableEntity)
	if !strings.Contains(noCats.body, `id="f-categories-error"`) || !strings.Contains(noCats.body, `value="evaluator" checked`) {
		t.Fatalf("the refused appointment:\n%s", noCats.body)
	}

	cat := fmt.Sprint(ed.Categories[0].ID)
	done := manager.post(jury, url.Values{"name": {"Eun-ji Evaluator"}, "email": {"eunji@seoul.example"}, "post": {"evaluator"}, "categories": {cat}})
	wantStatus(t, "appointment", done, http.StatusSeeOther)
	if done.location != jury {
		t.Fatalf("after the appointment: %s", done.location)
	}
	first := e.lastLink(t, "eunji@seoul.example", "invite")
	var id int64
	if err := e.pool.QueryRow(t.Context(), `SELECT id FROM users WHERE email = 'eunji@seoul.example'`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	list := manager.get(jury)
	for _, want := range []string{"Invitation sent to eunji@seoul.example", "Eun-ji Evaluator", "Invited, has not set a password yet",
		"Expertise: " + ed.Categories[0].Name, "Send the invitation again"} {
		if !strings.Contains(list.body, want) {
			t.Errorf("the jury page lacks %q", want)
		}
	}

	resend := fmt.Sprintf("/jury/%d/resend?edition=%d", id, ed.ID)
	wantStatus(t, "resend", manager.post(resend, nil), http.StatusSeeOther)
	if again := e.lastLink(t, "eunji@seoul.example", "invite"); again == first {
		t.Fatal("the invitation was not sent again with a new link")
	}
	wantStatus(t, "resend to someone not on the jury", manager.post(fmt.Sprintf("/jury/%d/resend?edition=%d", id+1000, ed.ID), nil), http.StatusNotFound)

	revoke := fmt.Sprintf("/jury/%d/revoke?edition=%d", id, ed.ID)
	form := manager.get(revoke + "&post=evaluator")
	wantStatus(t, "revoke page", form, http.StatusOK)
	if !strings.Contains(form.body, "Back to the jury") || !strings.Contains(form.body, "Eun-ji Evaluator will no longer hold the role") {
		t.Fatalf("revoke page:\n%s", form.body)
	}
	wantStatus(t, "revoking a role not held", manager.get(revoke+"&post=council"), http.StatusNotFound)
	wantStatus(t, "revoke without a reason", manager.post(revoke, url.Values{"role": {"evaluator"}, "reason": {" "}}), http.StatusUnprocessableEntity)
	wantStatus(t, "revoke", manager.post(revoke, url.Values{"role": {"evaluator"}, "reason": {"Conflict of interest with an applicant"}}), http.StatusSeeOther)
	if after := manager.get(jury); strings.Contains(after.body, "Eun-ji Evaluator") || !strings.Contains(after.body, "Revoked the role Evaluator") {
		t.Fatalf("after the revocation:\n%s", after.body)
	}

	// An existing account made chair gets the council role; made chair again, only the chair is
	// said to change.
	for _, want := range []string{"the roles were added and the person was told by email. They now chair the Prize Council.",
		"evan@example.org now chairs the Prize Council."} {
		wantStatus(t, "chair", manager.post(jury, url.Values{"name": {"Evan"}, "email": {"evan@example.org"}, "post": {"chair"}}), http.StatusSeeOther)
		if page := manager.get(jury); !strings.Contains(page.body, want) || !strings.Contains(page.body, "Chair of the Prize Council") {
			t.Fatalf("after appointing the chair, want %q:\n%s", want, page.body)
		}
	}
}

// TestJuryDeputies: a manager names a deputy chair of the Prize Council on the jury page; the
// jury lists the post, and the chair cannot be named their own deputy (the form says why).
func TestJuryDeputies(t *testing.T) {
	t.Parallel()
	e := newTwoFactorEnv(t)
	manager, _ := e.adminSignIn(t, "mia", "manager")
	ed := e.edition(t, "seoul-2023")
	jury := fmt.Sprintf("/jury?edition=%d", ed.ID)
	wantStatus(t, "the chair", manager.post(jury, url.Values{"name": {"Cho Chair"}, "email": {"cho@seoul.example"}, "post": {"chair"}}), http.StatusSeeOther)
	own := manager.post(jury, url.Values{"name": {"Cho Chair"}, "email": {"cho@seoul.example"}, "post": {"deputy_chair"}})
	wantStatus(t, "the chair as their own deputy", own, http.StatusUnprocessableEntity)
	if !strings.Contains(own.body, "The deputy cannot be the head or the chair themselves") {
		t.Fatalf("the refusal:\n%s", own.body)
	}
	wantStatus(t, "the deputy chair", manager.post(jury, url.Values{"name": {"Dae Deputy"}, "email": {"dae@seoul.example"}, "post": {"deputy_chair"}}), http.StatusSeeOther)
	if page := manager.get(jury); !strings.Contains(page.body, "Revoke<span class=\"visually-hidden\"> Deputy chair of the Prize Council of Dae Deputy</span>") {
		t.Fatalf("the jury does not list the deputy chair:\n%s", page.body)
	}
}
