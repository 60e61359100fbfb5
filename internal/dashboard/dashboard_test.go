package dashboard_test

import (
	"context"
	"log/slog"
	"testing"

	"prizeportal/internal/authz"
	"prizeportal/internal/dashboard"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition/editiontest"
)

// TestLoad: an admin and applicant of an edition gets an administration card and an applicant
// card with the edition and their application; the results count as news only once the winners
// are announced.
func TestLoad(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, ed := editiontest.Seoul2023(t)
	tech, _ := ed.Category("tech-innovacity")
	var id int64
	if err := pool.QueryRow(ctx, `INSERT INTO users (login_id, email, name, password_hash, edition_id, category_id)
		VALUES ('kim', 'kim@example.org', 'Kim', 'x', $1, $2) RETURNING id`, ed.ID, tech.ID).Scan(&id); err != nil {
		t.Fatal(err)
	}
	dbtest.Exec(t, pool, `INSERT INTO role_grants (user_id, role, edition_id) VALUES ($1, 'applicant', $2)`, id, ed.ID)
	dbtest.Exec(t, pool, `INSERT INTO role_grants (user_id, role) VALUES ($1, 'admin')`, id)
	actor := authz.Actor{UserID: id, Grants: []authz.Grant{{Role: authz.RoleApplicant, EditionID: ed.ID}, {Role: authz.RoleAdmin}}}
	log := slog.New(slog.DiscardHandler)
	p, err := dashboard.Load(ctx, pool, actor, ed.Schedule.ApplicationDeadline, log)
	if err != nil {
		t.Fatal(err)
	}
	if p.User.ID != id || len(p.Cards) != 2 {
		t.Fatalf("page %+v", p)
	}
	for _, c := range p.Cards {
		switch c.Role {
		case authz.RoleAdmin:
			if c.Edition != nil {
				t.Errorf("admin card in edition %v", c.Edition)
			}
		case authz.RoleApplicant:
			if c.Edition == nil || c.Edition.ID != ed.ID || c.Application == nil || c.Announced || c.OpenClarifications != 0 {
				t.Errorf("applicant card %+v", c)
			}
		default:
			t.Errorf("card of role %s", c.Role)
		}
	}
	later, err := dashboard.Load(ctx, pool, actor, ed.Schedule.WinnersAnnounced, log)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range later.Cards {
		if c.Role == authz.RoleApplicant && (!c.Announced || len(c.Awards) != 0) {
			t.Errorf("applicant card after the announcement %+v", c)
		}
	}
}

func TestMain(m *testing.M) { dbtest.Main(m) }
