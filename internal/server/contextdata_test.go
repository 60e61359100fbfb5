package server_test

import (
	"context"
	"fmt"
	"html"
	"net/url"
	"prizeportal/internal/db/dbtest"
	"strings"
	"testing"
)

const contextHeader = "country,city,indicator,value,unit,year,source\n"

// contextGood is a file without problems: three indicators, one at city level.
const contextGood = contextHeader +
	"KR,,population,51628117,people,2022,World Bank WDI\n" +
	"KR,Seoul,population,9411260,people,2022,Statistics Korea\n" +
	"NP,,internet_use,51.6,% of population,2021,\"ITU, World Telecommunication Indicators\"\n" +
	"NP,,gdp_per_capita,1336.5,USD,2022,World Bank WDI\n"

// contextSecretariat is seoul-2023 with a secretariat member signed in: the edition's id, the
// member's id and client, and the edition's context data page.
func contextSecretariat(t *testing.T, e *env) (edID, staff int64, sec *client, page string) {
	t.Helper()
	if err := e.pool.QueryRow(context.Background(), `SELECT id FROM editions WHERE slug = 'seoul-2023'`).Scan(&edID); err != nil {
		t.Fatal(err)
	}
	staff = matrixUser(t, e, "sec", "secretariat")
	return edID, staff, e.signedInClient(t, staff), fmt.Sprintf("/secretariat/context?edition=%d", edID)
}

func contextCount(t *testing.T, e *env, query string, args ...any) int {
	t.Helper()
	return dbtest.Count(t, e.pool, query, args...)
}

// TestContextImport: a file with problems is refused whole, every problem listed by line on the
// page; the corrected file is imported in one go with its audit entry; importing again replaces.
func TestContextImport(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	edID, staff, sec, page := contextSecretariat(t, e)

	r := sec.get("/secretariat/context")
	if r.status != 200 {
		t.Fatalf("page: %d\n%s", r.status, r.body)
	}
	for _, want := range []string{"Context data, ", "No context data has been imported", "gdp_per_capita", "5 MB", "50,000",
		`enctype="multipart/form-data"`, `action="` + html.EscapeString(page) + `"`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("page lacks %q", want)
		}
	}

	bad := contextHeader +
		"KR,,population,51628117,people,2022,World Bank WDI\n" +
		"XX,,population,1,people,2022,World Bank WDI\n" +
		"NP,,internet_use,\"51,6\",%,2021,ITU\n" +
		"NP,,gdp_per_capita,1336.5,USD,22,\n"
	r = sec.postMultipart(page, nil, upload{"file", "context.csv", []byte(bad)})
	if r.status != 422 {
		t.Fatalf("file with problems: %d\n%s", r.status, r.body)
	}
	body := html.UnescapeString(r.body)
	for _, want := range []string{
		"The file has 4 problems, so nothing was imported.",
		"Problems in context.csv",
		`line 3: country "XX" is not an ISO 3166-1 alpha-2 code`,
		`line 4: value "51,6" is not a number`,
		`line 5: year "22" is not a year of four digits`,
		`line 5: the source is missing`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("refused file: page lacks %q", want)
		}
	}
	if n := contextCount(t, e, `SELECT count(*) FROM context_data`); n != 0 {
		t.Errorf("%d rows imported from a file with problems", n)
	}

	r = sec.postMultipart(page, nil, upload{"file", "context.csv", []byte("\uFEFF" + contextGood)})
	if r.status != 303 || r.location != page {
		t.Fatalf("good file: %d %q\n%s", r.status, r.location, r.body)
	}
	if n := contextCount(t, e, `SELECT count(*) FROM context_data WHERE edition_id = $1 AND imported_by = $2`, edID, staff); n != 4 {
		t.Errorf("%d rows imported, want 4", n)
	}
	var details string
	if err := e.pool.QueryRow(context.Background(), `
		SELECT details::text FROM audit_log WHERE action = 'contextdata.import' AND actor_id = $1
		AND object_type = 'edition' AND object_id = $2`, staff, fmt.Sprint(edID)).Scan(&details); err != nil {
		t.Fatalf("audit entry: %v", err)
	}
	for _, want := range []string{`"file": "context.csv"`, `"rows": 4`, `"inserted": 4`, `"replaced": 0`, `"indicators": 3`} {
		if !strings.Contains(details, want) {
			t.Errorf("audit details %s lack %s", details, want)
		}
	}
	r = sec.get(page)
	body = html.UnescapeString(r.body)
	for _, want := range []string{
		"Imported context.csv: 4 values, 4 new and 0 replacing earlier ones.",
		"4 values of 3 indicators for 2 countries and 1 city.",
		"ITU, World Telecommunication Indicators",
		"Statistics Korea; World Bank WDI",
		"by sec",
		"Delete all context data",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page after the import lacks %q", want)
		}
	}

	// Again, with one value changed and one new: two replaced, one inserted.
	r = sec.postMultipart(page, nil, upload{"file", "update.CSV", []byte(contextHeader +
		"KR,SEOUL,population,9400000,people,2022,Statistics Korea\n" +
		"KR,,population,51628117,people,2022,World Bank WDI\n" +
		"KR,,population,51700000,people,2023,World Bank WDI\n")})
	if r.status != 303 {
		t.Fatalf("re-import: %d\n%s", r.status, r.body)
	}
	if n := contextCount(t, e, `SELECT count(*) FROM context_data`); n != 5 {
		t.Errorf("%d rows after the re-import, want 5", n)
	}
	if r := sec.get(page); !strings.Contains(r.body, "Imported update.CSV: 3 values, 1 new and 2 replacing earlier ones.") {
		t.Errorf("re-import flash missing\n%s", r.body)
	}
}

