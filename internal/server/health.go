package server

import (
	"context"
	"net/http"
	"time"

	"prizeportal/internal/db"
)

// healthz answers while the process runs.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, err := w.Write([]byte("ok\n"))
	return err
}

// readyz answers 200 when the database is reachable and every migration is applied, so a load
// balancer sends traffic only to instances that can serve it.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	status, answer := http.StatusOK, "ready\n"
	if err := s.pool.Ping(ctx); err != nil {
		s.ctxLog(ctx).Warn("not ready: database", "err", err)
		status, answer = http.StatusServiceUnavailable, "database unreachable\n"
	} else if current, err := db.MigrationsCurrent(ctx, s.pool); err != nil || !current {
		s.ctxLog(ctx).Warn("not ready: migrations", "current", current, "err", err)
		status, answer = http.StatusServiceUnavailable, "migrations pending\n"
	}
	w.WriteHeader(status)
	_, err := w.Write([]byte(answer))
	return err
}
