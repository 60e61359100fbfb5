package emails

import (
	"testing"
	"time"
)

func TestTimesNameTheZone(t *testing.T) {
	seoul, err := time.LoadLocation("Asia/Seoul")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	midnight := time.Date(2023, 6, 8, 0, 0, 0, 0, seoul)
	for _, c := range []struct{ got, want string }{
		{Instant(midnight, seoul), "8 June 2023"},
		{Instant(midnight.Add(90*time.Minute), seoul), "8 June 2023, 01:30 KST"},
		{Deadline(midnight, seoul), "8 June 2023, 00:00 KST"},
		{End(midnight, seoul), "7 June 2023, 23:59 KST (Asia/Seoul time)"},
		{End(midnight.Add(time.Hour), seoul), "8 June 2023, 01:00 KST (Asia/Seoul time)"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
