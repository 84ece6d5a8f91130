//! `taphuan`: one binary for serving, migrating, creating users and seeding the demo.

/// mimalloc, not glibc's malloc: in a national coverage view glibc spent ~23 % of the time
/// consolidating and unlinking freed chunks (`perf record`, docs/PERFORMANCE.md).
#[cfg(not(feature = "system-alloc"))]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    server::memory::limit_c_arenas();
    server::telemetry::init();
    server::cli::main()
}
