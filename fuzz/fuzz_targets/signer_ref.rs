//! Signer references (file:, yubihsm://, pkcs11:): never a panic, and an error never
//! repeats a PIN or password given in the reference.
//! The checks live in ../checks.rs, which the corpus replay test shares.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../checks.rs"]
mod checks;

fuzz_target!(|data: &[u8]| checks::signer_ref(data));
