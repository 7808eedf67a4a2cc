#!/usr/bin/env bash
# Measures what issue 7 promises for the data portal, on SQLite and on
# PostgreSQL (127.0.0.1:5432, user postgres, database test, or
# CONG_TEST_POSTGRES; skipped with a message when it is not there):
#   - package_search with facets over 10,000 datasets (target p95 ≤ 20 ms);
#   - loading a 1,000,000-row CSV into the datastore (target ≥ 100,000 rows/s);
#   - datastore_search on that resource: a filter on one or two columns
#     (target p95 ≤ 50 ms), words (q), words with a filter, a filtered page
#     sorted by a column; each with its total. The first query of a fresh
#     node, which reads the coded columns from the database, is logged.
#
#   scripts/bench-opendata.sh [rows]        (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-1000000}"
filter='Benchmark|rows/s|fresh node|created|^ok|FAIL|SKIP|skip'
for engine in sqlite postgres; do
  echo "== $engine: package_search, 10,000 datasets"
  CONG_TEST_ENGINES=$engine go test -v -run XXX -bench 'PackageSearch' -benchtime 1000x ./internal/opendata/ | grep -E "$filter" | grep -v '^=== '
  echo "== $engine: datastore load, $rows rows"
  CONG_TEST_ENGINES=$engine CONG_BENCH_ROWS=$rows go test -v -run XXX -bench 'DatastoreLoad' -benchtime 1x ./internal/opendata/ | grep -E "$filter" | grep -v '^=== '
  echo "== $engine: datastore_search, $rows rows"
  CONG_TEST_ENGINES=$engine CONG_BENCH_ROWS=$rows go test -v -run XXX -bench 'DatastoreSearch' -benchtime 200x ./internal/opendata/ | grep -E "$filter" | grep -v '^=== '
done
