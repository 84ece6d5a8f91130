//! The C heap: SQLite allocates through glibc's malloc (Rust code uses mimalloc,
//! `src/main.rs`). sqlx runs each SQLite connection on a thread of its own, and glibc gives
//! each such thread an arena of its own (up to 8 per core) that keeps what it freed: after a
//! national coverage view the process held 374 MB, 210 MB with one arena, at the same speed
//! (`make bench`, docs/PERFORMANCE.md).

/// Runs this program again with `MALLOC_ARENA_MAX=1` unless the environment already sets it
/// (glibc reads it before `main`, and the workspace forbids the `unsafe` `mallopt`); call
/// first thing in `main`. Does nothing off glibc or if the program cannot be run again.
pub fn limit_c_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        use std::os::unix::process::CommandExt;
        if std::env::var_os("MALLOC_ARENA_MAX").is_some() {
            return;
        }
        let Ok(me) = std::env::current_exe() else { return };
        // Returns only if it failed; the program then goes on as it is.
        let _ = std::process::Command::new(me)
            .args(std::env::args_os().skip(1))
            .env("MALLOC_ARENA_MAX", "1")
            .exec();
    }
}
