//! YubiHSM 2 signer, through the `yubihsm` crate's USB and
//! HTTP (yubihsm-connector) connectors.
//!
//! - Ed25519: the device signs the whole message and refuses messages over
//!   [`ED25519_MAX_MESSAGE`] bytes; the crate panics on 2047+ bytes and poisons its session.
//!   So the size is checked here, before anything is sent ([`Signer::check_payload`] runs
//!   before the keyholder is even asked to confirm), and the error says that an ECDSA P-256
//!   key, hashed on the host, has no such limit.
//! - ECDSA P-256 and P-384: SHA-256 (SHA-384) is computed on the host and only the digest is
//!   sent; the device returns DER, which is what TUF stores (hex-encoded).
//! - Keys generated here get only the one signing capability and no export capability, so
//!   the private key can never leave the device, not even wrapped.
//!
//! The authentication key's password is a secret like a passphrase (terminal or
//! `--passphrase-file`); it is turned into session keys by the crate and dropped.

use super::uri::{YubiHsmConnector, YubiHsmRef};
use super::{AttestationEvidence, Device, Signer, SignerError};
use crate::keys::{Key, Scheme};
use crate::secret::{ExposeSecret, SecretSource};
use sha2::Digest;
use yubihsm::{asymmetric, object, Capability, Client, Connector, Credentials, Domain};

/// The largest message a YubiHSM 2 signs with Ed25519 (firmware 2.x).
pub const ED25519_MAX_MESSAGE: usize = 2019;

/// A key in a YubiHSM 2, with an open authenticated session.
pub struct YubiHsmSigner {
    client: Client,
    reference: YubiHsmRef,
    key: Key,
    serial: String,
}

fn device_name(r: &YubiHsmRef) -> String {
    match &r.connector {
        YubiHsmConnector::Usb { serial: Some(s) } => format!("the YubiHSM 2 with serial {s} (USB)"),
        YubiHsmConnector::Usb { serial: None } => "the YubiHSM 2 on USB".into(),
        YubiHsmConnector::Http { host, port } => {
            format!("the YubiHSM 2 behind yubihsm-connector at {host}:{port}")
        }
    }
}

/// Turns a `yubihsm` error into one that says what happened and what to do.
fn explain(r: &YubiHsmRef, doing: &str, e: &yubihsm::client::Error) -> SignerError {
    use yubihsm::client::ErrorKind as K;
    use yubihsm::device::ErrorKind as D;
    let device = device_name(r);
    let problem = match (e.kind(), e.device_error()) {
        (_, Some(D::ObjectNotFound)) => format!(
            "there is no key with object id 0x{:04x} that authentication key {} may use. Check key= in the reference (yubihsm-shell -a list-objects lists them), or create one with `tuf-ceremony key generate --signer {}`",
            r.key, r.auth, r.text
        ),
        (_, Some(D::ObjectExists)) => format!(
            "an object with id 0x{:04x} already exists; tuf-ceremony never replaces a key in a device. Choose a free id with key=",
            r.key
        ),
        (_, Some(D::InsufficientPermissions)) => format!(
            "authentication key {} is not allowed to do this with key 0x{:04x} (capabilities or domains). Use an authentication key with the sign-eddsa/sign-ecdsa capability in the key's domain",
            r.auth, r.key
        ),
        (_, Some(D::SessionsFull)) => "all of the device's sessions are in use. Close other programs using it (yubihsm-shell, other tuf-ceremony runs) or replug it".into(),
        (K::AuthenticationError, _) | (_, Some(D::AuthenticationFailed)) => format!(
            "the password for authentication key {} was not accepted (or there is no authentication key {}). Nothing was done. Check auth= and type the password again",
            r.auth, r.auth
        ),
        (K::ConnectorError, _) => match &r.connector {
            YubiHsmConnector::Usb { .. } => format!(
                "cannot talk to the device over USB ({e}). Check it is plugged in (and was not unplugged), that no yubihsm-connector holds it, and that you may use USB devices (udev rules or root)"
            ),
            YubiHsmConnector::Http { .. } => format!(
                "cannot reach yubihsm-connector ({e}). Start it (`yubihsm-connector -d`) and check the host and port; or use yubihsm://usb/ directly"
            ),
        },
        _ => format!("{e}. Nothing was signed. Check the device is still plugged in (and yubihsm-connector still running), then run the command again"),
    };
    SignerError::Device {
        device: format!("{device} ({doing})"),
        problem,
    }
}

