package timefmt_test

import (
	"testing"
	"time"

	"prizeportal/internal/blocks/timefmt"
)

func TestUTCAndSeconds(t *testing.T) {
	seoul := time.FixedZone("KST", 9*3600)
	at := time.Date(2023, 5, 10, 12, 0, 7, 0, seoul)
	for _, c := range []struct{ got, want string }{
		{timefmt.UTC(at), "10 May 2023, 03:00 UTC"},
		{timefmt.UTCOr(nil, "Never"), "Never"},
		{timefmt.UTCOr(&at, "Never"), "10 May 2023, 03:00 UTC"},
		{timefmt.Seconds(at, seoul), "10 May 2023, 12:00:07 KST"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
