// Package store keeps the domain's data in SQLite (embedded, the default) or
// PostgreSQL. Both engines run the same queries, written with "?"
// placeholders and rebound for PostgreSQL; where the dialects differ, the
// difference lives in one named helper in dialect.go.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"             // registers "sqlite"
)

// Engine names a storage engine.
type Engine string

// The two engines.
const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// DB is an open database of either engine.
type DB struct {
	engine Engine
	write  *sql.DB // SQLite: one connection, so writers queue instead of failing
	read   *sql.DB // SQLite: a pool of read-only connections; PostgreSQL: same as write
	dir    string  // SQLite: the data directory
	media  string  // uploaded files
	dsn    string

	rebound  sync.Map     // query text -> rebound query text (PostgreSQL)
	nrebound atomic.Int64 // entries in rebound, capped so built queries cannot grow it forever
	stmts    sync.Map     // query text -> *sql.Stmt on the SQLite read pool
	nstmts   atomic.Int64
}

// Config says where the data lives: Dir for SQLite, URL for PostgreSQL.
type Config struct {
	Dir string // data directory holding cong.db and media/
	URL string // postgres://…
	// Media is where uploaded files are kept: by default DIR/media with
	// SQLite, ./cong-media with PostgreSQL (a volume every node shares).
	Media string
	// FullSync makes SQLite fsync the log at every commit
	// (synchronous=FULL): a commit then survives a power cut, not only a
	// crash of the process, at the cost of write throughput.
	FullSync bool
}

// Open opens (and for SQLite creates) the database. It does not migrate;
// call Migrate.
func Open(ctx context.Context, c Config) (*DB, error) {
	var db *DB
	var err error
	switch {
	case c.URL != "":
		db, err = openPostgres(ctx, c.URL)
	case c.Dir == "":
		return nil, errors.New("store: a data directory (--data) or a PostgreSQL URL (--db) is required")
	default:
		db, err = openSQLite(ctx, c.Dir, c.FullSync)
	}
	if err != nil {
		return nil, err
	}
	db.media = c.Media
	if db.media == "" && c.URL != "" {
		db.media = "cong-media"
	} else if db.media == "" {
		db.media = filepath.Join(c.Dir, "media")
	}
	return db, nil
}

// MediaDir returns the directory uploaded files are kept in.
func (db *DB) MediaDir() string { return db.media }

func openSQLite(ctx context.Context, dir string, fullSync bool) (*DB, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("store: create data directory: %w", err)
	}
	path := filepath.Join(dir, "cong.db")
	sync := "NORMAL"
	if fullSync {
		sync = "FULL"
	}
	params := "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)" +
		"&_pragma=synchronous(" + sync + ")&_time_format=sqlite"
	w, err := sql.Open("sqlite", "file:"+path+"?"+params+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	r, err := sql.Open("sqlite", "file:"+path+"?"+params+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	r.SetMaxOpenConns(max(4, runtime.NumCPU()*2))
	r.SetMaxIdleConns(max(4, runtime.NumCPU()*2))
	return &DB{engine: SQLite, write: w, read: r, dir: dir}, nil
}

func openPostgres(ctx context.Context, url string) (*DB, error) {
	p, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("store: open PostgreSQL: %w", err)
	}
	p.SetMaxOpenConns(20)
	p.SetMaxIdleConns(10)
	p.SetConnMaxIdleTime(5 * time.Minute)
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := p.PingContext(pctx); err != nil {
		p.Close()
		return nil, fmt.Errorf("store: connect to PostgreSQL: %w", err)
	}
	return &DB{engine: Postgres, write: p, read: p, dsn: url}, nil
}

// Engine reports which engine db runs on.
func (db *DB) Engine() Engine { return db.engine }

// Dir returns the SQLite data directory ("" on PostgreSQL).
func (db *DB) Dir() string { return db.dir }

// Close closes every connection.
func (db *DB) Close() error {
	db.stmts.Range(func(_, v any) bool { v.(*sql.Stmt).Close(); return true })
	err := db.write.Close()
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	return err
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.read.PingContext(ctx) }

// querier is what *sql.DB and *sql.Tx have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

type txKey struct{}

type txState struct {
	tx       *sql.Tx
	db       *DB
	onCommit []func()
	keys     map[string]bool // AfterCommit keys already registered
}

