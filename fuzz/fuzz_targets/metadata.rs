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
        // The tree path agrees with the spliced path.
        let tree = tuf_ceremony::json::parse(data).expect("parsed once already");
        let via_tree = Metadata::from_value(tree).expect("the tree path accepts it too");
        assert_eq!(via_tree, md);
        // Reading a whole file gives the same model and the payload, written into the
        // file's own buffer.
        let (whole, p) = Metadata::from_file_bytes(data.to_vec()).expect("from_bytes accepted it");
        assert_eq!(whole, md);
        assert_eq!(p.bytes, payload);
    }
});
