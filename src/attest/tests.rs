//! Attestation chains made by `tests/python/gen_attest.py` in Yubico's formats (test CAs in
//! `tests/data/attest/test-ca.pem`), and one real YubiKey's (`tests/data/attest/real/`).

use super::*;

macro_rules! fixture {
    ($name:literal) => {
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/attest/",
            $name
        ))
    };
}

/// 2026-01-01T00:00:00Z: inside every test certificate's validity but the expired one's.
const NOW: UnixTime = 1_767_225_600;

fn test_ca() -> TrustStore {
    TrustStore::from_pem(fixture!("test-ca.pem"), "test-ca.pem").unwrap()
}

fn pem_key(bytes: &[u8]) -> Key {
    Key::from_public_pem(std::str::from_utf8(bytes).unwrap()).unwrap()
}

fn hsm(key_cert: &[u8]) -> Evidence {
    Evidence {
        kind: DeviceKind::YubiHsm2,
        key_certificate: key_cert.to_vec(),
        device_certificate: fixture!("hsm-device.der").to_vec(),
    }
}

fn piv(key_cert: &[u8], device_cert: &[u8]) -> Evidence {
    Evidence {
        kind: DeviceKind::YubiKeyPiv,
        key_certificate: key_cert.to_vec(),
        device_certificate: device_cert.to_vec(),
    }
}

fn hsm_key() -> Key {
    pem_key(fixture!("hsm-key.pub.pem"))
}

fn piv_key() -> Key {
    pem_key(fixture!("piv-9c.pub.pem"))
}

#[test]
fn a_valid_yubihsm_chain_passes_with_its_facts() {
    let a = verify(&hsm(fixture!("hsm-key.der")), &hsm_key(), &test_ca(), NOW).unwrap();
    assert_eq!(a.serial, 7550040);
    assert_eq!(a.firmware, "2.4.0");
    assert_eq!(a.origin, KeyOrigin::Generated);
    let o = a.object.clone().unwrap();
    assert_eq!(
        (o.id, o.label.as_str(), o.domains),
        (0x0101, "tuf-root-alice", 1)
    );
    assert_eq!(o.capability_names(), vec!["sign-ecdsa".to_string()]);
    assert!(!o.exportable());
    assert_eq!(
        a.chain,
        vec![
            "CN=YubiHSM Attestation id:0x0101",
            "CN=YubiHSM Attestation (7550040)",
            "CN=Test YubiHSM Sub-CA",
            "CN=Test YubiHSM Root CA",
        ]
    );
    assert_eq!(a.pin_policy, None);
    assert!(
        a.lines()[1].contains("generated in the device"),
        "{:?}",
        a.lines()
    );
}

#[test]
fn an_imported_exportable_yubihsm_key_says_so() {
    let a = verify(
        &hsm(fixture!("hsm-key-imported.der")),
        &hsm_key(),
        &test_ca(),
        NOW,
    )
    .unwrap();
    assert_eq!(a.origin, KeyOrigin::Imported);
    assert!(a.object.as_ref().unwrap().exportable());
    assert!(
        a.policy().starts_with("EXPORTABLE under wrap"),
        "{}",
        a.policy()
    );
    assert!(a.lines()[1].contains("IMPORTED"), "{:?}", a.lines());
    // A copy of it exists, or can exist, outside the device; the generated one's cannot.
    assert!(a.may_exist_outside());
    let generated = verify(&hsm(fixture!("hsm-key.der")), &hsm_key(), &test_ca(), NOW).unwrap();
    assert!(!generated.may_exist_outside());
    // Generated, but exportable under wrap: a wrapped copy can leave the device.
    let mut exportable = generated.clone();
    if let Some(o) = exportable.object.as_mut() {
        o.capabilities |= 1 << 16;
    }
    assert!(exportable.may_exist_outside());
}

