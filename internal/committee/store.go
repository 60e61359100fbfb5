package committee

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/audit"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/conflict"
	"prizeportal/internal/db"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
)

// staffFilter is the SQL form of CanManage: @staff is the edition's secretariat or committee
// head (%s is the edition id expression).
const staffFilter = `EXISTS (SELECT 1 FROM role_grants sg WHERE sg.user_id = @staff AND sg.edition_id = %s
	AND sg.role IN ('secretariat', 'committee_head'))`

func staffOf(editionExpr string) string { return fmt.Sprintf(staffFilter, editionExpr) }

// memberSQL lists the committee of @edition: one row per member with their roles.
const memberSQL = `SELECT g.user_id, bool_or(g.role = 'committee_head') AS head, bool_or(g.role = 'evaluator') AS evaluator
	FROM role_grants g WHERE g.edition_id = @edition AND g.role IN ('evaluator', 'committee_head') GROUP BY g.user_id`

// titleSQL is an entry's title as the screening queue shows it (a = applications, n = nominations).
const titleSQL = `CASE WHEN a.kind = 'nomination' THEN 'Nomination of ' || n.candidate_name
	ELSE coalesce(a.answers->'project_title'->>'text', '') END`

// Members lists the committee of editionID (the head first, then by name) with their expertise
// and declarations, for staff (CanManage; anyone else gets an empty list).
func Members(ctx context.Context, q db.DBTX, staff, editionID int64) ([]Member, error) {
	args := pgx.NamedArgs{"staff": staff, "edition": editionID}
	out, err := db.List(ctx, q, "committee: members", func(row pgx.CollectableRow) (Member, error) {
		var m Member
		err := row.Scan(&m.ID, &m.Name, &m.Email, &m.Organisation, &m.Country, &m.Head, &m.Evaluator, &m.Active, &m.CategoryIDs)
		return m, err
	}, `
		SELECT u.id, u.name, u.email, u.organisation, u.country, m.head, m.evaluator, u.deactivated_at IS NULL,
			ARRAY(SELECT ec.category_id FROM evaluator_categories ec JOIN categories c ON c.id = ec.category_id
			      WHERE ec.user_id = u.id AND c.edition_id = @edition ORDER BY c.position, c.id)
		FROM (`+memberSQL+`) m JOIN users u ON u.id = m.user_id
		WHERE `+staffOf("@edition")+`
		ORDER BY m.head DESC, lower(u.name), u.id`, args)
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, nil
	}
	decls, err := db.List(ctx, q, "committee: declarations", func(row pgx.CollectableRow) (conflict.Declaration, error) {
		var d conflict.Declaration
		var kind string
		err := row.Scan(&d.ID, &d.EvaluatorID, &kind, &d.Name, &d.Country, &d.Email, &d.Note)
		d.Kind, d.EditionID = conflict.Kind(kind), editionID
		return d, err
	}, `
		SELECT d.id, d.evaluator_id, d.kind, d.name, d.country, d.email, d.note
		FROM conflict_declarations d WHERE d.edition_id = @edition
		ORDER BY array_position(ARRAY['organisation', 'city', 'person'], d.kind), lower(d.name), d.id`, args)
	if err != nil {
		return nil, err
	}
	for i := range out {
		for _, d := range decls {
			if d.EvaluatorID == out[i].ID {
				out[i].Declarations = append(out[i].Declarations, d)
			}
		}
	}
	return out, nil
}

// SetExpertise replaces the categories of expertise of member in editionID by categoryIDs (the
// other editions' categories are kept) for staff, and returns them before and after, sorted.
// db.ErrNotFound when staff may not manage the edition or member is not on its committee; a
// category of another edition is field.Errors{"categories"}. The caller records the audit entry.
func SetExpertise(ctx context.Context, tx pgx.Tx, staff, editionID, member int64, categoryIDs []int64) (before, after []int64, err error) {
	var ok bool
	err = tx.QueryRow(ctx, `SELECT `+staffOf("@edition")+` AND EXISTS (SELECT 1 FROM (`+memberSQL+`) m WHERE m.user_id = @member)`,
		pgx.NamedArgs{"staff": staff, "edition": editionID, "member": member}).Scan(&ok)
	if err != nil {
		return nil, nil, fmt.Errorf("committee: expertise: %w", err)
	}
	if !ok {
		return nil, nil, db.ErrNotFound
	}
	return ReplaceExpertise(ctx, tx, editionID, member, categoryIDs)
}

