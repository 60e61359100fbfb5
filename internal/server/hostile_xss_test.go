package server_test

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"prizeportal/internal/application"
	"prizeportal/internal/blocks/form"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/scoring"
	"prizeportal/web/views"
)

// xss is the hostile text typed into every text field: a script, an attribute breakout and an
// image with an event handler.
const xss = `<script>alert(1)</script>"'><img src=x onerror=alert(1)>`

// xssEscaped is how the pages must show it: the markup escaped (templ writes &lt; &gt; &#34;
// &#39;), never as markup.
var xssEscaped = []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(1)&gt;"}

// xssRaw are pieces that must never reach a page unescaped.
var xssRaw = []string{"<script>alert(1)", "<img src=x onerror", `"'><img`, "'><img"}

// wantEscaped fails when the page shows the hostile text as markup, and when (shown is true) it
// does not show it escaped, which would mean the page no longer displays the field at all.
func wantEscaped(t *testing.T, what string, r reply, shown bool) {
	t.Helper()
	if r.status != 200 && r.status != 422 {
		t.Errorf("%s: status %d", what, r.status)
		return
	}
	for _, raw := range xssRaw {
		if strings.Contains(r.body, raw) {
			i := strings.Index(r.body, raw)
			t.Errorf("%s: the page holds %q unescaped: …%s…", what, raw, r.body[max(0, i-200):min(len(r.body), i+100)])
		}
	}
	if shown {
		for _, esc := range xssEscaped {
			if !strings.Contains(r.body, esc) {
				t.Errorf("%s: the page does not show the text escaped (%q missing)", what, esc)
			}
		}
	}
}

// wantSaved fails unless a form post was accepted (a redirect).
func wantSaved(t *testing.T, what string, r reply) {
	t.Helper()
	if r.status != 303 {
		t.Fatalf("%s: %d, want 303\n%.3000s", what, r.status, r.body)
	}
}