/// An attestation checked against CA certificates that are not Yubico's built in says which
/// CA vouched for the device (subject and SHA-256), in its lines and its summary; one that
/// chains to Yubico's built-in roots says nothing more.
#[test]
fn an_attestation_names_a_ca_that_is_not_yubicos() {
    let a = verify(&hsm(fixture!("hsm-key.der")), &hsm_key(), &test_ca(), NOW).unwrap();
    assert!(!a.yubico_root);
    let note = a.ca_note().unwrap();
    assert!(
        note.contains("\"CN=Test YubiHSM Root CA\"") && note.contains(&a.root_sha256),
        "{note}"
    );
    assert!(a.lines().contains(&note), "{:?}", a.lines());
    assert!(
        Status::Verified(a.clone()).summary().ends_with(&note),
        "{}",
        Status::Verified(a).summary()
    );
    // The test CAs given as a file are still not Yubico's, whatever the file is called.
    let named = TrustStore::from_pem(fixture!("test-ca.pem"), "yubico.pem").unwrap();
    let a = verify(&hsm(fixture!("hsm-key.der")), &hsm_key(), &named, NOW).unwrap();
    assert!(a.ca_note().is_some());
}

#[test]
fn a_valid_piv_chain_passes_with_its_facts() {
    let a = verify(
        &piv(fixture!("piv-9c.der"), fixture!("piv-f9.der")),
        &piv_key(),
        &test_ca(),
        NOW,
    )
    .unwrap();
    assert_eq!(a.serial, 25515003);
    assert_eq!(a.firmware, "5.4.3");
    assert_eq!(a.origin, KeyOrigin::Generated);
    assert_eq!(a.pin_policy, Some(PinPolicy::Always));
    assert_eq!(a.touch_policy, Some(TouchPolicy::Always));
    assert_eq!(a.form_factor.as_deref(), Some("USB-C keychain"));
    assert_eq!(a.policy(), "PIN always, touch always");
    assert_eq!(
        a.chain.last().map(String::as_str),
        Some("CN=Test PIV Root CA")
    );
}

#[test]
fn a_chain_to_an_untrusted_ca_is_refused_naming_the_issuer() {
    let e = verify(
        &piv(fixture!("piv-9c.der"), fixture!("piv-f9-other-ca.der")),
        &piv_key(),
        &test_ca(),
        NOW,
    )
    .unwrap_err();
    assert!(
        matches!(&e, AttestError::UnknownIssuer { issuer, .. } if issuer == "CN=Other PIV Root CA"),
        "{e:?}"
    );
    let text = e.to_string();
    assert!(text.contains("slot f9"), "{text}");
    assert!(text.contains("does not chain to Yubico's"), "{text}");
}

#[test]
fn a_chain_to_an_impostor_ca_with_the_trusted_name_is_refused() {
    let e = verify(
        &piv(fixture!("piv-9c.der"), fixture!("piv-f9-impostor-ca.der")),
        &piv_key(),
        &test_ca(),
        NOW,
    )
    .unwrap_err();
    assert!(matches!(e, AttestError::BadSignature { .. }), "{e:?}");
    assert!(e.to_string().contains("signature does not verify"), "{e}");
}

#[test]
fn the_test_chains_do_not_chain_to_yubicos_real_cas() {
    let store = TrustStore::yubico(DeviceKind::YubiKeyPiv).unwrap();
    let e = verify(
        &piv(fixture!("piv-9c.der"), fixture!("piv-f9.der")),
        &piv_key(),
        &store,
        NOW,
    )
    .unwrap_err();
    assert!(matches!(e, AttestError::UnknownIssuer { .. }), "{e:?}");
    assert!(e.to_string().contains("Yubico's PIV CAs, built in"), "{e}");
}

#[test]
fn an_attested_key_other_than_the_enrolled_one_is_refused() {
    let other = pem_key(fixture!("other.pub.pem"));
    let e = verify(&hsm(fixture!("hsm-key.der")), &other, &test_ca(), NOW).unwrap_err();
    assert!(matches!(e, AttestError::KeyMismatch { .. }), "{e:?}");
    let text = e.to_string();
    assert!(text.contains(&other.keyid()), "{text}");
    assert!(text.contains(&hsm_key().keyid()), "{text}");
}

#[test]
fn an_expired_certificate_is_refused_with_its_end_date() {
    let e = verify(
        &hsm(fixture!("hsm-key-expired.der")),
        &hsm_key(),
        &test_ca(),
        NOW,
    )
    .unwrap_err();
    assert!(
        matches!(&e, AttestError::Expired { not_after, .. } if not_after == "2020-01-01T00:00:00Z"),
        "{e:?}"
    );
    assert!(
        e.to_string().contains("the key's attestation certificate"),
        "{e}"
    );
}

