// Package extract finds every text the code hands to the catalogs (package i18n): the keys of
// i18n.T, N, M and Msg, of a Localizer's T and N, and the user messages of the domains' errors
// (fault.New, Wrap and Reword, field.Errors' Add and Name), read with the Go type checker so a
// key built from constants counts too. It writes locales/en.toml and lists what a language lacks.
package extract

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/tools/go/packages"
)

// Key is one text of the catalogs: its English key, and its singular when it is a plural
// (i18n.N).
type Key struct {
	ID  string
	One string
	// At is where the code uses it first ("internal/server/auth.go:12").
	At string
}

// keyArgs are the functions whose arguments are catalog keys: the argument indexes of the key
// (and of the singular for a plural, first).
var keyArgs = map[string][]int{
	"prizeportal/internal/i18n.T":                      {1},
	"prizeportal/internal/i18n.N":                      {2, 3},
	"prizeportal/internal/i18n.M":                      {0},
	"prizeportal/internal/i18n.Msg":                    {0},
	"(*prizeportal/internal/i18n.Localizer).T":         {0},
	"(*prizeportal/internal/i18n.Localizer).N":         {1, 2},
	"prizeportal/internal/blocks/fault.New":            {1},
	"prizeportal/internal/blocks/fault.Wrap":           {1},
	"prizeportal/internal/blocks/fault.Reword":         {1},
	"(*prizeportal/internal/blocks/field.Errors).Add":  {1},
	"(*prizeportal/internal/blocks/field.Errors).Name": {2},
	// the server's page titles and flash messages
	"(*prizeportal/internal/server.Server).page":  {1},
	"(*prizeportal/internal/server.Server).flash": {1},
}

// Keys loads the packages of patterns from dir (tests left out) and returns every key, sorted.
func Keys(dir string, patterns ...string) ([]Key, error) {
	cfg := &packages.Config{Dir: dir, Mode: packages.NeedName | packages.NeedFiles | packages.NeedSyntax |
		packages.NeedTypes | packages.NeedTypesInfo}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		return nil, err
	}
	found := map[string]Key{}
	var problems []string
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		if !strings.HasPrefix(p.PkgPath, "prizeportal/") || strings.HasPrefix(p.PkgPath, "prizeportal/internal/tools") {
			return
		}
		for _, e := range p.Errors {
			problems = append(problems, e.Error())
		}
		for _, f := range p.Syntax {
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				idx := keyArgs[callee(p.TypesInfo, call)]
				if len(idx) == 0 {
					return true
				}
				var vals []string
				for _, i := range idx {
					if i >= len(call.Args) {
						return true
					}
					tv, ok := p.TypesInfo.Types[call.Args[i]]
					if !ok || tv.Value == nil || tv.Value.Kind() != constant.String {
						return true // a value, not a key: its text is the caller's
					}
					vals = append(vals, constant.StringVal(tv.Value))
				}
				k := Key{ID: vals[len(vals)-1], At: position(p.Fset, call.Pos(), dir)}
				if len(vals) == 2 {
					k.One = vals[0]
				}
				if k.ID == "" {
					return true
				}
				if old, dup := found[k.ID]; !dup || (old.One == "" && k.One != "") {
					found[k.ID] = k
				}
				return true
			})
		}
	})
	if len(problems) > 0 {
		return nil, fmt.Errorf("extract: %s", strings.Join(problems, "; "))
	}
	out := make([]Key, 0, len(found))
	for _, k := range found {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

func position(fset *token.FileSet, pos token.Pos, dir string) string {
	p := fset.Position(pos)
	name := strings.TrimPrefix(p.Filename, strings.TrimSuffix(dir, "/")+"/")
	return name + ":" + strconv.Itoa(p.Line)
}

// callee is the full name of the function or method call calls ("" when unknown).
func callee(info *types.Info, call *ast.CallExpr) string {
	var id *ast.Ident
	switch fn := call.Fun.(type) {
	case *ast.Ident:
		id = fn
	case *ast.SelectorExpr:
		id = fn.Sel
	default:
		return ""
	}
	f, ok := info.Uses[id].(*types.Func)
	if !ok {
		return ""
	}
	return f.FullName()
}

// English is the English catalog for keys: each key its own text, a plural with its singular.
func English(keys []Key) []byte {
	var b bytes.Buffer
	b.WriteString("# The English catalog: every text the portal shows, its key being its English text.\n")
	b.WriteString("# Written by `go run ./internal/tools/catalog`; do not edit (change the text in the code).\n\n")
	// the plain keys first: in TOML a key after a [table] belongs to that table
	for _, k := range keys {
		if k.One == "" {
			fmt.Fprintf(&b, "%s = %s\n", quote(k.ID), quote(k.ID))
		}
	}
	for _, k := range keys {
		if k.One != "" {
			fmt.Fprintf(&b, "\n[%s]\none = %s\nother = %s\n", quote(k.ID), quote(k.One), quote(k.ID))
		}
	}
	return b.Bytes()
}

// Stub is a catalog for the keys a language lacks, each with its English text to translate.
func Stub(keys []Key) []byte {
	var b bytes.Buffer
	// the plain keys first: in TOML a key after a [table] belongs to that table
	for _, k := range keys {
		if k.One == "" {
			fmt.Fprintf(&b, "# %s\n%s = %s\n\n", k.At, quote(k.ID), quote(k.ID))
		}
	}
	for _, k := range keys {
		if k.One != "" {
			fmt.Fprintf(&b, "# %s\n[%s]\nother = %s\n\n", k.At, quote(k.ID), quote(k.ID))
		}
	}
	return b.Bytes()
}

// quote is s as a TOML basic string.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if r < 0x20 || r == 0x7f {
				fmt.Fprintf(&b, `\u%04X`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

// Missing are the keys a catalog with the keys have lacks.
func Missing(keys []Key, have []string) []Key {
	got := map[string]bool{}
	for _, h := range have {
		got[h] = true
	}
	var out []Key
	for _, k := range keys {
		if !got[k.ID] {
			out = append(out, k)
		}
	}
	return out
}

// Unused are the keys of have the code does not use.
func Unused(keys []Key, have []string) []string {
	used := map[string]bool{}
	for _, k := range keys {
		used[k.ID] = true
	}
	var out []string
	for _, h := range have {
		if !used[h] {
			out = append(out, h)
		}
	}
	return out
}
