//! Metadata files: parsing never panics, and what parses survives write → parse unchanged,
//! with the same payload (what signatures cover).
#![no_main]
use libfuzzer_sys::fuzz_target;
use tuf_ceremony::metadata::Metadata;

fuzz_target!(|data: &[u8]| {
    if let Ok(md) = Metadata::from_bytes(data) {
        let payload = md.payload();
        let written = md.to_file_bytes();
        let again = Metadata::from_bytes(&written).expect("what we write parses");
        assert_eq!(again.payload(), payload, "payload changed on a round trip");
        assert_eq!(again, md);
        // Loading a parsed tree agrees with loading the bytes.
        let tree = tuf_ceremony::json::parse(data).expect("parsed once already");
        let via_tree = Metadata::from_value(tree).expect("the tree path accepts it too");
        assert_eq!(via_tree, md);
        // The payload load hands back is the one the model writes.
        let loaded = Metadata::load(data).expect("from_bytes accepted it");
        assert_eq!(loaded.metadata, md);
        assert_eq!(loaded.payload.bytes, payload);
    }
});