// TestContextUploadProblems: the upload as a whole is refused when it carries no file, more
// than one, something other than a CSV file, or a file over the size limit.
func TestContextUploadProblems(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	sec := e.signedInClient(t, matrixUser(t, e, "sec", "secretariat"))
	big := contextHeader + strings.Repeat("KR,,population,51628117,people,2022,World Bank World Development Indicators\n", 5<<20/70)
	for _, c := range []struct {
		name    string
		uploads []upload
		want    string
	}{
		{"no file", nil, "Choose a CSV file to upload."},
		{"an empty choice", []upload{{"file", "", nil}}, "Choose a CSV file to upload."},
		{"two files", []upload{{"file", "a.csv", []byte(contextGood)}, {"file", "b.csv", []byte(contextGood)}}, "Upload one file at a time."},
		{"a PDF", []upload{{"file", "data.pdf", []byte("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")}}, `The file "data.pdf" is not a CSV file.`},
		{"binary named .csv", []upload{{"file", "data.csv", []byte("PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00")}}, `The file "data.csv" is not a CSV file.`},
		{"UTF-16", []upload{{"file", "unicode.csv", []byte("\xff\xfec\x00o\x00u\x00n\x00t\x00r\x00y\x00")}}, `The file "unicode.csv" is not a CSV file.`},
		{"too large", []upload{{"file", "big.csv", []byte(big)}}, "The file is larger than 5 MB."},
		{"not UTF-8", []upload{{"file", "latin1.csv", []byte(contextHeader + "BR,S\xe3o Paulo,population,1,,2022,IBGE\n")}}, `line 2: the line is not UTF-8 text`},
	} {
		r := sec.postMultipart("/secretariat/context", nil, c.uploads...)
		if r.status != 422 || !strings.Contains(html.UnescapeString(r.body), c.want) {
			t.Errorf("%s: status %d, want 422 with %q", c.name, r.status, c.want)
		}
	}
	// Many problems: the first 500 are listed and the rest counted.
	var many strings.Builder
	many.WriteString(contextHeader)
	for i := range 600 {
		fmt.Fprintf(&many, "XX,,indicator_%d,1,,2022,WB\n", i)
	}
	r := sec.postMultipart("/secretariat/context", nil, upload{"file", "many.csv", []byte(many.String())})
	body := html.UnescapeString(r.body)
	if r.status != 422 || !strings.Contains(body, "The file has 600 problems") || !strings.Contains(body, "line 501: country") ||
		strings.Contains(body, "line 502: country") || !strings.Contains(body, "… and 100 more problems after these.") {
		t.Errorf("many problems: status %d\n%s", r.status, body)
	}
	// More rows than the limit.
	var long strings.Builder
	long.WriteString(contextHeader)
	for i := range 50_001 {
		fmt.Fprintf(&long, "KR,,i%d,1,,2022,WB\n", i)
	}
	r = sec.postMultipart("/secretariat/context", nil, upload{"file", "long.csv", []byte(long.String())})
	if r.status != 422 || !strings.Contains(r.body, "line 50002: the file has more than 50,000 data rows.") {
		t.Errorf("too many rows: status %d", r.status)
	}
	// A plain form post (not multipart) is refused the same way.
	if r := sec.post("/secretariat/context", url.Values{"file": {"x"}}); r.status != 422 {
		t.Errorf("urlencoded post: %d", r.status)
	}
	if n := contextCount(t, e, `SELECT count(*) FROM context_data`); n != 0 {
		t.Errorf("%d rows imported", n)
	}
}

