package analytics

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
)

// SafeCell neutralises a CSV cell that a spreadsheet would run as a formula (CSV injection,
// OWASP): a cell starting with =, +, -, @, a tab or a carriage return gets a leading single
// quote. Numbers the portal writes itself are never negative in a chart table, and a negative
// number typed by an applicant is text to be read, not computed.
func SafeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// WriteCSV writes a table as CSV (RFC 4180, CRLF line ends), header first, every cell made safe
// with SafeCell.
func WriteCSV(w io.Writer, head []string, rows [][]string) error {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	safe := func(cells []string) []string {
		out := make([]string, len(cells))
		for i, c := range cells {
			out[i] = SafeCell(c)
		}
		return out
	}
	if err := cw.Write(safe(head)); err != nil {
		return fmt.Errorf("analytics: csv: %w", err)
	}
	for _, r := range rows {
		if err := cw.Write(safe(r)); err != nil {
			return fmt.Errorf("analytics: csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("analytics: csv: %w", err)
	}
	return nil
}
