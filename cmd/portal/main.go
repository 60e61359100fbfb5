// Command portal runs Prize Portal: `portal serve` (the default), `portal migrate`,
// `portal edition import FILE`, `portal edition list`, `portal admin create --email E`, `portal version`.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"prizeportal/internal/app"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := app.Run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