#[test]
fn a_certificate_not_yet_valid_blames_the_clock() {
    let e = verify(
        &hsm(fixture!("hsm-key-future.der")),
        &hsm_key(),
        &test_ca(),
        NOW,
    )
    .unwrap_err();
    assert!(matches!(e, AttestError::NotYetValid { .. }), "{e:?}");
    assert!(e.to_string().contains("clock"), "{e}");
}

#[test]
fn a_missing_yubico_extension_is_refused_by_name() {
    let e = verify(
        &hsm(fixture!("hsm-key-no-origin.der")),
        &hsm_key(),
        &test_ca(),
        NOW,
    )
    .unwrap_err();
    assert_eq!(
        e,
        AttestError::MissingExtension {
            what: "the key's attestation certificate".into(),
            oid: "1.3.6.1.4.1.41482.4.3",
            name: "key origin",
            kind: "YubiHSM 2",
        }
    );
    let e = verify(
        &piv(fixture!("piv-9c-no-serial.der"), fixture!("piv-f9.der")),
        &piv_key(),
        &test_ca(),
        NOW,
    )
    .unwrap_err();
    assert!(
        matches!(
            &e,
            AttestError::MissingExtension {
                oid: "1.3.6.1.4.1.41482.3.7",
                ..
            }
        ),
        "{e:?}"
    );
}

#[test]
fn an_unsupported_signature_algorithm_is_named() {
    let e = verify(
        &hsm(fixture!("hsm-key-sha224.der")),
        &hsm_key(),
        &test_ca(),
        NOW,
    )
    .unwrap_err();
    assert!(
        matches!(&e, AttestError::UnsupportedSignature { algorithm, .. } if algorithm.contains("1.2.840.10045.4.3.1")),
        "{e:?}"
    );
}

#[test]
fn a_yubihsm_certificate_is_not_read_as_a_piv_one() {
    // The YubiHSM chain presented as PIV evidence: its extensions are not PIV's.
    let e = verify(
        &Evidence {
            kind: DeviceKind::YubiKeyPiv,
            ..hsm(fixture!("hsm-key.der"))
        },
        &hsm_key(),
        &test_ca(),
        NOW,
    )
    .unwrap_err();
    assert!(matches!(e, AttestError::MissingExtension { .. }), "{e:?}");
}

#[test]
fn garbage_is_not_a_certificate() {
    let e = verify(&hsm(b"not a certificate"), &hsm_key(), &test_ca(), NOW).unwrap_err();
    assert!(matches!(e, AttestError::Unreadable { .. }), "{e:?}");
}

#[test]
fn the_built_in_yubico_cas_load() {
    for kind in [DeviceKind::YubiHsm2, DeviceKind::YubiKeyPiv] {
        let store = TrustStore::yubico(kind).unwrap();
        assert!(store.source().contains("built in"));
    }
}

#[test]
fn a_ca_file_without_a_root_or_certificate_is_refused() {
    let e = TrustStore::from_pem(b"hello", "ca.pem").err().unwrap();
    assert!(e.to_string().contains("no PEM certificate"), "{e}");
    let device = x509_cert::der::pem::encode_string(
        "CERTIFICATE",
        x509_cert::der::pem::LineEnding::LF,
        fixture!("hsm-device.der"),
    )
    .unwrap();
    let e = TrustStore::from_pem(device.as_bytes(), "ca.pem")
        .err()
        .unwrap();
    assert!(
        e.to_string().contains("none of its certificates is a root"),
        "{e}"
    );
}

