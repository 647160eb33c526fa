//! Detached signature files (the input of `merge`): never a panic, neither in parsing nor in
//! reading and verifying the device attestation a file carries (PEM, X.509, the chain, then
//! Yubico's extensions). The test CA and key of tests/data/attest let a seed carrying that
//! chain reach the extension readers.
//! The checks live in ../checks.rs, which the corpus replay test shares.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../checks.rs"]
mod checks;

fuzz_target!(|data: &[u8]| checks::sigfile(data));