// ReplaceExpertise is SetExpertise for a caller that checked its own rule on the edition (the
// managers who appoint the jury, internal/jury): it replaces member's categories of expertise in
// editionID by categoryIDs and returns them before and after, sorted; a category of another
// edition is field.Errors{"categories"}. The caller records the audit entry.
func ReplaceExpertise(ctx context.Context, tx pgx.Tx, editionID, member int64, categoryIDs []int64) (before, after []int64, err error) {
	args := pgx.NamedArgs{"edition": editionID, "member": member, "categories": nonNil(categoryIDs)}
	var valid bool
	err = tx.QueryRow(ctx, `
		SELECT NOT EXISTS (SELECT 1 FROM unnest(@categories::bigint[]) x(id)
		                   WHERE NOT EXISTS (SELECT 1 FROM categories c WHERE c.id = x.id AND c.edition_id = @edition))`,
		args).Scan(&valid)
	if err != nil {
		return nil, nil, fmt.Errorf("committee: expertise: %w", err)
	}
	if !valid {
		return nil, nil, field.Errors{{Field: "categories", Message: i18n.M("Choose categories of this edition.")}}
	}
	err = tx.QueryRow(ctx, `
		WITH old AS (
			SELECT coalesce(array_agg(ec.category_id ORDER BY ec.category_id), '{}') AS ids
			FROM evaluator_categories ec JOIN categories c ON c.id = ec.category_id
			WHERE ec.user_id = @member AND c.edition_id = @edition
		), gone AS (
			DELETE FROM evaluator_categories ec USING categories c
			WHERE ec.user_id = @member AND c.id = ec.category_id AND c.edition_id = @edition
			  AND ec.category_id <> ALL (@categories::bigint[])
		), added AS (
			INSERT INTO evaluator_categories (user_id, category_id)
			SELECT @member, x.id FROM unnest(@categories::bigint[]) x(id)
			ON CONFLICT DO NOTHING
		)
		SELECT ids FROM old`, args).Scan(&before)
	if err != nil {
		return nil, nil, fmt.Errorf("committee: expertise: %w", err)
	}
	after = slices.Clone(nonNil(categoryIDs))
	slices.Sort(after)
	return before, slices.Compact(after), nil
}

