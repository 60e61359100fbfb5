package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/config"
	"prizeportal/internal/db"
	"prizeportal/internal/edition"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
	"prizeportal/internal/studio"
)

func runEdition(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "import" && args[0] != "list" && args[0] != "export") {
		fmt.Fprintln(stderr, "usage: portal edition import FILE|NAME [--open-now] [--reason TEXT] [--force] | portal edition export SLUG | portal edition list")
		return errUsage
	}
	if args[0] == "export" && len(args) != 2 {
		fmt.Fprintln(stderr, "usage: portal edition export SLUG   (writes the edition's YAML to standard output)")
		return errUsage
	}
	sub, args := args[0], args[1:]
	var (
		def    *edition.Definition
		reason *string
		force  *bool
	)
	if sub == "import" {
		fs := newFlags("edition import", "portal edition import FILE|NAME [--open-now] [--reason TEXT] [--force]", stdout)
		openNow := fs.Bool("open-now", false, "move the schedule so that applications are open today (for demonstrations)")
		reason = fs.String("reason", "", "why the edition changes (kept in its history; needed where the studio asks for one)")
		force = fs.Bool("force", false, "store the file even where the studio's safety rules refuse the change (an engineer's repair; audited as such)")
		// Accept the file before or after the flags.
		var rest []string
		for len(args) > 0 {
			if err := parseFlags(fs, args); err != nil {
				return err
			}
			if fs.NArg() == 0 {
				break
			}
			rest = append(rest, fs.Arg(0))
			args = fs.Args()[1:]
		}
		if len(rest) != 1 {
			fmt.Fprintf(stderr, "usage: portal edition import FILE|NAME [--open-now] [--reason TEXT] [--force]\nbuilt-in editions: %s\n", strings.Join(edition.BuiltinNames(), ", "))
			return errUsage
		}
		// Validate before touching the database, so a bad file is reported at once.
		var err error
		if def, err = loadDefinition(rest[0], *openNow); err != nil {
			return err
		}
	}
	d, _, err := openFromEnv(ctx, getenv, stderr, true)
	if err != nil {
		return err
	}
	defer d.Close()
	switch sub {
	case "list":
		return listEditions(ctx, d, stdout)
	case "export":
		src, err := edition.Source(ctx, d.pool, args[0])
		if err != nil {
			return fmt.Errorf("no edition %q (see portal edition list): %w", args[0], err)
		}
		_, err = stdout.Write(src)
		return err
	}
	cur, err := edition.BySlug(ctx, d.pool, def.Slug)
	if errors.Is(err, db.ErrNotFound) || (err == nil && *force) {
		// A new edition has collected nothing; --force is the engineer's repair of an existing one.
		label := "cli"
		if err == nil {
			label = "cli --force"
		}
		res, err := edition.ImportAs(ctx, d.pool, def, edition.Actor{Label: label})
		if err != nil {
			return err
		}
		if res.Created {
			fmt.Fprintf(stdout, "Imported edition %s (%s).\n", def.Slug, def.Name)
			return nil
		}
		return printChanges(stdout, def, res.Version, res.Changes, 0)
	}
	if err != nil {
		return err
	}
	// An existing edition changes as in the studio (an upload of its file): its safety rules
	// apply, the reason is kept, and those the change concerns are emailed.
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	svc := studio.New(usecase.New(d.pool, notify.NewOutbox(d.pool), emails.Site{BaseURL: cfg.BaseURL.String()}, time.Now))
	res, err := svc.Change(ctx, studio.By{Actor: authz.Actor{Grants: []authz.Grant{{Role: authz.RoleAdmin}}}, Label: "cli"},
		studio.Change{Slug: def.Slug, Version: cur.Version, Reason: *reason, File: def.Source()})
	var verr *edition.ValidationError
	if errors.As(err, &verr) {
		return fmt.Errorf("the change to %s is refused:\n%w\n(give the reason with --reason; --force stores the file anyway, skipping the studio's safety rules)", def.Slug, verr)
	}
	if err != nil {
		return err
	}
	return printChanges(stdout, def, res.Version, res.Changes, res.Notified)
}

// printChanges reports an update of def to version with its changes and how many people were
// emailed about it.
func printChanges(stdout io.Writer, def *edition.Definition, version int, changes []edition.Difference, notified int) error {
	fmt.Fprintf(stdout, "Updated edition %s (%s) to version %d: %s.\n", def.Slug, def.Name, version, changeCount(len(changes)))
	for _, c := range changes {
		fmt.Fprintln(stdout, "  "+c.String())
	}
	if notified > 0 {
		fmt.Fprintf(stdout, "Emailed %d people about the change.\n", notified)
	}
	return nil
}

func changeCount(n int) string {
	switch n {
	case 0:
		return "nothing changed"
	case 1:
		return "1 value changed"
	}
	return fmt.Sprintf("%d values changed", n)
}

// loadDefinition reads a definition from a file or, when source names one, a built-in edition.
func loadDefinition(source string, openNow bool) (*edition.Definition, error) {
	var (
		def *edition.Definition
		err error
	)
	if _, statErr := os.Stat(source); statErr != nil && slices.Contains(edition.BuiltinNames(), source) {
		def, err = edition.ParseBuiltin(source)
	} else {
		def, err = edition.ParseFile(source)
	}
	if err != nil {
		var verr *edition.ValidationError
		if errors.As(err, &verr) {
			return nil, fmt.Errorf("%s is not a valid edition definition:\n%w", source, err)
		}
		return nil, err
	}
	if openNow {
		if err := def.OpenOn(time.Now()); err != nil {
			return nil, err
		}
	}
	return def, nil
}

// importBuiltin imports a built-in edition (opened for applications today when openNow).
func importBuiltin(ctx context.Context, d *database, name string, openNow bool) (string, error) {
	def, err := loadDefinition(name, openNow)
	if err != nil {
		return "", err
	}
	if _, err := edition.Import(ctx, d.pool, def); err != nil {
		return "", err
	}
	return def.Name, nil
}

func listEditions(ctx context.Context, d *database, stdout io.Writer) error {
	list, err := edition.List(ctx, d.pool)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		fmt.Fprintln(stdout, "No editions yet. Import one with: portal edition import FILE")
		return nil
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SLUG\tYEAR\tNAME\tSTATUS\tCATEGORIES\tUPDATED")
	for _, e := range list {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%d\t%s\n", e.Slug, e.Year, e.Name, e.Status, e.Categories, e.UpdatedAt.UTC().Format("2006-01-02 15:04 MST"))
	}
	return tw.Flush()
}
