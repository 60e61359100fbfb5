// Package migrations embeds the forward-only, numbered SQL migrations of the portal.
// Files are named NNNNN_description.sql and use goose annotations (-- +goose Up).
package migrations

import "embed"

// FS holds every migration file.
//
//go:embed *.sql
var FS embed.FS