/// Docker's TUF root key `cda750ab…`, held in YubiKey 25515003: its published attestation
/// chains to Yubico's PIV root built in here (tests/data/attest/real/SOURCES.md).
#[test]
fn real_docker_root_key_is_attested() {
    let pem = |b: &[u8]| {
        x509_cert::Certificate::from_pem(b)
            .and_then(|c| x509_cert::der::Encode::to_der(&c))
            .unwrap()
    };
    use x509_cert::der::DecodePem;
    let key_json = crate::json::parse(fixture!("real/docker-tuf-25515003.key.json")).unwrap();
    let key = Key::from_value(&key_json, "key").unwrap();
    let evidence = piv(
        &pem(fixture!("real/docker-tuf-25515003-9c.pem")),
        &pem(fixture!("real/docker-tuf-25515003-f9.pem")),
    );
    let store = TrustStore::yubico(DeviceKind::YubiKeyPiv).unwrap();
    let a = verify(&evidence, &key, &store, NOW).unwrap();
    assert_eq!(a.serial, 25515003);
    assert_eq!(a.firmware, "5.4.3");
    assert_eq!(a.pin_policy, Some(PinPolicy::Always));
    assert_eq!(a.touch_policy, Some(TouchPolicy::Never));
    assert_eq!(a.form_factor.as_deref(), Some("USB-C keychain, FIPS"));
    assert_eq!(
        a.chain,
        vec![
            "CN=YubiKey PIV Attestation 9c",
            "CN=Yubico PIV Attestation",
            "CN=Yubico PIV Root CA Serial 263751",
        ]
    );
    // The current PIV root (re-issued 2018), not the older one of the same name.
    assert_eq!(
        a.root_sha256,
        "63ece914e54dd87915f34033c85af4c0696ba1512f8add66ced738331207b546"
    );
    // Past the chain's end (2052-04-17), the same evidence is refused as expired.
    let later = crate::time::parse_expires("2052-04-18T00:00:00Z").unwrap();
    let e = verify(&evidence, &key, &store, later).unwrap_err();
    assert!(matches!(e, AttestError::Expired { .. }), "{e:?}");
}

/// A YubiHSM 2's published attestation of its key 0x0000 (serial 31650558): it chains
/// through the device certificate and Yubico's published sub-CA to the YubiHSM root built
/// in here, and its extensions read as the device wrote them.
#[test]
fn real_yubihsm_key_is_attested() {
    use x509_cert::der::DecodePem;
    let der = |b: &[u8]| {
        x509_cert::Certificate::from_pem(b)
            .and_then(|c| x509_cert::der::Encode::to_der(&c))
            .unwrap()
    };
    let key = pem_key(fixture!("real/yubihsm-31650558-key-0000.pub.pem"));
    let evidence = Evidence {
        kind: DeviceKind::YubiHsm2,
        key_certificate: der(fixture!("real/yubihsm-31650558-key-0000.pem")),
        device_certificate: der(fixture!("real/yubihsm-31650558-device.pem")),
    };
    let store = TrustStore::yubico(DeviceKind::YubiHsm2).unwrap();
    let a = verify(&evidence, &key, &store, NOW).unwrap();
    assert_eq!(a.serial, 31650558);
    assert_eq!(a.firmware, "2.4.0");
    assert_eq!(a.origin, KeyOrigin::Generated);
    let o = a.object.clone().unwrap();
    assert_eq!((o.id, o.label.as_str()), (0, "Device Public Key"));
    assert_eq!(o.domain_list(), (1..=16).collect::<Vec<u16>>());
    assert!(!o.exportable());
    assert_eq!(
        a.chain,
        vec![
            "CN=YubiHSM Attestation id:0x0000",
            "CN=YubiHSM Attestation (31650558)",
            "CN=Yubico YubiHSM 6742036 Sub-CA",
            "CN=Yubico YubiHSM Root CA",
        ]
    );
    assert_eq!(
        a.root_sha256,
        "094a3ac493c2bdcd65a54bdf40190f52bb03f7156397a3fc69d8aa9a392fb724"
    );
    // Yubico's own root: nothing to say about the CA.
    assert!(a.yubico_root && a.ca_note().is_none());
    // The same root given in a CA file is still Yubico's.
    let file = TrustStore::from_pem(
        include_bytes!("ca/yubihsm.pem"),
        "yubihsm.pem (--attestation-ca)",
    )
    .unwrap();
    assert!(verify(&evidence, &key, &file, NOW).unwrap().yubico_root);
    // Another key is not this one.
    let e = verify(&evidence, &hsm_key(), &store, NOW).unwrap_err();
    assert!(matches!(e, AttestError::KeyMismatch { .. }), "{e:?}");
}
