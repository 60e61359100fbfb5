package export

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/account"
	"prizeportal/internal/authz"
	"prizeportal/internal/ballot"
	"prizeportal/internal/blocks/pdfdoc"
	"prizeportal/internal/db"
	"prizeportal/internal/dossier"
	"prizeportal/internal/edition"
	"prizeportal/internal/files"
	"prizeportal/internal/i18n"
	"prizeportal/internal/notify"
)

// Documents renders the decision pack's PDF documents that other areas own, as actor reads them
// (each repeats its own rules, like the pages that show the same documents).
type Documents struct {
	// Dossier is the PDF dossier of the confirmed semi-finalist applicationID (internal/dossier's
	// rules).
	Dossier func(ctx context.Context, actor authz.Actor, applicationID int64) ([]byte, error)
	// Protocol is the PDF result protocol of the closed vote of cat in ed.
	Protocol func(ctx context.Context, actor authz.Actor, ed *edition.Edition, cat *edition.Category) ([]byte, error)
}

// DomainDocuments are the documents as their domains render them, at the time now tells: the
// dossier as actor reads it (dossier.DocumentOf, the dossier's download) and the result protocol
// of a closed vote (ballot.LoadProtocol, the protocol's download).
func DomainDocuments(pool *pgxpool.Pool, now func() time.Time) Documents {
	return Documents{
		Dossier: func(ctx context.Context, actor authz.Actor, id int64) ([]byte, error) {
			doc, err := dossier.DocumentOf(ctx, pool, actor, id, now())
			if err != nil {
				return nil, err
			}
			return pdfdoc.Bytes(doc)
		},
		Protocol: func(ctx context.Context, _ authz.Actor, ed *edition.Edition, cat *edition.Category) ([]byte, error) {
			p, err := ballot.LoadProtocol(ctx, pool, ed.ID, cat.ID)
			if err != nil {
				return nil, err
			}
			return pdfdoc.Bytes(p.Document(ed, cat, now()))
		},
	}
}

// JobDeps are what the export job needs.
type JobDeps struct {
	Pool      *pgxpool.Pool
	Files     files.Storage
	Logger    *slog.Logger
	Now       func() time.Time
	Documents Documents
}

// NewJob is the background job that produces exports (JobName), for the worker
// (notify.WorkerConfig.Jobs); Service.Request queues it.
func NewJob(d JobDeps) notify.Job {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	p := &producer{JobDeps: d}
	return notify.Job{Name: JobName, Run: p.run}
}

// producer produces the exports.
type producer struct {
	JobDeps
}

// errForbidden ends a job whose requester may no longer ask for it: no retry.
var errForbidden = errors.New("export: the requester may not produce this export")

// run produces export id (the notify.Job): as its requester, with their roles now; the file goes
// to the file storage and the row records it. A failed attempt is recorded and retried by River;
// a requester who may no longer ask for the export fails it for good.
func (p *producer) run(ctx context.Context, id int64, attempt int, last bool) error {
	j, err := Start(ctx, p.Pool, id, attempt, p.Now())
	if errors.Is(err, ErrFinished) || errors.Is(err, db.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	data, name, ctype, err := p.produce(ctx, j)
	if err == nil {
		key := "exports/" + files.NewKey()
		if err = p.Files.Put(ctx, key, bytes.NewReader(data), int64(len(data))); err == nil {
			err = Finish(ctx, p.Pool, j.ID, key, name, ctype, int64(len(data)), p.Now())
			if errors.Is(err, ErrFinished) {
				return nil
			}
		}
	}
	if err == nil {
		return nil
	}
	bg, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	final := last || errors.Is(err, errForbidden)
	msg := "Attempt " + strconv.Itoa(attempt) + " failed; the export is retried automatically."
	if errors.Is(err, errForbidden) {
		msg = "Your roles no longer allow this export."
	}
	if ferr := Fail(bg, p.Pool, j.ID, msg, final, p.Now()); ferr != nil {
		return errors.Join(err, ferr)
	}
	if errors.Is(err, errForbidden) {
		p.Logger.Warn("export refused: the requester may no longer produce it", "export", j.ID, "requester", j.RequesterID)
		return nil
	}
	return err
}

// progress records a job's progress, at most about once a second (and at the end).
type progress struct {
	pool  *pgxpool.Pool
	ctx   context.Context
	id    int64
	done  int
	total int
	last  time.Time
}

func (p *progress) add(n int) error {
	p.done += n
	if p.done < p.total && time.Since(p.last) < time.Second {
		return nil
	}
	p.last = time.Now()
	return SetProgress(p.ctx, p.pool, p.id, p.done, p.total)
}

func (p *progress) setTotal(n int) error {
	p.total = n
	return SetProgress(p.ctx, p.pool, p.id, p.done, p.total)
}

// produce builds the file of job j as its requester: the data, its file name and type.
func (p *producer) produce(ctx context.Context, j Job) ([]byte, string, string, error) {
	actor, _, err := account.LoadActor(ctx, p.Pool, j.RequesterID)
	if errors.Is(err, db.ErrNotFound) {
		return nil, "", "", errForbidden
	}
	if err != nil {
		return nil, "", "", err
	}
	ed, err := edition.ByID(ctx, p.Pool, j.EditionID)
	if err != nil {
		return nil, "", "", err
	}
	if !Allowed(actor, ed, j.Kind) {
		return nil, "", "", errForbidden
	}
	now := p.Now()
	if why, err := Unavailable(ctx, p.Pool, actor, ed, j.Kind, now); err != nil {
		return nil, "", "", err
	} else if why != "" {
		return nil, "", "", errForbidden
	}
	b := &builder{producer: p, actor: actor, ed: ed, now: now, p: &progress{pool: p.Pool, ctx: ctx, id: j.ID}}
	base := ed.Slug + "-" + string(j.Kind) + "-" + now.In(ed.TimeZone).Format("20060102-1504")
	var tables []Table
	switch j.Kind {
	case Pack:
		// the requester's language is not recorded on the job yet: the pack is in English
		data, err := b.decisionPack(ctx, j.Options, i18n.For("en"))
		return data, ed.Slug + "-decision-pack-" + now.In(ed.TimeZone).Format("20060102-1504") + ".zip", ContentZIP, err
	case Applications:
		tables, err = b.applicationTables(ctx, ScopeFor(actor, ed))
	case Scores:
		tables, err = b.scoreTables(ctx, j.Options.Anonymise, false)
	case Votes:
		tables, err = b.voteTables(ctx)
	case Audit:
		tables, err = b.auditTables(ctx)
	case Assigned:
		tables, err = b.applicationTables(ctx, AssignedEntries)
		if err == nil {
			var own []Table
			own, err = b.scoreTables(ctx, false, true)
			tables = append(tables, own...)
		}
	}
	if err != nil {
		return nil, "", "", err
	}
	data, ext, ctype, err := Encode(tables, j.Options.Format, now)
	return data, base + ext, ctype, err
}
