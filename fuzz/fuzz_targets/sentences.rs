//! Fuzz target: see `harness::sentences` in tests/support/harness.rs (shared with the stable test suite).
#![no_main]

#[path = "../../tests/support/harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::sentences(data));