/// Checks USB devices before asking for a password, so an unplugged device is reported
/// first.
fn check_usb_present(r: &YubiHsmRef) -> Result<(), SignerError> {
    if let YubiHsmConnector::Usb { serial } = &r.connector {
        let found = yubihsm::connector::usb::Devices::serial_numbers().map_err(|e| {
            SignerError::Device {
                device: device_name(r),
                problem: format!("cannot list USB devices ({e}). Check a YubiHSM 2 is plugged in and that you may use USB devices (udev rules or root)"),
            }
        })?;
        let listed: Vec<String> = found.iter().map(|s| s.to_string()).collect();
        let ok = match serial {
            None => !found.is_empty(),
            Some(s) => listed.iter().any(|l| l.parse::<u32>().ok() == Some(*s)),
        };
        if !ok {
            return Err(SignerError::Device {
                device: device_name(r),
                problem: if listed.is_empty() {
                    "no YubiHSM 2 is plugged in. Plug in the keyholder's device and run the command again".into()
                } else {
                    format!(
                        "it is not plugged in; the YubiHSM 2 devices plugged in have serials {}. Plug in the right one, or correct serial=",
                        listed.join(", ")
                    )
                },
            });
        }
    }
    Ok(())
}

/// Checks yubihsm-connector answers before asking for a password. This is the only network
/// use in tuf-ceremony, and only when the keyholder names a yubihsm://HOST:PORT reference.
fn check_connector_reachable(r: &YubiHsmRef) -> Result<(), SignerError> {
    if let YubiHsmConnector::Http { host, port } = &r.connector {
        use std::net::ToSocketAddrs;
        let addrs: Vec<_> = (host.as_str(), *port)
            .to_socket_addrs()
            .map_err(|e| SignerError::Device {
                device: device_name(r),
                problem: format!("cannot resolve \"{host}\" ({e}). Use the connector's address, usually 127.0.0.1"),
            })?
            .collect();
        let mut last = None;
        for a in addrs {
            match std::net::TcpStream::connect_timeout(&a, std::time::Duration::from_secs(5)) {
                Ok(_) => return Ok(()),
                Err(e) => last = Some(e),
            }
        }
        return Err(SignerError::Device {
            device: device_name(r),
            problem: format!(
                "nothing answers there ({}). Start yubihsm-connector (`yubihsm-connector -d`) with the device plugged in, and check the host and port; or use yubihsm://usb/?… directly",
                last.map(|e| e.to_string()).unwrap_or_else(|| "no address".into())
            ),
        });
    }
    Ok(())
}

/// Opens an authenticated session, asking for the authentication key's password.
fn connect(r: &YubiHsmRef, secrets: &SecretSource) -> Result<(Client, String), SignerError> {
    check_usb_present(r)?;
    check_connector_reachable(r)?;
    let connector = match &r.connector {
        YubiHsmConnector::Usb { serial } => {
            let serial = match serial {
                Some(s) => Some(
                    format!("{s:010}")
                        .parse()
                        .map_err(|e| SignerError::Device {
                            device: device_name(r),
                            problem: format!("serial {s}: {e}"),
                        })?,
                ),
                None => None,
            };
            Connector::usb(&yubihsm::UsbConfig {
                serial,
                timeout_ms: yubihsm::UsbConfig::DEFAULT_TIMEOUT_MILLIS,
            })
        }
        YubiHsmConnector::Http { host, port } => Connector::http(&yubihsm::HttpConfig {
            addr: host.clone(),
            port: *port,
            timeout_ms: 10_000,
        }),
    };
    connect_with(r, connector, secrets)
}

/// Opens an authenticated session through any connector. Public so tests can hand in the
/// crate's MockHsm connector; the binary only ever builds USB and HTTP connectors.
pub fn connect_with(
    r: &YubiHsmRef,
    connector: Connector,
    secrets: &SecretSource,
) -> Result<(Client, String), SignerError> {
    let what = format!(
        "password of authentication key {} on {}",
        r.auth,
        device_name(r)
    );
    let password = crate::secret::read_secret(&what, secrets, false)?;
    let credentials = Credentials::from_password(r.auth, password.expose_secret().as_bytes());
    drop(password);
    let client = Client::open(connector, credentials, false)
        .map_err(|e| explain(r, "opening a session", &e))?;
    let info = client
        .device_info()
        .map_err(|e| explain(r, "reading the device serial", &e))?;
    Ok((client, info.serial_number.to_string()))
}