// lockEdition serialises the assignment changes of one edition (until the transaction ends), so
// that two runs never give an entry more than its number of evaluators.
func lockEdition(ctx context.Context, tx pgx.Tx, editionID int64) error {
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('committee.assignments', $1))`, editionID); err != nil {
		return fmt.Errorf("committee: lock: %w", err)
	}
	return nil
}

// AutoAssign gives every round 2 entry of editionID the edition's number of evaluators
// (edition.Scoring.EvaluatorsPerEntry), keeping the existing assignments and adding only what is
// missing: among the active committee members whose expertise includes the entry's category,
// never one with a conflict (view assignment_conflicts), never one who recused from or was
// removed from the entry (nor the entry's own applicant), the least loaded first (fewest active
// assignments in the edition, ties by user id). Entries with the fewest eligible members to
// spare are served first, so that scarce experts go where they are needed; the result is the
// same for the same data. It reports the entries left short. actorID is who ran it (0: the
// system); the run is audited. The caller checks that actorID may (CanManage).
func AutoAssign(ctx context.Context, tx pgx.Tx, editionID, actorID int64, now time.Time) (Result, error) {
	return autoAssign(ctx, tx, editionID, actorID, 0, "committee.assignment.auto", now)
}

// candidate is an eligible (entry, evaluator) pair.
type candidate struct{ app, evaluator int64 }

func autoAssign(ctx context.Context, tx pgx.Tx, editionID, actorID, onlyApp int64, action string, now time.Time) (Result, error) {
	if err := lockEdition(ctx, tx, editionID); err != nil {
		return Result{}, err
	}
	settings, err := edition.ScoringOf(ctx, tx, editionID)
	if err != nil {
		return Result{}, fmt.Errorf("committee: assign: %w", err)
	}
	res := Result{PerEntry: settings.EvaluatorsPerEntry}
	args := pgx.NamedArgs{"edition": editionID, "app": onlyApp}
	scope := `r.edition_id = @edition AND (@app::bigint = 0 OR r.application_id = @app)`

	type entry struct {
		id         int64
		have       int
		candidates []int64
	}
	entries, err := db.List(ctx, tx, "committee: assign: entries", func(row pgx.CollectableRow) (*entry, error) {
		e := &entry{}
		return e, row.Scan(&e.id, &e.have)
	}, `
		SELECT r.application_id, count(x.id)
		FROM round2_entries r
		LEFT JOIN assignments x ON x.application_id = r.application_id AND x.ended_at IS NULL
		WHERE `+scope+`
		GROUP BY r.application_id ORDER BY r.application_id`, args)
	if err != nil {
		return res, err
	}
	res.Entries = len(entries)
	byID := make(map[int64]*entry, len(entries))
	for _, e := range entries {
		byID[e.id] = e
	}

	cands, err := db.List(ctx, tx, "committee: assign: candidates", func(row pgx.CollectableRow) (candidate, error) {
		var c candidate
		return c, row.Scan(&c.app, &c.evaluator)
	}, `
		SELECT r.application_id, m.user_id
		FROM round2_entries r
		JOIN applications a ON a.id = r.application_id
		JOIN evaluator_categories ec ON ec.category_id = r.category_id
		JOIN (`+memberSQL+`) m ON m.user_id = ec.user_id
		JOIN users u ON u.id = m.user_id AND u.deactivated_at IS NULL AND u.erased_at IS NULL
		WHERE `+scope+` AND a.user_id <> m.user_id
		  AND NOT EXISTS (SELECT 1 FROM assignments x WHERE x.application_id = r.application_id AND x.evaluator_id = m.user_id)
		  AND NOT EXISTS (SELECT 1 FROM assignment_conflicts c WHERE c.application_id = r.application_id AND c.evaluator_id = m.user_id)
		ORDER BY r.application_id, m.user_id`, args)
	if err != nil {
		return res, err
	}
	for _, c := range cands {
		if e := byID[c.app]; e != nil {
			e.candidates = append(e.candidates, c.evaluator)
		}
	}

	load := map[int64]int{}
	rows, err := tx.Query(ctx, `SELECT evaluator_id, count(*) FROM assignments
		WHERE edition_id = @edition AND ended_at IS NULL GROUP BY evaluator_id`, args)
	if err != nil {
		return res, fmt.Errorf("committee: assign: load: %w", err)
	}
	var ev int64
	var n int
	if _, err := pgx.ForEachRow(rows, []any{&ev, &n}, func() error { load[ev] = n; return nil }); err != nil {
		return res, fmt.Errorf("committee: assign: load: %w", err)
	}

	// Scarcest first: the entries with the fewest eligible members beyond what they need.
	need := func(e *entry) int { return max(res.PerEntry-e.have, 0) }
	order := slices.Clone(entries)
	slices.SortStableFunc(order, func(a, b *entry) int {
		return cmp.Or(cmp.Compare(len(a.candidates)-need(a), len(b.candidates)-need(b)), cmp.Compare(a.id, b.id))
	})
	var pairs []candidate
	for _, e := range order {
		k := need(e)
		if k == 0 {
			continue
		}
		slices.SortStableFunc(e.candidates, func(a, b int64) int {
			return cmp.Or(cmp.Compare(load[a], load[b]), cmp.Compare(a, b))
		})
		for _, c := range e.candidates[:min(k, len(e.candidates))] {
			pairs = append(pairs, candidate{e.id, c})
			load[c]++
			e.have++
		}
	}
	for _, e := range entries {
		if e.have < res.PerEntry {
			res.Unfilled = append(res.Unfilled, Unfilled{ApplicationID: e.id, Have: e.have, Need: res.PerEntry})
		}
	}
	slices.SortFunc(pairs, func(a, b candidate) int {
		return cmp.Or(cmp.Compare(a.app, b.app), cmp.Compare(a.evaluator, b.evaluator))
	})

	if len(pairs) > 0 {
		apps, evs := make([]int64, len(pairs)), make([]int64, len(pairs))
		for i, p := range pairs {
			apps[i], evs[i] = p.app, p.evaluator
		}
		rows, err := tx.Query(ctx, `
			INSERT INTO assignments (application_id, evaluator_id, edition_id, assigned_at, assigned_by, reason)
			SELECT p.app, p.ev, @edition, @now, NULL, ''
			FROM unnest(@apps::bigint[], @evs::bigint[]) WITH ORDINALITY AS p(app, ev, i)
			ORDER BY p.i
			RETURNING `+assignmentColumns,
			pgx.NamedArgs{"edition": editionID, "now": now, "apps": apps, "evs": evs})
		if err != nil {
			return res, fmt.Errorf("committee: assign: insert: %w", err)
		}
		if res.Created, err = pgx.CollectRows(rows, scanAssignment); err != nil {
			return res, fmt.Errorf("committee: assign: insert: %w", err)
		}
		slices.SortFunc(res.Created, func(a, b Assignment) int {
			return cmp.Or(cmp.Compare(a.ApplicationID, b.ApplicationID), cmp.Compare(a.EvaluatorID, b.EvaluatorID))
		})
	}

	created := make([][2]int64, len(res.Created))
	for i, a := range res.Created {
		created[i] = [2]int64{a.ApplicationID, a.EvaluatorID}
	}
	unfilled := make([]map[string]any, len(res.Unfilled))
	for i, u := range res.Unfilled {
		unfilled[i] = map[string]any{"entry": u.ApplicationID, "have": u.Have, "need": u.Need}
	}
	e := audit.Entry{ActorID: actorID, Action: action, ObjectType: "edition", ObjectID: strconv.FormatInt(editionID, 10),
		Details: map[string]any{"per_entry": res.PerEntry, "entries": res.Entries, "created": created, "unfilled": unfilled}}
	if onlyApp != 0 {
		e.ObjectType, e.ObjectID = "application", strconv.FormatInt(onlyApp, 10)
	}
	if actorID == 0 {
		e.ActorLabel = "system"
	}
	if err := audit.Record(ctx, tx, e); err != nil {
		return res, err
	}
	return res, nil
}

const assignmentColumns = `id, application_id, evaluator_id, edition_id, assigned_at, coalesce(assigned_by, 0), reason,
	ended_at, coalesce(end_kind, ''), end_reason`

func scanAssignment(row pgx.CollectableRow) (Assignment, error) {
	var a Assignment
	err := row.Scan(&a.ID, &a.ApplicationID, &a.EvaluatorID, &a.EditionID, &a.AssignedAt, &a.AssignedBy, &a.Reason,
		&a.EndedAt, &a.EndKind, &a.EndReason)
	return a, err
}

// checkReason returns the trimmed reason, or a problem on field "reason".
func checkReason(reason, missing string) (string, field.Errors) {
	reason = strings.TrimSpace(reason)
	switch {
	case reason == "":
		return "", field.Errors{{Field: "reason", Message: missing}}
	case utf8.RuneCountInString(reason) > MaxReason:
		return "", field.Errors{{Field: "reason", Message: i18n.Msg("Keep the reason to {{.Max}} characters.", "Max", strconv.Itoa(MaxReason))}}
	}
	return reason, nil
}

func assignmentAudit(a Assignment) map[string]any {
	return map[string]any{"edition": a.EditionID, "entry": a.ApplicationID, "evaluator": a.EvaluatorID,
		"reason": a.Reason, "end_kind": a.EndKind, "end_reason": a.EndReason}
}

// Assign assigns entry appID to evaluatorID by hand, for actor (the secretariat or committee head
// of the entry's edition, checked in SQL), with a reason, and audits it. It is an override: the
// member's expertise need not include the entry's category. Refused, as field.Errors on the
// fields entry, evaluator and reason: no reason; appID is not a round 2 entry of an edition
// actor manages; evaluatorID is not on its committee or is the entry's applicant; they have a
// conflict of interest with the entry (the message says which); they recused from it; they are
// already assigned.
func Assign(ctx context.Context, tx pgx.Tx, actor, appID, evaluatorID int64, reason string, now time.Time) (Assignment, error) {
	var errs field.Errors
	var editionID int64
	err := tx.QueryRow(ctx, `SELECT r.edition_id FROM round2_entries r WHERE r.application_id = @app AND `+staffOf("r.edition_id"),
		pgx.NamedArgs{"app": appID, "staff": actor}).Scan(&editionID)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		errs.Add("entry", "Choose an entry of round 2.")
	case err != nil:
		return Assignment{}, fmt.Errorf("committee: assign: %w", err)
	}
	reason, rerrs := checkReason(reason, i18n.M("Say why you assign this evaluator by hand."))
	if errs.Any() {
		if evaluatorID == 0 {
			errs.Add("evaluator", "Choose an evaluator.")
		}
		return Assignment{}, append(errs, rerrs...)
	}
	if err := lockEdition(ctx, tx, editionID); err != nil {
		return Assignment{}, err
	}
	var (
		member, applicant, recused, active bool
		name                               string
	)
	err = tx.QueryRow(ctx, `
		SELECT EXISTS (SELECT 1 FROM (`+memberSQL+`) m WHERE m.user_id = @evaluator),
			EXISTS (SELECT 1 FROM applications a WHERE a.id = @app AND a.user_id = @evaluator),
			EXISTS (SELECT 1 FROM assignments x WHERE x.application_id = @app AND x.evaluator_id = @evaluator AND x.end_kind = 'recused'),
			EXISTS (SELECT 1 FROM assignments x WHERE x.application_id = @app AND x.evaluator_id = @evaluator AND x.ended_at IS NULL),
			coalesce((SELECT coalesce(nullif(u.name, ''), u.email) FROM users u WHERE u.id = @evaluator), '')`,
		pgx.NamedArgs{"edition": editionID, "app": appID, "evaluator": evaluatorID}).Scan(&member, &applicant, &recused, &active, &name)
	if err != nil {
		return Assignment{}, fmt.Errorf("committee: assign: %w", err)
	}
	switch {
	case !member:
		errs.Add("evaluator", "Choose a member of the committee.")
	case applicant:
		errs.Add("evaluator", i18n.Msg("{{.Name}} entered this entry and cannot score it.", "Name", name))
	case recused:
		errs.Add("evaluator", i18n.Msg("{{.Name}} recused from this entry and cannot be assigned to it again.", "Name", name))
	case active:
		errs.Add("evaluator", i18n.Msg("{{.Name}} is already assigned to this entry.", "Name", name))
	default:
		conflicted, reasons, err := Conflicted(ctx, tx, evaluatorID, appID)
		if err != nil {
			return Assignment{}, err
		}
		if conflicted {
			errs.Add("evaluator", i18n.Msg("{{.Name}} has a conflict of interest with this entry and cannot be assigned: {{.Reasons}}.", "Name", name, "Reasons", strings.Join(reasons, "; ")))
		}
	}
	errs = append(errs, rerrs...)
	if errs.Any() {
		return Assignment{}, errs
	}
	rows, err := tx.Query(ctx, `
		INSERT INTO assignments (application_id, evaluator_id, edition_id, assigned_at, assigned_by, reason)
		VALUES (@app, @evaluator, @edition, @now, @actor, @reason)
		RETURNING `+assignmentColumns,
		pgx.NamedArgs{"app": appID, "evaluator": evaluatorID, "edition": editionID, "now": now, "actor": actor, "reason": reason})
	if err != nil {
		return Assignment{}, fmt.Errorf("committee: assign: %w", err)
	}
	a, err := pgx.CollectExactlyOneRow(rows, scanAssignment)
	if err != nil {
		return Assignment{}, fmt.Errorf("committee: assign: %w", err)
	}
	if err := audit.Record(ctx, tx, audit.Entry{ActorID: actor, Action: "committee.assignment.add", ObjectType: "assignment",
		ObjectID: strconv.FormatInt(a.ID, 10), Details: assignmentAudit(a)}); err != nil {
		return Assignment{}, err
	}
	return a, nil
}

// Remove ends active assignment assignmentID (kind "removed") for actor (the secretariat or
// committee head of its edition, checked in SQL) with a reason, and audits it. The entry is not
// refilled: the next automatic assignment does that (never with the removed evaluator).
// db.ErrNotFound when there is no such active assignment actor manages; no reason is
// field.Errors{"reason"}.
func Remove(ctx context.Context, tx pgx.Tx, actor, assignmentID int64, reason string, now time.Time) (Assignment, error) {
	reason, errs := checkReason(reason, i18n.M("Say why you remove this evaluator from the entry."))
	if errs.Any() {
		return Assignment{}, errs
	}
	rows, err := tx.Query(ctx, `
		UPDATE assignments x SET ended_at = @now, ended_by = @actor, end_kind = 'removed', end_reason = @reason
		WHERE x.id = @id AND x.ended_at IS NULL AND `+staffOf("x.edition_id")+`
		RETURNING `+assignmentColumns,
		pgx.NamedArgs{"id": assignmentID, "now": now, "actor": actor, "staff": actor, "reason": reason})
	if err != nil {
		return Assignment{}, fmt.Errorf("committee: remove: %w", err)
	}
	a, err := pgx.CollectExactlyOneRow(rows, scanAssignment)
	if err = db.Found(err, "committee: remove"); err != nil {
		return Assignment{}, err
	}
	if err := audit.Record(ctx, tx, audit.Entry{ActorID: actor, Action: "committee.assignment.remove", ObjectType: "assignment",
		ObjectID: strconv.FormatInt(a.ID, 10), Details: assignmentAudit(a)}); err != nil {
		return Assignment{}, err
	}
	return a, nil
}

// Recuse ends evaluatorID's active assignment to entry appID (kind "recused") with their reason,
// audits it, and refills the entry at once (the automatic assignment for that entry alone, which
// never picks evaluatorID again). It returns the evaluators newly assigned (none when nobody
// eligible is left: the coverage view shows the entry as short). db.ErrNotFound when
// evaluatorID has no active assignment to appID; no reason is field.Errors{"reason"}.
func Recuse(ctx context.Context, tx pgx.Tx, evaluatorID, appID int64, reason string, now time.Time) (refilled []int64, err error) {
	reason, errs := checkReason(reason, i18n.M("Say why you recuse yourself from this entry."))
	if errs.Any() {
		return nil, errs
	}
	ended, err := endAndRefill(ctx, tx, evaluatorID, "x.application_id = @app", pgx.NamedArgs{"app": appID, "reason": reason},
		"committee.assignment.recuse", now)
	if err != nil {
		return nil, err
	}
	if len(ended) == 0 {
		return nil, db.Found(pgx.ErrNoRows, "committee: recuse")
	}
	return ended[0], nil
}

// EndConflicted ends every active assignment of member in editionID to an entry they are now in
// conflict with (view assignment_conflicts: a declaration or a confirmed found conflict made after
// the assignment), as a recusal (kind "recused", the reason saying so), audits each and refills
// each entry at once, as Recuse does. It is conflict.Settle, run in the transaction that recorded
// the conflict.
func EndConflicted(ctx context.Context, tx pgx.Tx, member, editionID int64, now time.Time) error {
	_, err := endAndRefill(ctx, tx, member, `x.edition_id = @edition
		AND EXISTS (SELECT 1 FROM assignment_conflicts c WHERE c.application_id = x.application_id AND c.evaluator_id = x.evaluator_id)`,
		pgx.NamedArgs{"edition": editionID, "reason": "A conflict of interest with this entry was recorded after the assignment."},
		"committee.assignment.conflict", now)
	return err
}

// endAndRefill ends the active assignments of evaluatorID that match where (on assignments x,
// with args, @reason the end reason) as recusals, audits each as action and refills each entry;
// it returns, per ended assignment, the evaluators newly assigned.
func endAndRefill(ctx context.Context, tx pgx.Tx, evaluatorID int64, where string, args pgx.NamedArgs, action string, now time.Time) ([][]int64, error) {
	args["evaluator"], args["now"] = evaluatorID, now
	rows, err := tx.Query(ctx, `
		UPDATE assignments x SET ended_at = @now, ended_by = @evaluator, end_kind = 'recused', end_reason = @reason
		WHERE x.evaluator_id = @evaluator AND x.ended_at IS NULL AND `+where+`
		RETURNING `+assignmentColumns, args)
	if err != nil {
		return nil, fmt.Errorf("committee: recuse: %w", err)
	}
	ended, err := pgx.CollectRows(rows, scanAssignment)
	if err != nil {
		return nil, fmt.Errorf("committee: recuse: %w", err)
	}
	out := make([][]int64, 0, len(ended))
	for _, a := range ended {
		if err := audit.Record(ctx, tx, audit.Entry{ActorID: evaluatorID, Action: action, ObjectType: "assignment",
			ObjectID: strconv.FormatInt(a.ID, 10), Details: assignmentAudit(a)}); err != nil {
			return nil, err
		}
		res, err := autoAssign(ctx, tx, a.EditionID, 0, a.ApplicationID, "committee.assignment.refill", now)
		if err != nil {
			return nil, err
		}
		var refilled []int64
		for _, c := range res.Created {
			refilled = append(refilled, c.EvaluatorID)
		}
		out = append(out, refilled)
	}
	return out, nil
}

// Conflicted reports whether evaluatorID may not be assigned entry appID because of a conflict
// of interest (view assignment_conflicts: what they declared, and their countries when the
// edition's scoring.country_conflicts is on), with the reasons as people read them.
func Conflicted(ctx context.Context, q db.DBTX, evaluatorID, appID int64) (bool, []string, error) {
	reasons, err := db.List(ctx, q, "committee: conflicted", func(row pgx.CollectableRow) (string, error) {
		var m conflict.Match
		err := row.Scan(&m.Source, &m.SubjectKind, &m.Subject, &m.SubjectNote, &m.Field, &m.Matched)
		switch m.Source {
		case "country":
			return i18n.Msg("the entry comes from {{.Country}}, a country the evaluator is tied to", "Country", i18n.Country(m.Subject)), err
		case "found":
			return conflict.FoundReason(m.SubjectKind, m.Subject, m.Field, m.Matched), err
		}
		return m.Reason(), err
	}, `
		SELECT DISTINCT c.source, c.subject_kind, c.subject, c.subject_country, c.field, c.matched
		FROM assignment_conflicts c WHERE c.evaluator_id = $1 AND c.application_id = $2
		ORDER BY 1, 2, 3, 5`, evaluatorID, appID)
	if err != nil {
		return false, nil, err
	}
	return len(reasons) > 0, reasons, nil
}

// Assigned reports whether evaluatorID holds an active assignment to entry appID: the only
// entries an evaluator may open (DOMAIN.md "Round 2").
func Assigned(ctx context.Context, q db.DBTX, evaluatorID, appID int64) (bool, error) {
	var ok bool
	err := q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM assignments
		WHERE evaluator_id = $1 AND application_id = $2 AND ended_at IS NULL)`, evaluatorID, appID).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("committee: assigned: %w", err)
	}
	return ok, nil
}

