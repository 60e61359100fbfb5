package edition

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"prizeportal/internal/db"
)

// defs holds the shipped edition definitions.
//
//go:embed defs/*.yaml
var defs embed.FS

// BuiltinNames lists the shipped definitions by name (the file name without ".yaml"), sorted.
func BuiltinNames() []string {
	entries, err := fs.Glob(defs, "defs/*.yaml")
	if err != nil { // cannot happen: the pattern is valid
		return nil
	}
	names := make([]string, len(entries))
	for i, e := range entries {
		names[i] = strings.TrimSuffix(path.Base(e), ".yaml")
	}
	slices.Sort(names)
	return names
}

// Builtin returns the YAML text of a shipped definition, named with or without ".yaml". An
// unknown name is db.ErrNotFound.
func Builtin(name string) ([]byte, error) {
	name = strings.TrimSuffix(name, ".yaml")
	if !slices.Contains(BuiltinNames(), name) {
		return nil, fmt.Errorf("edition: builtin %q (have %s): %w", name, strings.Join(BuiltinNames(), ", "), db.ErrNotFound)
	}
	return defs.ReadFile("defs/" + name + ".yaml")
}

// ParseBuiltin parses a shipped definition.
func ParseBuiltin(name string) (*Definition, error) {
	data, err := Builtin(name)
	if err != nil {
		return nil, err
	}
	d, err := Parse(data)
	if err != nil {
		return d, fmt.Errorf("edition: builtin %s: %w", name, err)
	}
	return d, nil
}