/// Converts the device's public key to a TUF key.
fn tuf_key(r: &YubiHsmRef, pk: &asymmetric::PublicKey) -> Result<Key, SignerError> {
    let bad = |why: String| SignerError::Device {
        device: device_name(r),
        problem: why,
    };
    match pk.algorithm {
        asymmetric::Algorithm::Ed25519 => {
            let bytes: [u8; 32] = pk
                .as_slice()
                .try_into()
                .map_err(|_| bad("the device returned an Ed25519 public key of the wrong length".into()))?;
            let vk = ed25519_dalek::VerifyingKey::from_bytes(&bytes)
                .map_err(|e| bad(format!("the device's Ed25519 public key is invalid: {e}")))?;
            Ok(Key::ed25519(&vk))
        }
        asymmetric::Algorithm::EcP256 => {
            let vk = p256::ecdsa::VerifyingKey::from_sec1_bytes(&uncompressed(pk.as_slice()))
                .map_err(|e| bad(format!("the device's P-256 public key is invalid: {e}")))?;
            Ok(Key::ecdsa_p256(&vk))
        }
        asymmetric::Algorithm::EcP384 => {
            let vk = p384::ecdsa::VerifyingKey::from_sec1_bytes(&uncompressed(pk.as_slice()))
                .map_err(|e| bad(format!("the device's P-384 public key is invalid: {e}")))?;
            Ok(Key::ecdsa_p384(&vk))
        }
        other => Err(bad(format!(
            "key 0x{:04x} is a {other:?} key; tuf-ceremony signs with ed25519, ecdsa-sha2-nistp256 or ecdsa-sha2-nistp384 keys in a YubiHSM 2. Generate one with `tuf-ceremony key generate --signer … --scheme ed25519|ecdsa-p256|ecdsa-p384`",
            r.key
        ))),
    }
}

/// The device gives an EC public key as the bare coordinates x || y; SEC1 prefixes 0x04.
fn uncompressed(xy: &[u8]) -> Vec<u8> {
    let mut sec1 = Vec::with_capacity(1 + xy.len());
    sec1.push(4);
    sec1.extend_from_slice(xy);
    sec1
}

impl YubiHsmSigner {
    /// Opens the key a reference names, over USB or yubihsm-connector.
    pub fn open(r: &YubiHsmRef, secrets: &SecretSource) -> Result<YubiHsmSigner, SignerError> {
        let (client, serial) = connect(r, secrets)?;
        Self::from_client(r, client, serial)
    }

    /// Wraps an open session (used by [`open`](Self::open), and by tests with the MockHsm).
    pub fn from_client(
        r: &YubiHsmRef,
        client: Client,
        serial: String,
    ) -> Result<YubiHsmSigner, SignerError> {
        let pk = client
            .get_public_key(r.key)
            .map_err(|e| explain(r, "reading the public key", &e))?;
        let key = tuf_key(r, &pk)?;
        Ok(YubiHsmSigner {
            client,
            reference: r.clone(),
            key,
            serial,
        })
    }
}

/// The device algorithm and the one capability a new key for `scheme` gets; refused before
/// the device is asked for anything when the scheme is not one tuf-ceremony makes there.
fn algorithm_for(
    r: &YubiHsmRef,
    scheme: Scheme,
) -> Result<(asymmetric::Algorithm, Capability), SignerError> {
    Ok(match scheme {
        Scheme::Ed25519 => (asymmetric::Algorithm::Ed25519, Capability::SIGN_EDDSA),
        Scheme::EcdsaP256 => (asymmetric::Algorithm::EcP256, Capability::SIGN_ECDSA),
        Scheme::EcdsaP384 => (asymmetric::Algorithm::EcP384, Capability::SIGN_ECDSA),
        Scheme::RsaPss(_) | Scheme::RsaPkcs1v15(_) => {
            return Err(SignerError::Device {
                device: device_name(r),
                problem: format!(
                    "tuf-ceremony generates ed25519, ecdsa-p256 or ecdsa-p384 keys in a YubiHSM 2, not {}. Nothing was generated; choose one of those with --scheme",
                    scheme.name()
                ),
            })
        }
    })
}

/// Generates a non-exportable key in the device and returns its TUF public key.
pub fn generate(
    r: &YubiHsmRef,
    scheme: Scheme,
    secrets: &SecretSource,
) -> Result<(Key, Device, AttestationEvidence), SignerError> {
    algorithm_for(r, scheme)?;
    let (client, serial) = connect(r, secrets)?;
    let (key, device) = generate_with(r, &client, &serial, scheme)?;
    Ok((key, device, attestation(r, &client, &serial)))
}

/// The object id of the device's own attestation certificate (an opaque object), and of the
/// factory attestation key that signs with it ("Sign Attestation Certificate" with key 0).
const ATTESTATION_OBJECT: object::Id = 0;

