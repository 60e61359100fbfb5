package audit

import (
	"context"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/db"
)

// PerPage is the length of a page of the audit log.
const PerPage = 50

// Filter selects audit entries. Action matches a prefix ("role." finds role.grant and
// role.revoke); Actor matches the actor's login ID, email, name or label, anywhere,
// case-insensitively; ObjectType and ObjectID match exactly; From and To bound the time (From
// inclusive, To exclusive; zero means unbounded). Page counts from 1.
type Filter struct {
	Action     string
	Actor      string
	ObjectType string
	ObjectID   string
	From, To   time.Time
	Page       int
}

// Row is one audit entry as the log page shows it. ActorName is the actor account's current name
// (empty for the system and anonymous visitors); ActorLogin its login ID.
type Row struct {
	ID         int64     `db:"id"`
	At         time.Time `db:"at"`
	ActorID    int64     `db:"actor_id"`
	ActorLabel string    `db:"actor_label"`
	ActorName  string    `db:"actor_name"`
	ActorLogin string    `db:"actor_login"`
	Action     string    `db:"action"`
	ObjectType string    `db:"object_type"`
	ObjectID   string    `db:"object_id"`
	IP         string    `db:"ip"`
	Details    string    `db:"details"`
}

// Page is one page of audit entries, newest first, and how many match in all.
type Page = db.Page[Row]

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// Search returns the page f.Page of the entries matching f, newest first.
func Search(ctx context.Context, q db.DBTX, f Filter) (Page, error) {
	where, args := []string{"true"}, pgx.NamedArgs{}
	if s := strings.TrimSpace(f.Action); s != "" {
		args["action"] = escapeLike(s) + "%"
		where = append(where, `a.action LIKE @action`)
	}
	if s := strings.TrimSpace(f.Actor); s != "" {
		args["actor"] = "%" + escapeLike(s) + "%"
		where = append(where, `(a.actor_label ILIKE @actor OR u.login_id ILIKE @actor OR u.email ILIKE @actor OR u.name ILIKE @actor)`)
	}
	if s := strings.TrimSpace(f.ObjectType); s != "" {
		args["otype"] = s
		where = append(where, `a.object_type = @otype`)
	}
	if s := strings.TrimSpace(f.ObjectID); s != "" {
		args["oid"] = s
		where = append(where, `a.object_id = @oid`)
	}
	if !f.From.IsZero() {
		args["from"] = f.From
		where = append(where, `a.at >= @from`)
	}
	if !f.To.IsZero() {
		args["to"] = f.To
		where = append(where, `a.at < @to`)
	}
	cond := strings.Join(where, " AND ")
	return db.ListPage(ctx, q, "audit: search", pgx.RowToStructByName[Row], f.Page, PerPage, args,
		`SELECT count(*) FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id WHERE `+cond, `
		SELECT a.id, a.at, coalesce(a.actor_id, 0) AS actor_id, a.actor_label,
		       coalesce(u.name, '') AS actor_name, coalesce(u.login_id, '') AS actor_login,
		       a.action, a.object_type, a.object_id, a.ip,
		       CASE WHEN a.details = '{}' THEN '' ELSE a.details::text END AS details
		FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
		WHERE `+cond+`
		ORDER BY a.at DESC, a.id DESC
		LIMIT @limit OFFSET @offset`)
}
