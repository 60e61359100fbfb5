// Package country is the list of countries and territories (ISO 3166-1 alpha-2) offered in forms.
package country

import (
	_ "embed"
	"sort"
	"strings"
	"sync"
)

//go:embed iso3166.tab
var table string

// Country is one ISO 3166-1 entry.
type Country struct {
	Code string // alpha-2, upper case
	Name string
}

var load = sync.OnceValues(func() ([]Country, map[string]string) {
	var list []Country
	names := map[string]string{}
	for _, line := range strings.Split(table, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		code, name, ok := strings.Cut(line, "\t")
		if !ok {
			continue
		}
		list = append(list, Country{code, name})
		names[code] = name
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Name < list[j].Name })
	return list, names
})

// All returns every country, sorted by name.
func All() []Country {
	list, _ := load()
	return list
}

// Name returns the English name of code, or "" for an unknown code.
func Name(code string) string {
	_, names := load()
	return names[strings.ToUpper(code)]
}

// Valid reports whether code is a known alpha-2 code.
func Valid(code string) bool { return Name(code) != "" }
