package server

import (
	"prizeportal/internal/export"
	"prizeportal/internal/notify"
)

// ExportJobForTest is the export job as internal/app registers it, on this server's pool, file
// storage and clock, for the tests that run it.
func (s *Server) ExportJobForTest() notify.Job {
	return export.NewJob(export.JobDeps{Pool: s.pool, Files: s.files, Logger: s.log, Now: s.now, Documents: export.DomainDocuments(s.pool, s.now)})
}