/// Asks the device to attest key `r.key` (YubiHSM 2 command Sign Attestation Certificate,
/// with the factory attestation key 0) and reads the device's certificate (opaque object 0).
/// A device that cannot is not an error here: the key is then recorded as not attested,
/// saying why.
pub fn attestation(r: &YubiHsmRef, client: &Client, serial: &str) -> AttestationEvidence {
    let refused = |doing: &str, e: &yubihsm::client::Error| {
        format!(
            "YubiHSM 2 serial {serial} did not {doing} ({e}). Authentication key {} needs the sign-attestation-certificate and get-opaque capabilities; a device whose factory attestation key and certificate (id 0) were deleted cannot prove where key 0x{:04x} was made",
            r.auth, r.key
        )
    };
    let key_certificate = client
        .sign_attestation_certificate(r.key, Some(ATTESTATION_OBJECT))
        .map_err(|e| refused("sign an attestation certificate", &e))?
        .into_vec();
    let device_certificate = client.get_opaque(ATTESTATION_OBJECT).map_err(|e| {
        refused(
            "hand over its attestation certificate (opaque object 0)",
            &e,
        )
    })?;
    Ok(crate::attest::Evidence {
        kind: crate::attest::DeviceKind::YubiHsm2,
        key_certificate,
        device_certificate,
    })
}

/// [`generate`] on an open session.
pub fn generate_with(
    r: &YubiHsmRef,
    client: &Client,
    serial: &str,
    scheme: Scheme,
) -> Result<(Key, Device), SignerError> {
    let (algorithm, capability) = algorithm_for(r, scheme)?;
    let label = r
        .label
        .clone()
        .unwrap_or_else(|| "tuf-ceremony key".to_string());
    let label = object::Label::from_bytes(label.as_bytes()).map_err(|_| SignerError::Device {
        device: device_name(r),
        problem: "label= is longer than the device's 40 bytes".into(),
    })?;
    let domain = Domain::at(usize::from(r.domain)).map_err(|_| SignerError::Device {
        device: device_name(r),
        problem: format!("domain {} does not exist (1 to 16)", r.domain),
    })?;
    client
        .generate_asymmetric_key(r.key, label, domain, capability, algorithm)
        .map_err(|e| explain(r, "generating a key", &e))?;
    let pk = client
        .get_public_key(r.key)
        .map_err(|e| explain(r, "reading the new public key", &e))?;
    let key = tuf_key(r, &pk)?;
    Ok((key, device(r, serial)))
}

fn device(r: &YubiHsmRef, serial: &str) -> Device {
    Device {
        kind: "yubihsm".into(),
        identity: format!("yubihsm2:serial={serial};key=0x{:04x}", r.key),
        description: format!("YubiHSM 2 serial {serial}, key 0x{:04x}", r.key),
    }
}

impl Signer for YubiHsmSigner {
    fn public_key(&self) -> &Key {
        &self.key
    }

    fn attestation(&mut self) -> AttestationEvidence {
        attestation(&self.reference, &self.client, &self.serial)
    }

    fn check_payload(&self, payload: &[u8]) -> Result<(), SignerError> {
        check_ed25519_size(&self.key, payload.len(), &self.serial)
    }

    fn sign(&mut self, payload: &[u8]) -> Result<Vec<u8>, SignerError> {
        let r = &self.reference;
        match self.key.scheme() {
            Some(Scheme::Ed25519) => {
                check_ed25519_size(&self.key, payload.len(), &self.serial)?;
                let sig = self
                    .client
                    .sign_ed25519(r.key, payload)
                    .map_err(|e| explain(r, "signing", &e))?;
                Ok(sig.to_bytes().to_vec())
            }
            Some(Scheme::EcdsaP256) => {
                let digest = sha2::Sha256::digest(payload);
                self.client
                    .sign_ecdsa_prehash_raw(r.key, digest.to_vec())
                    .map_err(|e| explain(r, "signing", &e))
            }
            Some(Scheme::EcdsaP384) => {
                let digest = sha2::Sha384::digest(payload);
                self.client
                    .sign_ecdsa_prehash_raw(r.key, digest.to_vec())
                    .map_err(|e| explain(r, "signing", &e))
            }
            Some(Scheme::RsaPss(_) | Scheme::RsaPkcs1v15(_)) | None => Err(SignerError::Device {
                device: device_name(r),
                problem: format!("key scheme {} cannot sign here", self.key.scheme),
            }),
        }
    }

    fn device(&self) -> Device {
        device(&self.reference, &self.serial)
    }
}

/// Refuses an Ed25519 message the YubiHSM 2 would refuse (or the crate would panic on).
pub fn check_ed25519_size(key: &Key, len: usize, serial: &str) -> Result<(), SignerError> {
    if key.scheme() == Some(Scheme::Ed25519) && len > ED25519_MAX_MESSAGE {
        return Err(SignerError::PayloadTooLarge {
            device: format!("YubiHSM 2 serial {serial}"),
            len,
            max: ED25519_MAX_MESSAGE,
        });
    }
    Ok(())
}
