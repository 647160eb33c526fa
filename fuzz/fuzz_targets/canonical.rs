//! Canonical JSON: parse → canonical → parse is a fixed point, and the readable and
//! compact forms parse back to the same value.
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
    }
});
