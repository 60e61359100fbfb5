package analytics

import (
	"encoding/csv"
	"fmt"
	"io"

	"prizeportal/internal/export"
)

// WriteCSV writes a table as CSV (RFC 4180, CRLF line ends), header first, every cell made safe
// with export.SafeCell.
func WriteCSV(w io.Writer, head []string, rows [][]string) error {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	safe := func(cells []string) []string {
		out := make([]string, len(cells))
		for i, c := range cells {
			out[i] = export.SafeCell(c)
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
