# Taphuan's commands. `make run` serves the seeded demo; `make test` runs every gate CI runs.
.PHONY: run test bench fmt

run:
	scripts/run.sh

test:
	scripts/test.sh

# Pages under load, the exam-start spike and exam submissions with fsync (the release server in
# process, loopback), the national dataset (100k officials, 1M completions) behind the server and
# under coverage, a 10 000-official roster import with accounts and the content compiler, on
# SQLite and on a throwaway PostgreSQL: scripts/bench.sh. Each figure beside a baseline measured
# in the same run; results and how to read them: docs/PERFORMANCE.md. Not a test.
bench:
	scripts/bench.sh

fmt:
	cargo fmt --all
