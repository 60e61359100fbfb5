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

// ipKey is the context key of the client's address.
type ipKey struct{}

// WithIP returns ctx carrying the address of the client whose request it serves: the HTTP layer
// sets it once per request, so that use cases record it without being handed it.
func WithIP(ctx context.Context, ip string) context.Context {
	return context.WithValue(ctx, ipKey{}, ip)
}

// IPFrom is the client's address carried by ctx ("" when there is none, as in periodic tasks).
func IPFrom(ctx context.Context) string {
	ip, _ := ctx.Value(ipKey{}).(string)
	return ip
}

// Record writes e with q (normally the transaction of the change it describes). An entry
// without IP takes the client's address from ctx (WithIP).
func Record(ctx context.Context, q db.DBTX, e Entry) error {
	if e.IP == "" {
		e.IP = IPFrom(ctx)
	}
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
