# Taphuan's commands. `make run` serves the seeded demo; `make test` runs every gate CI runs.
.PHONY: run test bench fmt

run:
	scripts/run.sh

test:
	scripts/test.sh

fmt:
	cargo fmt --all
