#![no_main]
//! See `app::ssr::fuzz::token` for what this target checks.
libfuzzer_sys::fuzz_target!(|data: &[u8]| app::ssr::fuzz::token(data));
