package edition_test

import (
	"errors"
	"testing"
	"time"

	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition"
)

// TestEditionAttendanceDeadline: the voting block's attendance_deadline (DOMAIN.md "Round 3"), one
// week before the ceremony by default, a date alone meaning the end of that day; validated
// against the schedule with key paths.
func TestEditionAttendanceDeadline(t *testing.T) {
	t.Parallel()
	src := string(builtin(t, "seoul-2023"))
	seoul, _ := time.LoadLocation("Asia/Seoul")
	_, e := mustResolve(t, []byte(src))
	if want := time.Date(2023, 9, 17, 0, 0, 0, 0, seoul); !e.AttendanceDeadline().Equal(want) || !e.Voting.AttendanceDeadline.IsZero() {
		t.Errorf("default deadline %v (stored %v), want %v", e.AttendanceDeadline(), e.Voting.AttendanceDeadline, want)
	}
	_, e = mustResolve(t, []byte(edit(t, src, votingBlock, "voting:\n  method: schulze\n  attendance_deadline: 2023-09-01 18:00\n")))
	if want := time.Date(2023, 9, 1, 18, 0, 0, 0, seoul); !e.AttendanceDeadline().Equal(want) {
		t.Errorf("set deadline %v, want %v", e.AttendanceDeadline(), want)
	}
	_, e = mustResolve(t, []byte(edit(t, src, votingBlock, "voting:\n  attendance_deadline: 2023-09-01\n")))
	if want := time.Date(2023, 9, 2, 0, 0, 0, 0, seoul); !e.AttendanceDeadline().Equal(want) {
		t.Errorf("date deadline %v, want the end of the day %v", e.AttendanceDeadline(), want)
	}
	for _, block := range []string{
		"voting:\n  attendance_deadline: soon\n",
		"voting:\n  attendance_deadline: 2023-07-20\n",
		"voting:\n  attendance_deadline: 2023-09-30\n",
	} {
		_, err := edition.Parse([]byte(edit(t, src, votingBlock, block)))
		var ve *edition.ValidationError
		if !errors.As(err, &ve) || !ve.Has("voting.attendance_deadline") {
			t.Errorf("%q: error %v, want a problem at voting.attendance_deadline", block, err)
		}
	}
}

func TestEditionAttendanceDeadlineStored(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	src := edit(t, string(builtin(t, "seoul-2023")), votingBlock, "voting:\n  attendance_deadline: 2023-09-01 18:00\n")
	e := importSource(t, pool, src)
	seoul, _ := time.LoadLocation("Asia/Seoul")
	if want := time.Date(2023, 9, 1, 18, 0, 0, 0, seoul); !e.AttendanceDeadline().Equal(want) || e.Voting.Method != edition.VotingSchulze {
		t.Errorf("stored deadline %v (%+v), want %v", e.AttendanceDeadline(), e.Voting, want)
	}
}
