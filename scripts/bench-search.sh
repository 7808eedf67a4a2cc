#!/bin/sh
# Search benchmark: builds (once) a corpus of realistic Vietnamese documents
# over the real Hà Nội site tree, then reports p50/p95 per class of query
# (top 10 with facets), the indexing rate and the time of one publish.
#
#   scripts/bench-search.sh                 # 1,000,000 documents, SQLite, kept in /tmp/cong-search-1m
#   DOCS=200000 ENGINE=postgres scripts/bench-search.sh
#
# The SQLite corpus is rebuilt only when it holds fewer than DOCS documents
# (remove the directory to measure indexing again). PostgreSQL uses the
# schema bench_search of the test server (CONG_TEST_POSTGRES). Indexing is
# reported in wall time and in the process's CPU time (the machine is
# shared); BATCH sets the documents per transaction (5,000).
set -eu
cd "$(dirname "$0")/../internal/search"
DOCS=${DOCS:-1000000}
ENGINE=${ENGINE:-sqlite}
DIR=${DIR:-/tmp/cong-search-$DOCS}
mkdir -p "$DIR"
CONG_BENCH_DOCS=$DOCS CONG_BENCH_ENGINE=$ENGINE CONG_BENCH_DIR=$DIR CONG_BENCH_ROUNDS=${ROUNDS:-5} CONG_BENCH_BATCH=${BATCH:-5000} \
	go test . -run XXX -bench BenchmarkSearch -benchtime=1x -timeout 3h