// MyEntries lists the entries assigned to evaluatorID in editionID (active assignments), by
// category then entry id, with the state of their score sheet.
func MyEntries(ctx context.Context, q db.DBTX, evaluatorID, editionID int64) ([]MyEntry, error) {
	return db.List(ctx, q, "committee: my entries", func(row pgx.CollectableRow) (MyEntry, error) {
		var m MyEntry
		err := row.Scan(&m.AssignmentID, &m.ApplicationID, &m.CategoryID, &m.Category, &m.Title, &m.AssignedAt, &m.Sheet)
		return m, err
	}, `
		SELECT x.id, a.id, a.category_id, c.name, `+titleSQL+`, x.assigned_at, coalesce(s.status, '')
		FROM assignments x
		JOIN applications a ON a.id = x.application_id
		JOIN categories c ON c.id = a.category_id
		LEFT JOIN nominations n ON n.application_id = a.id
		LEFT JOIN score_sheets s ON s.application_id = x.application_id AND s.evaluator_id = x.evaluator_id
		WHERE x.evaluator_id = $1 AND x.edition_id = $2 AND x.ended_at IS NULL
		ORDER BY c.position, c.id, a.id`, evaluatorID, editionID)
}

// Coverage lists every round 2 entry of editionID (by category, then id) with its active
// assignments and the edition's number of evaluators per entry, for staff (CanManage; anyone
// else gets an empty list).
func Coverage(ctx context.Context, q db.DBTX, staff, editionID int64) ([]EntryCoverage, error) {
	settings, err := edition.ScoringOf(ctx, q, editionID)
	if err != nil {
		return nil, fmt.Errorf("committee: coverage: %w", err)
	}
	return db.List(ctx, q, "committee: coverage", func(row pgx.CollectableRow) (EntryCoverage, error) {
		var (
			c       EntryCoverage
			ids     []int64
			evs     []int64
			names   []string
			manual  []bool
			statues []string
		)
		if err := row.Scan(&c.ApplicationID, &c.CategoryID, &c.Category, &c.Title, &c.Applicant, &ids, &evs, &names, &manual, &statues); err != nil {
			return c, err
		}
		c.Need = settings.EvaluatorsPerEntry
		for i := range ids {
			c.Evaluators = append(c.Evaluators, AssignedEvaluator{AssignmentID: ids[i], EvaluatorID: evs[i], Name: names[i],
				Manual: manual[i], Sheet: statues[i]})
			if statues[i] == "submitted" {
				c.Submitted++
			}
		}
		return c, nil
	}, `
		SELECT a.id, a.category_id, c.name, `+titleSQL+`, coalesce(nullif(u.name, ''), u.email),
			coalesce(array_agg(x.id ORDER BY x.evaluator_id) FILTER (WHERE x.id IS NOT NULL), '{}'),
			coalesce(array_agg(x.evaluator_id ORDER BY x.evaluator_id) FILTER (WHERE x.id IS NOT NULL), '{}'),
			coalesce(array_agg(coalesce(nullif(ev.name, ''), ev.email) ORDER BY x.evaluator_id) FILTER (WHERE x.id IS NOT NULL), '{}'),
			coalesce(array_agg(x.assigned_by IS NOT NULL ORDER BY x.evaluator_id) FILTER (WHERE x.id IS NOT NULL), '{}'),
			coalesce(array_agg(coalesce(s.status, '') ORDER BY x.evaluator_id) FILTER (WHERE x.id IS NOT NULL), '{}')
		FROM round2_entries r
		JOIN applications a ON a.id = r.application_id
		JOIN categories c ON c.id = a.category_id
		JOIN users u ON u.id = a.user_id
		LEFT JOIN nominations n ON n.application_id = a.id
		LEFT JOIN assignments x ON x.application_id = a.id AND x.ended_at IS NULL
		LEFT JOIN users ev ON ev.id = x.evaluator_id
		LEFT JOIN score_sheets s ON s.application_id = a.id AND s.evaluator_id = x.evaluator_id
		WHERE r.edition_id = @edition AND `+staffOf("@edition")+`
		GROUP BY a.id, c.id, u.id, n.application_id
		ORDER BY c.position, c.id, a.id`, pgx.NamedArgs{"edition": editionID, "staff": staff})
}

