//! Detached signature files (the input of `merge`): never a panic, neither in parsing nor in
//! reading and verifying the device attestation a file carries (PEM, X.509, the chain, then
//! Yubico's extensions). The test CA and key of tests/data/attest let a seed carrying that
//! chain reach the extension readers.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tuf_ceremony::attest::{verify, DeviceKind, TrustStore};

const TEST_CA: &[u8] = include_bytes!("../../tests/data/attest/test-ca.pem");
const TEST_KEY: &str = include_str!("../../tests/data/attest/hsm-key.pub.pem");

fuzz_target!(|data: &[u8]| {
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
});
