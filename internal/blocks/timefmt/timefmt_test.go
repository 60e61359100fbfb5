package timefmt_test

import (
	"testing"
	"time"

	"prizeportal/internal/blocks/timefmt"
)

func TestTimesNameTheirZone(t *testing.T) {
	seoul, err := time.LoadLocation("Asia/Seoul")
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2023, 6, 8, 0, 0, 0, 0, seoul)
	at := time.Date(2023, 5, 31, 23, 59, 0, 0, seoul)
	for _, c := range []struct{ got, want string }{
		{timefmt.Instant(day, seoul), "8 June 2023"},
		{timefmt.Instant(at.UTC(), seoul), "31 May 2023, 23:59 KST"},
		{timefmt.Deadline(day, seoul), "8 June 2023, 00:00 KST"},
		{timefmt.End(day, seoul), "7 June 2023, 23:59 KST (Asia/Seoul time)"},
		{timefmt.End(at, seoul), "31 May 2023, 23:59 KST (Asia/Seoul time)"},
		{timefmt.Window(time.Date(2023, 6, 1, 0, 0, 0, 0, seoul), time.Date(2023, 7, 1, 0, 0, 0, 0, seoul), seoul), "1–30 June 2023"},
		{timefmt.Window(time.Date(2023, 5, 20, 0, 0, 0, 0, seoul), time.Date(2023, 6, 11, 0, 0, 0, 0, seoul), seoul), "20 May – 10 June 2023"},
		{timefmt.Window(time.Date(2023, 12, 20, 0, 0, 0, 0, seoul), time.Date(2024, 1, 11, 0, 0, 0, 0, seoul), seoul), "20 December 2023 – 10 January 2024"},
		{timefmt.Window(day, day.AddDate(0, 0, 1), seoul), "8 June 2023"},
		{timefmt.Window(at, at.Add(time.Hour), seoul), "31 May 2023, 23:59 KST – 1 June 2023, 00:59 KST"},
		{timefmt.ZoneLabel(seoul, day), "Asia/Seoul (KST, UTC+09:00)"},
		{timefmt.ZoneLabel(time.FixedZone("", -5*3600), day), " (UTC-05:00)"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
