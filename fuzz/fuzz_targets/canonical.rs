//! Canonical JSON: parse → canonical → parse is a fixed point, and the readable and
//! compact forms parse back to the same value.
//! The checks live in ../checks.rs, which the corpus replay test shares.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../checks.rs"]
mod checks;

fuzz_target!(|data: &[u8]| checks::canonical(data));