// TestHostileScriptIsEscaped types a script into every text field of a representative set of
// forms (registration, every text question type of the application, nomination details,
// endorsement, recommendation letter, invitation, conflict registry and declarations, screening
// notes, clarification question and answer, special mention, score sheet comments) and opens the
// pages that show them, to the owner and to staff: the text is always shown escaped.
func TestHostileScriptIsEscaped(t *testing.T) {
	t.Parallel()
	t.Run("applications", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, nil, "seoul-2023")
		ctx := context.Background()
		admin := e.signedInClient(t, matrixUser(t, e, "adm", "admin"))
		sec := e.signedInClient(t, matrixUser(t, e, "sec", "secretariat"))

		// Registration: the name, organisation, city and phone appear on the account's pages
		// and the admin's.
		reg := registration("xss-user", "xss@example.org")
		for _, f := range []string{"name", "organisation", "city"} {
			reg.Set(f, xss)
		}
		wantSaved(t, "register", e.signedInClient(t, 0).post("/register", reg))
		var uid int64
		if err := e.pool.QueryRow(ctx, `SELECT id FROM users WHERE login_id = 'xss-user'`).Scan(&uid); err != nil {
			t.Fatal(err)
		}
		u := e.signedInClient(t, uid)
		wantEscaped(t, "dashboard", u.get("/dashboard"), true)
		wantEscaped(t, "personal data", u.get("/account/data"), true)
		wantEscaped(t, "admin: the user", admin.get(fmt.Sprintf("/admin/users/%d", uid)), true)
		wantEscaped(t, "admin: users", admin.get("/admin/users?q=xss"), true)
		wantEscaped(t, "registration refused (typed text shown again)", e.signedInClient(t, 0).post("/register", reg), true)

		// Every text question of the project application: short and long texts, the "other"
		// details, and every text cell of the tables.
		kim, c := signedInApplicant(t, e, "kim")
		ed := e.edition(t, "seoul-2023")
		cat, _ := ed.Category("tech-innovacity")
		version := 0
		for _, sec := range cat.Form.Sections {
			v := url.Values{"version": {strconv.Itoa(version)}, "action": {"save"}}
			n := 0
			for _, q := range sec.Questions {
				switch q.Type {
				case form.ShortText, form.LongText:
					v.Set(q.FieldName(), xss)
					n++
				case form.Table:
					for _, col := range q.Columns {
						if col.Type == form.ShortText || col.Type == "" {
							v.Set(form.CellName(q.Key, 1, col.Key), xss)
							n++
						}
					}
				}
			}
			if n == 0 {
				continue
			}
			r := c.postMultipart("/application/sections/"+sec.Key, v)
			if r.status != 303 && r.status != 422 {
				t.Fatalf("section %s: %d\n%.2000s", sec.Key, r.status, r.body)
			}
			if r.status == 422 {
				wantEscaped(t, "section "+sec.Key+" (answer)", r, true)
			}
			version++
			wantEscaped(t, "section "+sec.Key, c.get("/application/sections/"+sec.Key), true)
		}
		wantEscaped(t, "review", c.get("/application/review"), true)
		wantEscaped(t, "overview", c.get("/application"), true)
		a := storedApplication(t, e, kim)
		if _, err := application.Submit(ctx, e.pool, a, a.Version, a.Answers, fixedNow); err != nil {
			t.Fatal(err)
		}
		entry := fmt.Sprintf("/secretariat/screening/%d", a.ID)
		wantEscaped(t, "secretariat: the entry", sec.get(entry), true)
		wantEscaped(t, "secretariat: applications", sec.get("/secretariat/applications"), true)
		wantEscaped(t, "secretariat: the queue", sec.get("/secretariat/screening"), true)
		wantEscaped(t, "application status", c.get("/application/status"), true)

		// Screening notes and the secretariat's question to the applicant.
		wantSaved(t, "screening decision", sec.post(entry+"/decision", url.Values{"decision": {"ineligible"}, "reason": {"other"},
			"reason_text": {xss}, "ask_review": {"yes"}, "review_note": {xss}}))
		wantEscaped(t, "secretariat: the entry with its decision", sec.get(entry), true)
		wantEscaped(t, "secretariat: the entry's history", sec.get(entry+"/history"), true)

		// Invitations and the conflict-of-interest registry.
		wantSaved(t, "invitation", sec.post("/secretariat/invitations", url.Values{"email": {"inv@example.org"}, "name": {xss},
			"organisation": {xss}, "entity_type": {"city"}, "category": {"tech-innovacity"}, "message": {xss}}))
		wantEscaped(t, "secretariat: invitations", sec.get("/secretariat/invitations"), true)
		edq := "?edition=" + strconv.FormatInt(ed.ID, 10)
		wantSaved(t, "conflict registry", sec.post("/secretariat/conflicts"+edq, url.Values{"name": {xss}, "aliases": {xss}, "note": {xss}}))
		wantEscaped(t, "secretariat: conflicts", sec.get("/secretariat/conflicts"+edq), true)
		var orgID int64
		if err := e.pool.QueryRow(ctx, `SELECT id FROM conflict_organisations ORDER BY id DESC LIMIT 1`).Scan(&orgID); err == nil {
			wantEscaped(t, "secretariat: the registered organisation", sec.get(fmt.Sprintf("/secretariat/conflicts/%d%s", orgID, edq)), true)
		}
		ev := e.signedInClient(t, matrixUser(t, e, "ev", "evaluator"))
		r := ev.post("/evaluator/declarations"+edq, url.Values{"action": {"organisation"}, "organisation_name": {xss},
			"organisation_aliases": {xss}, "organisation_note": {xss}})
		if r.status != 303 && r.status != 422 {
			t.Fatalf("declaration: %d", r.status)
		}
		wantEscaped(t, "evaluator: declarations", ev.get("/evaluator/declarations"+edq), true)

		// Context data: a city and a source in an imported CSV file.
		quoted := `"` + strings.ReplaceAll(xss, `"`, `""`) + `"`
		csv := "country,city,indicator,value,unit,year,source\nKR," + quoted + ",population,9411260,people,2022," + quoted + "\n"
		r = sec.postMultipart("/secretariat/context"+edq, nil, upload{"file", "context.csv", []byte(csv)})
		wantSaved(t, "context data", r)
		wantEscaped(t, "secretariat: context data", sec.get("/secretariat/context"+edq), true)

		// A special mention, on the secretariat's pages.
		if len(ed.SpecialMentions.Awards) > 0 {
			r := sec.post("/secretariat/special-mentions"+edq, url.Values{"award": {ed.SpecialMentions.Awards[0].Name}, "name": {xss},
				"city": {xss}, "country": {"KR"}, "partner": {xss}, "citation": {xss}})
			if r.status != 303 && r.status != 422 {
				t.Fatalf("special mention: %d\n%.2000s", r.status, r.body)
			}
			if r.status == 422 {
				wantEscaped(t, "special mention form", r, true)
			}
			wantEscaped(t, "secretariat: special mentions", sec.get("/secretariat/special-mentions"+edq), r.status == 303)
		}
	})

	t.Run("nominations", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, nil, "seoul-2023")
		sec := e.signedInClient(t, matrixUser(t, e, "sec", "secretariat"))
		owner := nominatorUser(t, e, "nom", true)
		id := newNomination(t, e, owner, thirdPartyDetails("lee"))
		c := e.signedInClient(t, owner)
		home := "/nominations/" + strconv.FormatInt(id, 10)
		wantSaved(t, "details", c.post(home+"/details", url.Values{"nominator_category": {"smart-city-professional"},
			"nominator_organisation": {xss}, "candidate_name": {xss}, "candidate_email": {"lee@example.org"},
			"candidate_organisation": {xss}, "candidate_position": {xss}, "candidate_city": {xss}, "candidate_country": {"KR"}}))
		wantEscaped(t, "nomination", c.get(home), true)
		wantEscaped(t, "nomination details", c.get(home+"/details"), true)
		wantEscaped(t, "nominations", c.get("/nominations"), true)
		wantEscaped(t, "secretariat: the nomination", sec.get(fmt.Sprintf("/secretariat/nominations/%d", id)), true)

		// A citizen's endorsement, on the secretariat's list.
		page := enOpen(t, e, owner, id)
		wantEscaped(t, "endorsement page", e.signedInClient(t, 0).get(page), true)
		sig := enSignature(xss, "citizen@example.org")
		sig.Set("city", xss)
		if r := e.signedInClient(t, 0).post(page, sig); r.status != 200 && r.status != 303 {
			t.Fatalf("endorse: %d", r.status)
		}
		dbtest.Exec(t, e.pool, `UPDATE endorsements SET confirmed_at = now()`)
		wantEscaped(t, "secretariat: endorsements", sec.get(fmt.Sprintf("/secretariat/nominations/%d/endorsements", id)), true)

		// The recommendation letter: invited by the nominator, written by the recommender.
		wantSaved(t, "letter invitation", c.post(home+"/letter", url.Values{"name": {xss}, "email": {"park@wego.example"}, "organisation": {xss}}))
		wantEscaped(t, "letter status", c.get(home+"/letter"), true)
		link := e.lastLink(t, "park@wego.example", "recommendation-letter-invite")
		rec := e.client(t)
		wantEscaped(t, "recommender's page", rec.get(link), true)
		r := rec.postMultipart(link, url.Values{"name": {xss}, "title": {xss}, "organisation": {xss},
			"category": {"civil-society-head"}, "letter_text": {xss}})
		if r.status != 200 || !strings.Contains(r.body, "Thank you") {
			t.Fatalf("letter: %d", r.status)
		}
		wantEscaped(t, "letter's thank-you page", r, false)
		wantEscaped(t, "secretariat: the letter", sec.get(fmt.Sprintf("/secretariat/nominations/%d/letter", id)), true)
	})

	t.Run("clarifications", func(t *testing.T) {
		t.Parallel()
		c := newClarEnv(t, roundOneNow)
		c.ask(t, xss, "2023-06-20T18:00")
		var id int64
		if err := c.pool.QueryRow(context.Background(), `SELECT id FROM clarifications ORDER BY id DESC LIMIT 1`).Scan(&id); err != nil {
			t.Fatal(err)
		}
		page := fmt.Sprintf("/clarifications/%d", id)
		wantEscaped(t, "applicant: the question", c.kimClient.get(page), true)
		wantEscaped(t, "applicant: clarifications", c.kimClient.get("/clarifications"), false)
		r := c.kimClient.postMultipart(page, url.Values{"answer": {xss}})
		if r.status != 303 {
			t.Fatalf("answer: %d\n%.2000s", r.status, r.body)
		}
		wantEscaped(t, "secretariat: the thread", c.secClient.get(c.clarPath()), true)
		wantEscaped(t, "applicant: the answered question", c.kimClient.get(page), true)
	})

	t.Run("council", func(t *testing.T) {
		t.Parallel()
		// A council member's conflict, stated to abstain on a semi-finalist.
		b := newBallotWorld(t, votingDay, 3, 3)
		v := b.ranks(0, 1, 2)
		v.Set(fmt.Sprintf("conflict-%d", b.entries[0]), xss)
		c := b.e.signedInClient(t, b.members[1])
		wantSaved(t, "ballot", c.post(b.url(""), v))
		wantEscaped(t, "council member: the ballot", c.get(b.url("")), true)

		// The reason an award is invalidated, on the awards page.
		w := newAwardWorld(t, awardsDay)
		head := w.e.signedInClient(t, w.head)
		wantSaved(t, "invalidation", head.post(fmt.Sprintf("/awards/%d/invalidate?edition=%d", w.awards[1], w.edID),
			url.Values{fmt.Sprintf("reason-%d", w.awards[1]): {xss}}))
		wantEscaped(t, "awards", w.e.signedInClient(t, w.secretariat).get(w.awardsURL()), true)
		wantEscaped(t, "awards (head)", head.get(w.awardsURL()), true)
	})

	t.Run("scoring", func(t *testing.T) {
		t.Parallel()
		s := newScoringEnv(t, 1)
		ev := matrixUser(t, s.env, "ev", "evaluator")
		s.exec(t, `INSERT INTO evaluator_categories (user_id, category_id) VALUES ($1, $2)`, ev, s.tech.ID)
		s.assign(t, ev, s.apps[0])
		c := s.signedInClient(t, ev)
		href := views.ScoringHref(s.apps[0])
		wantSaved(t, "declare", c.post(href+"/declare", url.Values{}))
		v := s.sheetValues(1, 3)
		v.Set("overall", xss)
		for _, cr := range s.tech.Criteria {
			v.Set(scoring.CommentField(cr.Key), xss)
		}
		r := c.post(href, v)
		if r.status != 303 {
			t.Fatalf("save the sheet: %d\n%.2000s", r.status, r.body)
		}
		wantEscaped(t, "evaluator: the sheet", c.get(href), true)
		if r := c.post(href+"/recuse", url.Values{"reason": {xss}}); r.status == 422 {
			wantEscaped(t, "recusal", r, true)
		}
	})
}