// Load lists the committee of editionID (the head first, then by name) with their active
// assignments, submitted score sheets and recusals, for staff (CanManage; anyone else gets an
// empty list). Aggregated in SQL.
func Load(ctx context.Context, q db.DBTX, staff, editionID int64) ([]EvaluatorLoad, error) {
	return db.List(ctx, q, "committee: load", func(row pgx.CollectableRow) (EvaluatorLoad, error) {
		var l EvaluatorLoad
		err := row.Scan(&l.EvaluatorID, &l.Name, &l.Email, &l.Head, &l.Categories, &l.Active, &l.Submitted, &l.Recused)
		return l, err
	}, `
		SELECT u.id, u.name, u.email, m.head,
			ARRAY(SELECT c.name FROM evaluator_categories ec JOIN categories c ON c.id = ec.category_id
			      WHERE ec.user_id = u.id AND c.edition_id = @edition ORDER BY c.position, c.id),
			(SELECT count(*) FROM assignments x WHERE x.evaluator_id = u.id AND x.edition_id = @edition AND x.ended_at IS NULL),
			(SELECT count(*) FROM score_sheets s WHERE s.evaluator_id = u.id AND s.edition_id = @edition AND s.status = 'submitted'),
			(SELECT count(*) FROM assignments x WHERE x.evaluator_id = u.id AND x.edition_id = @edition AND x.end_kind = 'recused')
		FROM (`+memberSQL+`) m JOIN users u ON u.id = m.user_id
		WHERE `+staffOf("@edition")+`
		ORDER BY m.head DESC, lower(u.name), u.id`, pgx.NamedArgs{"edition": editionID, "staff": staff})
}

// Get returns assignment id; db.ErrNotFound when there is none.
func Get(ctx context.Context, q db.DBTX, id int64) (Assignment, error) {
	rows, err := q.Query(ctx, `SELECT `+assignmentColumns+` FROM assignments WHERE id = $1`, id)
	if err != nil {
		return Assignment{}, fmt.Errorf("committee: get: %w", err)
	}
	a, err := pgx.CollectExactlyOneRow(rows, scanAssignment)
	return db.One(a, err, "committee: get")
}

// userLabel is user id's name, or their email when they have none.
func userLabel(ctx context.Context, q db.DBTX, id int64) (string, error) {
	var name string
	if err := q.QueryRow(ctx, `SELECT coalesce(nullif(name, ''), email) FROM users WHERE id = $1`, id).Scan(&name); err != nil {
		return "", fmt.Errorf("committee: member name: %w", err)
	}
	return name, nil
}

func nonNil(ids []int64) []int64 {
	if ids == nil {
		return []int64{}
	}
	return ids
}