// InTx runs fn in a transaction carried by the context: every store call made
// with that context joins it, so a domain operation and its audit entry are
// written together or not at all. Nested calls join the outer transaction.
func (db *DB) InTx(ctx context.Context, fn func(ctx context.Context) error) (err error) {
	if st, ok := ctx.Value(txKey{}).(*txState); ok && st.db == db {
		return fn(ctx)
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	st := &txState{tx: tx, db: db}
	defer func() {
		if p := recover(); p != nil {
			tx.Rollback()
			panic(p)
		}
		if err != nil {
			tx.Rollback()
			return
		}
		if cerr := tx.Commit(); cerr != nil {
			err = fmt.Errorf("store: commit: %w", cerr)
			return
		}
		for _, f := range st.onCommit {
			f()
		}
	}()
	return fn(context.WithValue(ctx, txKey{}, st))
}

// AfterCommit runs f once the transaction in ctx commits, or at once when
// ctx carries none. Caches are invalidated this way, so no reader sees the
// old page after the change is visible, nor the new page before. A non-empty
// key registers f at most once per transaction: a batch of a thousand
// changes reloads a cache once, not a thousand times.
func (db *DB) AfterCommit(ctx context.Context, key string, f func()) {
	if st, ok := ctx.Value(txKey{}).(*txState); ok && st.db == db {
		if key != "" {
			if st.keys[key] {
				return
			}
			if st.keys == nil {
				st.keys = map[string]bool{}
			}
			st.keys[key] = true
		}
		st.onCommit = append(st.onCommit, f)
		return
	}
	f()
}

// reader returns the transaction in ctx or the read pool.
func (db *DB) reader(ctx context.Context) querier {
	if st, ok := ctx.Value(txKey{}).(*txState); ok && st.db == db {
		return st.tx
	}
	return db.read
}

// inTx reports whether ctx carries a transaction of db.
func (db *DB) inTx(ctx context.Context) bool {
	st, ok := ctx.Value(txKey{}).(*txState)
	return ok && st.db == db
}

// exec runs a statement in the transaction in ctx, or in one of its own.
func (db *DB) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st, ok := ctx.Value(txKey{}).(*txState); ok && st.db == db {
		return st.tx.ExecContext(ctx, db.q(query), args...)
	}
	return db.write.ExecContext(ctx, db.q(query), args...)
}

// query runs a query in the transaction in ctx, or on the read pool.
func (db *DB) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := db.prepared(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return db.reader(ctx).QueryContext(ctx, db.q(query), args...)
}

// queryRow runs a one-row query in the transaction in ctx, or on the read pool.
func (db *DB) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	if st := db.prepared(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return db.reader(ctx).QueryRowContext(ctx, db.q(query), args...)
}

// prepared returns a prepared statement of the SQLite read pool for query,
// outside transactions: SQLite spends more time parsing a query than
// running a lookup by key, and public pages run the same few queries over
// and over. (pgx caches prepared statements itself.) The cache is capped
// like the rebinding cache, so queries built from input cannot grow it.
func (db *DB) prepared(ctx context.Context, query string) *sql.Stmt {
	if db.engine != SQLite || db.inTx(ctx) {
		return nil
	}
	if v, ok := db.stmts.Load(query); ok {
		return v.(*sql.Stmt)
	}
	if db.nstmts.Load() >= 1024 {
		return nil
	}
	st, err := db.read.PrepareContext(context.WithoutCancel(ctx), query)
	if err != nil {
		return nil
	}
	if v, loaded := db.stmts.LoadOrStore(query, st); loaded {
		st.Close()
		return v.(*sql.Stmt)
	}
	db.nstmts.Add(1)
	return st
}

// q rebinds "?" placeholders to "$n" for PostgreSQL. Queries must not hold a
// literal "?" in a string; none do.
func (db *DB) q(query string) string {
	if db.engine != Postgres {
		return query
	}
	if v, ok := db.rebound.Load(query); ok {
		return v.(string)
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteByte(query[i])
	}
	out := b.String()
	if db.nrebound.Add(1) < 4096 {
		db.rebound.Store(query, out)
	}
	return out
}

// ReleaseMemory closes the idle SQLite connections after a bulk load (the
// demo's build): each keeps its page cache and statement memory, megabytes
// after a large transaction. The pools open fresh ones when next needed.
func (db *DB) ReleaseMemory() {
	if db.engine != SQLite {
		return
	}
	db.write.SetMaxIdleConns(0)
	db.write.SetMaxIdleConns(2)
	n := max(4, runtime.NumCPU()*2)
	db.read.SetMaxIdleConns(0)
	db.read.SetMaxIdleConns(n)
}
