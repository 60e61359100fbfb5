package server_test

import (
	"prizeportal/internal/db/dbtest"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestEndorsementVariantsCountOnce: a citizen who signs as name+tag@domain after confirming as
// name@domain is not counted twice, through the real pages.
func TestEndorsementVariantsCountOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	ana, id, public := openEndorsements(t, e)
	c := e.client(t)
	for _, addr := range []string{"lee@mail.example", "lee+prize@mail.example"} {
		if r := c.post(public, enSignature("Lee", addr)); r.status != 200 {
			t.Fatalf("sign as %s: %d", addr, r.status)
		}
		if link := e.lastLinkOrEmpty(t, addr, "endorsement-confirm"); link != "" {
			c.post(link, nil)
		}
	}
	nom := e.signedInClient(t, ana)
	page := nom.get("/nominations/" + strconv.FormatInt(id, 10) + "/endorsements")
	if !strings.Contains(page.body, "<dd>1</dd>") {
		t.Fatalf("one citizen with two forms of one address must count once:\n%s", page.body)
	}
}

// TestSecretariatSeesEndorsementBursts: the secretariat's list of a nomination's endorsements
// shows many signatures from one domain within a short time, and repeated signatures from one
// address (in its different forms).
func TestSecretariatSeesEndorsementBursts(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	_, id, public := openEndorsements(t, e)
	// Twelve signatures from one domain within twenty minutes, and a few spread-out ones.
	dbtest.Exec(t, e.pool, `
		INSERT INTO endorsements (application_id, name, city, country, email, email_norm, created_at, confirmed_at)
		SELECT $1, 'Bot ' || i, 'Seoul', 'KR', 'bot' || i || '@burst.example', 'bot' || i || '@burst.example',
		       $2::timestamptz + i * interval '100 seconds', $2::timestamptz + i * interval '100 seconds'
		FROM generate_series(1, 12) i`, id, fixedNow.Add(-48*time.Hour))
	dbtest.Exec(t, e.pool, `
		INSERT INTO endorsements (application_id, name, city, country, email, email_norm, created_at)
		SELECT $1, 'Calm ' || i, 'Seoul', 'KR', 'calm' || i || '@quiet.example', 'calm' || i || '@quiet.example',
		       $2::timestamptz + i * interval '1 day'
		FROM generate_series(1, 5) i`, id, fixedNow.Add(-10*24*time.Hour))
	// One person signs three times with three forms of one address.
	c := e.client(t)
	for _, addr := range []string{"Cho@Mail.example", "cho+1@mail.example", "cho+2@mail.example"} {
		if r := c.post(public, enSignature("Cho", addr)); r.status != 200 {
			t.Fatalf("sign as %s: %d", addr, r.status)
		}
	}
	staff := e.signedInClient(t, matrixUser(t, e, "sec", "secretariat"))
	r := staff.get("/secretariat/nominations/" + strconv.FormatInt(id, 10) + "/endorsements")
	if r.status != 200 {
		t.Fatalf("secretariat list: %d", r.status)
	}
	i := strings.Index(r.body, "Unusual patterns")
	if i < 0 {
		t.Fatalf("no section on unusual patterns:\n%s", r.body)
	}
	section := r.body[i:]
	if j := strings.Index(section, "<h2>Signatures"); j >= 0 {
		section = section[:j]
	}
	for _, want := range []string{"burst.example", ">12<", "cho@mail.example", ">3<"} {
		if !strings.Contains(section, want) {
			t.Fatalf("the unusual patterns lack %q:\n%s", want, section)
		}
	}
	if strings.Contains(section, "quiet.example") {
		t.Fatalf("spread-out signatures listed as a burst:\n%s", section)
	}
}

// lastLinkOrEmpty is the path of the link in the last email of kind to addr, or "" for none.
func (e *env) lastLinkOrEmpty(t *testing.T, addr, kind string) string {
	t.Helper()
	n := dbtest.Count(t, e.pool, `SELECT count(*) FROM email_outbox WHERE to_address = $1 AND kind = $2`, addr, kind)
	if n == 0 {
		return ""
	}
	return e.lastLink(t, addr, kind)
}
