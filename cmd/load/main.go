// Command load drives a running portal like its users do and reports throughput, latency
// percentiles, errors and the server's memory. See internal/tools/load and `load help`.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"prizeportal/internal/tools/load"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := load.Main(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
