//! Transcript files: checking the hash chain never panics.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let t = tuf_ceremony::transcript::Transcript::new(std::path::Path::new("fuzz-transcript.jsonl"));
    let _ = t.check(data);
});
