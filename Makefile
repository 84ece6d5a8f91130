# Taphuan's commands. `make run` serves the seeded demo; `make test` runs every gate CI runs.
.PHONY: run test bench fmt

run:
	scripts/run.sh

test:
	scripts/test.sh

# Pages under load and exam submissions with fsync (the release server in process, loopback),
# coverage at national scale (100k officials, 1M completions) and a 10 000-official roster
# import with accounts, each against a baseline measured in the same run; prints ratios. Results
# and how to read them: docs/PERFORMANCE.md. Not a test.
bench:
	RUSTFLAGS="--cfg erase_components" cargo run --release -p server --example http_bench
	RUSTFLAGS="--cfg erase_components" cargo run --release -p app --features ssr --example coverage_bench
	RUSTFLAGS="--cfg erase_components" cargo run --release -p app --features ssr --example coverage_db_bench
	RUSTFLAGS="--cfg erase_components" cargo run --release -p app --features ssr --example roster_bench
	RUSTFLAGS="--cfg erase_components" cargo run --release -p app --features ssr --example content_bench

fmt:
	cargo fmt --all
