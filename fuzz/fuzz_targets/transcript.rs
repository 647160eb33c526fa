//! Transcript files: checking the hash chain never panics.
//! The checks live in ../checks.rs, which the corpus replay test shares.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../checks.rs"]
mod checks;

fuzz_target!(|data: &[u8]| checks::transcript(data));
