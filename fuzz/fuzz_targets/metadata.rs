//! Metadata files: parsing never panics, and what parses survives write → parse unchanged,
//! with the same payload (what signatures cover).
//! The checks live in ../checks.rs, which the corpus replay test shares.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../checks.rs"]
mod checks;

fuzz_target!(|data: &[u8]| checks::metadata(data));
