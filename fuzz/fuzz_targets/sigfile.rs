//! Detached signature files (the input of `merge`): never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = tuf_ceremony::ceremony::sign::parse_sigfile_bytes(std::path::Path::new("fuzz.sig.json"), data);
});
