package files

import (
	"context"
	"fmt"
	"path/filepath"

	"prizeportal/internal/config"
)

// FromConfig returns the storage cfg names: local disk under PORTAL_DATA_DIR/files, or the S3
// bucket of the PORTAL_S3_* variables, checked to exist and be accessible so a mistake is
// reported at start.
func FromConfig(ctx context.Context, cfg config.Config) (Storage, error) {
	switch cfg.Storage {
	case "", "local":
		return NewLocal(filepath.Join(cfg.DataDir, "files"))
	case "s3":
		s, err := NewS3(S3Options{
			Endpoint:  cfg.S3.Endpoint,
			Bucket:    cfg.S3.Bucket,
			AccessKey: cfg.S3.AccessKey,
			SecretKey: cfg.S3.SecretKey,
			Region:    cfg.S3.Region,
			UseSSL:    cfg.S3.UseSSL,
		})
		if err != nil {
			return nil, err
		}
		if err := s.Check(ctx); err != nil {
			return nil, err
		}
		return s, nil
	}
	return nil, fmt.Errorf("files: unknown storage %q (PORTAL_STORAGE must be local or s3)", cfg.Storage)
}
