package analytics_test

import (
	"bytes"
	"testing"

	"prizeportal/internal/analytics"
)

func TestSafeCell(t *testing.T) {
	for in, want := range map[string]string{
		"=HYPERLINK(\"x\")": "'=HYPERLINK(\"x\")", "+1": "'+1", "-2": "'-2", "@SUM(A1)": "'@SUM(A1)",
		"\tx": "'\tx", "\rx": "'\rx", "Seoul": "Seoul", "": "", "3.50": "3.50", "a=b": "a=b",
	} {
		if got := analytics.SafeCell(in); got != want {
			t.Errorf("SafeCell(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWriteCSV(t *testing.T) {
	var b bytes.Buffer
	err := analytics.WriteCSV(&b, []string{"Entry", "Value"}, [][]string{{"Alpha, \"the\" best", "3"}, {"=cmd|' /C calc'!A0", "-1"}})
	if err != nil {
		t.Fatal(err)
	}
	want := "Entry,Value\r\n\"Alpha, \"\"the\"\" best\",3\r\n'=cmd|' /C calc'!A0,'-1\r\n"
	if b.String() != want {
		t.Errorf("csv\n got %q\nwant %q", b.String(), want)
	}
}
