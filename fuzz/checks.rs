//! What each fuzz target checks of one input, shared by the targets (fuzz_targets/*.rs,
//! built by cargo-fuzz) and by the test that replays their corpora on every `cargo test`
//! (tests/integration/fuzz_replay.rs): a corpus entry that panics here fails both.
//! Each function never panics on input the library handles; a panic is the finding.
#![allow(dead_code)] // each fuzz target uses one of them

use tuf_ceremony::attest::{verify, DeviceKind, TrustStore};
use tuf_ceremony::json;
use tuf_ceremony::metadata::Metadata;
use tuf_ceremony::signer::SignerRef;

/// The `metadata` target. Metadata files: parsing never panics, and what parses survives
/// write → parse unchanged, with the same payload (what signatures cover).
pub fn metadata(data: &[u8]) {
    if let Ok(md) = Metadata::from_bytes(data) {
        let payload = md.payload();
        let written = md.to_file_bytes();
        let again = Metadata::from_bytes(&written).expect("what we write parses");
        assert_eq!(again.payload(), payload, "payload changed on a round trip");
        assert_eq!(again, md);
        // Loading a parsed tree agrees with loading the bytes.
        let tree = json::parse(data).expect("parsed once already");
        let via_tree = Metadata::from_value(tree).expect("the tree path accepts it too");
        assert_eq!(via_tree, md);
        // The payload load hands back is the one the model writes.
        let loaded = Metadata::load(data).expect("from_bytes accepted it");
        assert_eq!(loaded.metadata, md);
        assert_eq!(loaded.payload.bytes, payload);
    }
}

/// The `canonical` target. Canonical JSON: parse → canonical → parse is a fixed point, and
/// the readable and compact forms parse back to the same value.
pub fn canonical(data: &[u8]) {
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
}

/// The test CA and key of tests/data/attest, so that an input carrying that chain reaches
/// the extension readers.
const TEST_CA: &[u8] = include_bytes!("../tests/data/attest/test-ca.pem");
const TEST_KEY: &str = include_str!("../tests/data/attest/hsm-key.pub.pem");

/// The `sigfile` target. Detached signature files (the input of `merge`): never a panic,
/// neither in parsing nor in reading and verifying the device attestation a file carries
/// (PEM, X.509, the chain, then Yubico's extensions).
pub fn sigfile(data: &[u8]) {
    let path = std::path::Path::new("fuzz.sig.json");
    let Ok(f) = tuf_ceremony::ceremony::sign::parse_sigfile_bytes(path, data) else {
        return;
    };
    let Some(Ok(evidence)) = f.attestation.map(|a| a.evidence()) else {
        return;
    };
    let Some(key) = tuf_ceremony::keys::Key::from_public_pem(TEST_KEY) else {
        return;
    };
    let stores = [
        TrustStore::yubico(DeviceKind::YubiHsm2),
        TrustStore::yubico(DeviceKind::YubiKeyPiv),
        TrustStore::from_pem(TEST_CA, "test-ca.pem"),
    ];
    for store in stores.iter().flatten() {
        let _ = verify(&evidence, &key, store, 1_800_000_000);
    }
}

/// The `signer_ref` target. Signer references (file:, yubihsm://, pkcs11:): never a panic,
/// and an error never repeats a PIN or password given in the reference.
pub fn signer_ref(data: &[u8]) {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let Err(e) = SignerRef::parse(s) else {
        return;
    };
    let msg = e.to_string();
    for secret_key in ["pin-value=", "password="] {
        if let Some(i) = s.find(secret_key) {
            let value: String = s[i + secret_key.len()..]
                .chars()
                .take_while(|c| !matches!(c, '&' | ';' | '?'))
                .collect();
            if value.len() >= 4 && !"(hidden)".contains(value.as_str()) {
                assert!(
                    !msg.contains(&format!("{secret_key}{value}")),
                    "secret echoed: {msg}"
                );
            }
        }
    }
}

/// The `transcript` target. Transcript files: checking the hash chain never panics.
pub fn transcript(data: &[u8]) {
    let t =
        tuf_ceremony::transcript::Transcript::new(std::path::Path::new("fuzz-transcript.jsonl"));
    let _ = t.check(data);
}
