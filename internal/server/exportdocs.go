package server

import (
	"bytes"
	"context"

	"prizeportal/internal/authz"
	"prizeportal/internal/edition"
	"prizeportal/internal/export"
	"prizeportal/internal/pdfdoc"
)

// ExportDocuments renders, for the export job's decision pack (export.NewJob), the two PDF
// documents still built in this package: a semi-finalist's dossier (dossiers.go) and a closed
// vote's result protocol (ballots.go), each as the pages show it to actor. Once those documents
// live in their domains, internal/app can hand them to the job directly.
func (s *Server) ExportDocuments() export.Documents {
	return export.Documents{
		Dossier: func(ctx context.Context, actor authz.Actor, id int64) ([]byte, error) {
			d, err := s.dossierOf(ctx, actor.UserID, id)
			if err != nil {
				return nil, err
			}
			doc, err := s.dossierDocument(ctx, actor, d)
			if err != nil {
				return nil, err
			}
			return packPDF(doc)
		},
		Protocol: func(ctx context.Context, actor authz.Actor, ed *edition.Edition, cat *edition.Category) ([]byte, error) {
			doc, err := s.protocolDocument(ctx, &voteContext{ed: ed, cat: cat, user: actor.UserID})
			if err != nil {
				return nil, err
			}
			return packPDF(doc)
		},
	}
}

func packPDF(doc pdfdoc.Document) ([]byte, error) {
	var buf bytes.Buffer
	if err := pdfdoc.Render(&buf, doc); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
