// Package audit records who did what to which object, when and from where. Every write that
// matters records its entry in the same transaction (ARCHITECTURE.md, "Habits").
package audit

import (
	"context"
	"fmt"

	"prizeportal/internal/db"
)

// Entry is one audit record. ActorID 0 means the system or an anonymous visitor; ActorLabel then
// says who (e.g. "system", or the login that was tried).
type Entry struct {
	ActorID    int64
	ActorLabel string
	Action     string
	ObjectType string
	ObjectID   string
	IP         string
	Details    map[string]any
}

// Record writes e with q (normally the transaction of the change it describes).
func Record(ctx context.Context, q db.DBTX, e Entry) error {
	var actor *int64
	if e.ActorID != 0 {
		actor = &e.ActorID
	}
	details := e.Details
	if details == nil {
		details = map[string]any{}
	}
	_, err := q.Exec(ctx, `
		INSERT INTO audit_log (actor_id, actor_label, action, object_type, object_id, ip, details)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		actor, e.ActorLabel, e.Action, e.ObjectType, e.ObjectID, e.IP, details)
	if err != nil {
		return fmt.Errorf("audit: record %s: %w", e.Action, err)
	}
	return nil
}
