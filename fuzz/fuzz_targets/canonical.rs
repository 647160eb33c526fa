//! Canonical JSON: parse → canonical → parse is a fixed point, the readable form parses
//! back to the same value, and the digest the pull parser echoes while reading is the
//! SHA-256 of the canonical form.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tuf_ceremony::json;

fuzz_target!(|data: &[u8]| {
    if let Ok(v) = json::parse(data) {
        let c = json::canonical(&v);
        // Canonical form writes control characters raw, which is not always valid JSON; when
        // it parses, it must give the same value and the same bytes.
        if let Ok(v2) = json::parse(&c) {
            assert_eq!(v2, v);
            assert_eq!(json::canonical(&v2), c);
        }
        let p = json::pretty(&v);
        let v3 = json::parse(&p).expect("the readable form is always valid JSON");
        assert_eq!(v3, v);
        let compact = json::compact(&v);
        assert_eq!(json::parse(compact.as_bytes()).expect("compact parses"), v);
        let mut r = json::Reader::new(data).expect("parsed once already");
        r.echo_start();
        assert_eq!(r.value().expect("parsed once already"), v);
        // None only when an object had to be sorted after part of it was hashed.
        if let Some(digest) = r.echo_digest() {
            use sha2::Digest;
            assert_eq!(digest, <[u8; 32]>::from(sha2::Sha256::digest(&c)));
        }
    }
});
