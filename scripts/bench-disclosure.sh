#!/usr/bin/env bash
# Measures what issue 4 promises for mandatory disclosure, on both storage
# engines: a document search (p50/p95 over 200,000 documents: by number, by
# words without diacritics, filtered, city-wide and on one site) and the
# compliance audit of every site over the same documents.
#
#   scripts/bench-disclosure.sh            (CONG_BENCH_DOCS changes the size)
#
# PostgreSQL is used at CONG_TEST_POSTGRES (default 127.0.0.1:5432, database
# test); without it only SQLite is measured.
set -euo pipefail
cd "$(dirname "$0")/.."
go test -run XXX -bench 'DocumentSearch' -benchtime 2000x ./internal/document/
go test -run XXX -bench 'Audit' -benchtime 20x ./internal/document/
