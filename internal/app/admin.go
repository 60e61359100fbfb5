package app

import (
	"context"
	"errors"
	"fmt"
	"io"

	"prizeportal/internal/account"
	"prizeportal/internal/db"
)

func runAdmin(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprintln(stderr, "usage: portal admin create --email EMAIL")
		return errUsage
	}
	fs := newFlags("admin create", "portal admin create --email EMAIL", stdout)
	email := fs.String("email", "", "email address (and login) of the new admin")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if *email == "" {
		fmt.Fprintln(stderr, "portal admin create: --email is required")
		return errUsage
	}
	d, _, err := openFromEnv(ctx, getenv, stderr, true)
	if err != nil {
		return err
	}
	defer d.Close()
	admin, err := account.CreateAdmin(ctx, d.pool, *email, account.DefaultHashParams)
	if errors.Is(err, db.ErrConflict) {
		return fmt.Errorf("an account with the email %s already exists", *email)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Created admin %s\n  login:    %s\n  password: %s\nThis one-time password must be changed at first sign-in.\n", admin.Email, admin.LoginID, admin.Password)
	return nil
}
