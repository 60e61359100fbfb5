package numfmt

import "testing"

func TestNumbersAsThePagesShowThem(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{Count(1, "entry", "entries"), "1 entry"},
		{Count(0, "entry", "entries"), "0 entries"},
		{Count(2048, "entry", "entries"), "2,048 entries"},
		{Thousands(51628117), "51,628,117"},
		{Thousands(-1234), "-1,234"},
		{Thousands(999), "999"},
		{Decimal("51628117.50"), "51,628,117.50"},
		{Decimal("-1234"), "-1,234"},
		{Score2(3.5), "3.50"},
		{Score2(8.126), "8.13"},
		{Score2(0), "0.00"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