// TestContextClear: deleting needs the confirmation, deletes the edition's data and is audited.
func TestContextClear(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	edID, staff, sec, page := contextSecretariat(t, e)
	if r := sec.postMultipart(page, nil, upload{"file", "context.csv", []byte(contextGood)}); r.status != 303 {
		t.Fatalf("import: %d", r.status)
	}
	clear := fmt.Sprintf("/secretariat/context/clear?edition=%d", edID)
	r := sec.post(clear, url.Values{})
	if r.status != 422 || !strings.Contains(r.body, "Tick the box to confirm") {
		t.Fatalf("unconfirmed: %d\n%s", r.status, r.body)
	}
	if n := contextCount(t, e, `SELECT count(*) FROM context_data`); n != 4 {
		t.Errorf("unconfirmed delete left %d rows, want 4", n)
	}
	if r := sec.post(clear, url.Values{"confirm": {"yes"}}); r.status != 303 || r.location != page {
		t.Fatalf("confirmed: %d %q", r.status, r.location)
	}
	if n := contextCount(t, e, `SELECT count(*) FROM context_data`); n != 0 {
		t.Errorf("%d rows left", n)
	}
	if n := contextCount(t, e, `SELECT count(*) FROM audit_log WHERE action = 'contextdata.clear' AND actor_id = $1 AND details->>'rows' = '4'`, staff); n != 1 {
		t.Errorf("%d audit entries for the delete", n)
	}
	if r := sec.get(page); !strings.Contains(r.body, "Deleted the context data of") || !strings.Contains(r.body, "No context data has been imported") {
		t.Errorf("page after the delete\n%s", r.body)
	}
}

// TestContextForbidden: other roles are refused, and so is an edition the secretariat member
// does not serve.
func TestContextForbidden(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	for _, role := range []string{"admin", "evaluator", "council", "applicant", "nominator"} {
		c := e.signedInClient(t, matrixUser(t, e, role+"-user", role))
		if r := c.get("/secretariat/context"); r.status != 403 {
			t.Errorf("%s: GET status %d, want 403", role, r.status)
		}
		if r := c.postMultipart("/secretariat/context", nil, upload{"file", "context.csv", []byte(contextGood)}); r.status != 403 {
			t.Errorf("%s: POST status %d, want 403", role, r.status)
		}
		if r := c.post("/secretariat/context/clear", url.Values{"confirm": {"yes"}}); r.status != 403 {
			t.Errorf("%s: clear status %d, want 403", role, r.status)
		}
	}
	sec := e.signedInClient(t, matrixUser(t, e, "sec", "secretariat"))
	if r := sec.get("/secretariat/context?edition=999999"); r.status != 403 {
		t.Errorf("another edition: GET status %d, want 403", r.status)
	}
	if r := sec.postMultipart("/secretariat/context?edition=999999", nil, upload{"file", "context.csv", []byte(contextGood)}); r.status != 403 {
		t.Errorf("another edition: POST status %d, want 403", r.status)
	}
	if n := contextCount(t, e, `SELECT count(*) FROM context_data`); n != 0 {
		t.Errorf("%d rows imported", n)
	}
}
