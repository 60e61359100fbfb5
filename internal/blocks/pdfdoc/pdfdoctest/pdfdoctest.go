// Package pdfdoctest reads the PDFs the portal makes the way a person's viewer does, with
// poppler's tools (Debian's poppler-utils, a test dependency that make deps-test installs): the
// tests check what a reader sees, Hangul included, not the file's bytes.
package pdfdoctest

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
)

// Poppler runs a poppler-utils tool (pdftotext, pdfinfo, pdffonts) on pdf and returns its
// output. A missing tool fails the test.
func Poppler(t testing.TB, pdf []byte, tool string, args ...string) string {
	t.Helper()
	bin, err := exec.LookPath(tool)
	if err != nil {
		t.Fatalf("%s not found: install Debian's poppler-utils (make deps-test, or apt-get install -y poppler-utils): %v", tool, err)
	}
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	switch tool {
	case "pdftotext":
		args = append(append([]string{"-enc", "UTF-8"}, args...), path, "-")
	case "pdfinfo":
		args = append(append([]string{"-enc", "UTF-8"}, args...), path)
	default:
		args = append(args, path)
	}
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", tool, err, out)
	}
	return string(out)
}

var spaces = regexp.MustCompile(`\s+`)

// Text is pdf's text (pdftotext with args, e.g. -layout) with runs of white space as single
// spaces, so a wrapped sentence reads as one line.
func Text(t testing.TB, pdf []byte, args ...string) string {
	t.Helper()
	return spaces.ReplaceAllString(Poppler(t, pdf, "pdftotext", args...), " ")
}
