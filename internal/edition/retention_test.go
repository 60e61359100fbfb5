package edition_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition"
)

const retentionLine = "retention_years: 5\n"

// TestRetentionYears: the edition's retention period of personal data is 5 years unless the
// definition says otherwise, from 1 to 100, and is stored with the edition.
func TestRetentionYears(t *testing.T) {
	t.Parallel()
	src := string(builtin(t, "seoul-2023"))
	_, e := mustResolve(t, []byte(src))
	if e.RetentionYears != 5 {
		t.Errorf("seoul-2023 retention = %d", e.RetentionYears)
	}
	_, e = mustResolve(t, []byte(edit(t, src, retentionLine, "")))
	if e.RetentionYears != edition.DefaultRetentionYears {
		t.Errorf("default retention = %d", e.RetentionYears)
	}
	if want := e.Schedule.WinnersAnnounced.AddDate(5, 0, 0); !e.RetentionEnd().Equal(want) {
		t.Errorf("RetentionEnd = %v, want %v", e.RetentionEnd(), want)
	}
	for _, bad := range []string{"retention_years: 0\n", "retention_years: 101\n", "retention_years: -2\n", "retention_years: five\n"} {
		_, err := edition.Parse([]byte(edit(t, src, retentionLine, bad)))
		var ve *edition.ValidationError
		if !errors.As(err, &ve) || !ve.Has("retention_years") {
			t.Errorf("%q: error %v, want a problem at retention_years", bad, err)
		}
	}

	pool := dbtest.New(t)
	ctx := context.Background()
	res, err := edition.Import(ctx, pool, parse(t, []byte(edit(t, src, retentionLine, "retention_years: 2\n"))))
	if err != nil {
		t.Fatal(err)
	}
	e, err = edition.ByID(ctx, pool, res.EditionID)
	if err != nil || e.RetentionYears != 2 {
		t.Fatalf("stored retention = %d, %v", e.RetentionYears, err)
	}
	if got := e.RetentionEnd().Sub(e.Schedule.WinnersAnnounced); got < 2*365*24*time.Hour {
		t.Errorf("RetentionEnd is %v after the announcement", got)
	}
}
