//! The composition root: configuration, telemetry, the router and the CLI. Thin on purpose: the
//! application lives in the `app` crate; this wires it to a socket and a command line.

pub mod cli;
pub mod memory;
pub mod startup;
pub mod telemetry;
