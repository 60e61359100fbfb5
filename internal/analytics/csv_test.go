package analytics_test

import (
	"bytes"
	"testing"

	"prizeportal/internal/analytics"
)

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
