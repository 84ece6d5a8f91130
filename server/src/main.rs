//! `taphuan`: one binary for serving, migrating, creating users and seeding the demo.

fn main() -> std::process::ExitCode {
    server::telemetry::init();
    server::cli::main()
}
