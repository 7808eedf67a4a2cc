// Package storetest opens fresh databases of both engines for tests, so
// that every storage test (and every service test that stores something)
// runs on SQLite and on PostgreSQL: the conformance suite.
//
// PostgreSQL is found at CONG_TEST_POSTGRES (default
// postgres://postgres@127.0.0.1:5432/test). When it cannot be reached the
// PostgreSQL half is skipped with a message, except under CI=true, where it
// fails. CONG_TEST_ENGINES=sqlite (or postgres) runs one engine only.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/congvn/cong/internal/store"
)

// DefaultPostgresURL is where CI's PostgreSQL listens.
const DefaultPostgresURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// PostgresURL returns the URL of the test PostgreSQL server.
func PostgresURL() string {
	if u := os.Getenv("CONG_TEST_POSTGRES"); u != "" {
		return u
	}
	return DefaultPostgresURL
}

// CI reports whether the tests run under CI, where nothing may be skipped.
func CI() bool { return os.Getenv("CI") == "true" }

var (
	pgOnce sync.Once
	pgErr  error
)

// RequirePostgres skips t (or fails it under CI) when PostgreSQL cannot be
// reached.
func RequirePostgres(t testing.TB) {
	t.Helper()
	pgOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		db, err := sql.Open("pgx", PostgresURL())
		if err == nil {
			err = db.PingContext(ctx)
			db.Close()
		}
		pgErr = err
	})
	if pgErr != nil {
		if CI() {
			t.Fatalf("PostgreSQL is required under CI=true but cannot be reached at %s: %v", PostgresURL(), pgErr)
		}
		t.Skipf("PostgreSQL not reachable at %s (set CONG_TEST_POSTGRES to run this half of the suite): %v", PostgresURL(), pgErr)
	}
}

func wanted(e store.Engine) bool {
	v := os.Getenv("CONG_TEST_ENGINES")
	return v == "" || strings.Contains(v, string(e))
}

// Each runs fn once per engine, each time on a fresh, migrated database.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, e := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(e), func(t *testing.T) {
			if !wanted(e) {
				t.Skipf("engine %s not selected by CONG_TEST_ENGINES", e)
			}
			fn(t, Open(t, e))
		})
	}
}

// Open returns a fresh, migrated database of engine e, removed when the test
// ends. On PostgreSQL each test gets a schema of its own.
func Open(t testing.TB, e store.Engine) *store.DB {
	t.Helper()
	ctx := context.Background()
	var cfg store.Config
	if e == store.Postgres {
		cfg.URL = PostgresSchemaURL(t)
		cfg.Media = t.TempDir() // never ./cong-media in the source tree
	} else {
		cfg.Dir = t.TempDir()
	}
	db, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}

// PostgresSchemaURL creates a fresh schema on the test server and returns a
// URL that uses it, for tests that start cong as a separate process.
func PostgresSchemaURL(t testing.TB) string {
	t.Helper()
	RequirePostgres(t)
	schema := "t_" + randomHex(8)
	admin, err := sql.Open("pgx", PostgresURL())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.ExecContext(context.Background(), `CREATE SCHEMA `+schema); err != nil {
		admin.Close()
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		admin.ExecContext(context.Background(), `DROP SCHEMA `+schema+` CASCADE`)
		admin.Close()
	})
	return withSearchPath(PostgresURL(), schema)
}

func withSearchPath(raw, schema string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
