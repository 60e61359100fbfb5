// Command catalog keeps the message catalogs (internal/i18n/locales) in step with the code:
//
//	go run ./internal/tools/catalog              # rewrite locales/en.toml from the code's keys
//	go run ./internal/tools/catalog -missing ko  # print what Korean lacks, as TOML to translate
//	go run ./internal/tools/catalog -unused ko   # print the Korean keys the code no longer uses
//
// Run it from the repository's root.
package main

import (
	"flag"
	"fmt"
	"os"

	"prizeportal/internal/i18n"
	"prizeportal/internal/i18n/extract"
)

func main() {
	missing := flag.String("missing", "", "print the keys this language lacks")
	unused := flag.String("unused", "", "print the keys of this language the code does not use")
	flag.Parse()
	keys, err := extract.Keys(".", "./...")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	switch {
	case *missing != "":
		os.Stdout.Write(extract.Stub(extract.Missing(keys, i18n.Keys(*missing))))
	case *unused != "":
		for _, k := range extract.Unused(keys, i18n.Keys(*unused)) {
			fmt.Printf("%q\n", k)
		}
	default:
		if err := os.WriteFile("internal/i18n/locales/en.toml", extract.English(keys), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Printf("internal/i18n/locales/en.toml: %d keys\n", len(keys))
	}
}
