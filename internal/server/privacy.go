package server

import (
	"context"

	"prizeportal/internal/privacy"
)

// privacy returns the service of erasure and retention (internal/privacy) on the server's
// database and file storage.
func (s *Server) privacy() *privacy.Service {
	return &privacy.Service{Pool: s.pool, Files: s.files, Log: s.log}
}

// RetainPersonalData is the periodic task "personal-data-retention" (privacy.Service.Retain):
// it purges the personal data whose retention period ended, and records its run in the audit log.
func (s *Server) RetainPersonalData(ctx context.Context) error {
	_, err := s.privacy().Retain(ctx, s.now())
	return err
}
