"""Makes the attestation test chains in tests/data/attest/ (run from the repository root:
`.venv/bin/python tests/python/gen_attest.py`).

Each chain has the shape of Yubico's: a self-signed root, a sub-CA (YubiHSM 2), a device
certificate (YubiHSM 2 opaque object 0 / PIV slot f9) and a key certificate signed by the
device key, carrying Yubico's extensions in Yubico's encodings (see src/attest/yubico.rs):
YubiHSM 2 values are DER elements (OCTET STRING firmware, INTEGER serial, BIT STRING origin,
domains and capabilities, INTEGER object id, UTF8String label); PIV values are raw bytes
(firmware 3 bytes, policy 2 bytes, form factor 1 byte) except the serial, a DER INTEGER.

Every run makes new keys; the tests only rely on the facts written below.
"""

import datetime
import os
import uuid

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

OUT = os.path.join("tests", "data", "attest")
Y = "1.3.6.1.4.1.41482."


def name(cn):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def t(year):
    return datetime.datetime(year, 1, 1, tzinfo=datetime.timezone.utc)


def cert(subject, issuer, issuer_key, public_key, exts=(), ca=False, start=2017, end=2071,
         hash_alg=None):
    b = (
        x509.CertificateBuilder()
        .subject_name(name(subject))
        .issuer_name(name(issuer))
        .public_key(public_key)
        .serial_number(int(uuid.uuid4()))
        .not_valid_before(t(start))
        .not_valid_after(t(end))
    )
    if ca:
        b = b.add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
    for oid, value in exts:
        b = b.add_extension(x509.UnrecognizedExtension(x509.ObjectIdentifier(Y + oid), value),
                            critical=False)
    return b.sign(issuer_key, hash_alg or hashes.SHA256())


def der_tlv(tag, body):
    assert len(body) < 128
    return bytes([tag, len(body)]) + body


def der_int(n):
    body = n.to_bytes((n.bit_length() + 8) // 8 or 1, "big")
    return der_tlv(0x02, body)


def der_bits(b):
    return der_tlv(0x03, b"\x00" + b)


def hsm_exts(serial=7550040, origin=0x01, firmware=bytes([2, 4, 0]), label="tuf-root-alice",
             capabilities=1 << 7, domains=1, object_id=0x0101, skip=()):
    exts = [
        ("4.1", der_tlv(0x04, firmware)),
        ("4.2", der_int(serial)),
        ("4.3", der_bits(bytes([origin]))),
        ("4.4", der_bits(domains.to_bytes(2, "big"))),
        ("4.5", der_bits(capabilities.to_bytes(8, "big"))),
        ("4.6", der_int(object_id)),
        ("4.9", der_tlv(0x0C, label.encode())),
    ]
    return [e for e in exts if e[0] not in skip]


def piv_exts(serial=25515003, firmware=bytes([5, 4, 3]), policy=bytes([3, 2]), form=0x03,
             skip=()):
    exts = [
        ("3.3", firmware),
        ("3.7", der_int(serial)),
        ("3.8", policy),
        ("3.9", bytes([form])),
    ]
    return [e for e in exts if e[0] not in skip]


def write_der(file, c):
    with open(os.path.join(OUT, file), "wb") as f:
        f.write(c.public_bytes(serialization.Encoding.DER))


def write_pub(file, key):
    with open(os.path.join(OUT, file), "wb") as f:
        f.write(key.public_key().public_bytes(serialization.Encoding.PEM,
                                              serialization.PublicFormat.SubjectPublicKeyInfo))


def rsa_key():
    return rsa.generate_private_key(65537, 2048)


def main():
    os.makedirs(OUT, exist_ok=True)
    # The test CAs, in one PEM file given as --attestation-ca / TrustStore::from_pem.
    hsm_root = rsa_key()
    hsm_root_cert = cert("Test YubiHSM Root CA", "Test YubiHSM Root CA", hsm_root,
                         hsm_root.public_key(), ca=True)
    hsm_sub = rsa_key()
    hsm_sub_cert = cert("Test YubiHSM Sub-CA", "Test YubiHSM Root CA", hsm_root,
                        hsm_sub.public_key(), ca=True)
    piv_root = rsa_key()
    piv_root_cert = cert("Test PIV Root CA", "Test PIV Root CA", piv_root,
                         piv_root.public_key(), ca=True, start=2016, end=2052)
    with open(os.path.join(OUT, "test-ca.pem"), "wb") as f:
        f.write(b"# Test CAs shaped like Yubico's (tests/python/gen_attest.py)\n")
        for c in (hsm_root_cert, hsm_sub_cert, piv_root_cert):
            f.write(c.public_bytes(serialization.Encoding.PEM))

    # YubiHSM 2: device attestation key (P-256) and the key it attests (P-256).
    device = ec.generate_private_key(ec.SECP256R1())
    device_cert = cert("YubiHSM Attestation (7550040)", "Test YubiHSM Sub-CA", hsm_sub,
                       device.public_key(), exts=hsm_exts(skip=("4.3", "4.4", "4.5", "4.6", "4.9")),
                       ca=True)
    write_der("hsm-device.der", device_cert)
    key = ec.generate_private_key(ec.SECP256R1())
    write_pub("hsm-key.pub.pem", key)
    attested = "YubiHSM Attestation id:0x0101"
    write_der("hsm-key.der", cert(attested, "YubiHSM Attestation (7550040)", device,
                                  key.public_key(), exts=hsm_exts()))
    # The same key, imported and exportable under wrap.
    write_der("hsm-key-imported.der", cert(attested, "YubiHSM Attestation (7550040)", device,
                                           key.public_key(),
                                           exts=hsm_exts(origin=0x02,
                                                         capabilities=(1 << 7) | (1 << 16))))
    # Expired: the dates a device copies from its own certificate, ended in 2020.
    write_der("hsm-key-expired.der", cert(attested, "YubiHSM Attestation (7550040)", device,
                                          key.public_key(), exts=hsm_exts(), start=2017,
                                          end=2020))
    # Not yet valid: starts in 2090.
    write_der("hsm-key-future.der", cert(attested, "YubiHSM Attestation (7550040)", device,
                                         key.public_key(), exts=hsm_exts(), start=2090,
                                         end=2095))
    # No origin extension.
    write_der("hsm-key-no-origin.der", cert(attested, "YubiHSM Attestation (7550040)", device,
                                            key.public_key(), exts=hsm_exts(skip=("4.3",))))
    # Signed with ECDSA-SHA224, which is not checked here.
    write_der("hsm-key-sha224.der", cert(attested, "YubiHSM Attestation (7550040)", device,
                                         key.public_key(), exts=hsm_exts(),
                                         hash_alg=hashes.SHA224()))
    # Another key: the enrolled key differs from the attested one.
    write_pub("other.pub.pem", ec.generate_private_key(ec.SECP256R1()))

    # YubiKey PIV: device key in slot f9 (RSA 2048, as Yubico's), slot 9c holds a P-384 key.
    f9 = rsa_key()
    f9_cert = cert("Yubico PIV Attestation", "Test PIV Root CA", piv_root, f9.public_key(),
                   exts=[("3.3", bytes([5, 4, 3]))], ca=True, start=2016, end=2052)
    write_der("piv-f9.der", f9_cert)
    slot = ec.generate_private_key(ec.SECP384R1())
    write_pub("piv-9c.pub.pem", slot)
    write_der("piv-9c.der", cert("YubiKey PIV Attestation 9c", "Yubico PIV Attestation", f9,
                                 slot.public_key(), exts=piv_exts(), start=2016, end=2052))
    write_der("piv-9c-no-serial.der", cert("YubiKey PIV Attestation 9c", "Yubico PIV Attestation",
                                           f9, slot.public_key(), exts=piv_exts(skip=("3.7",)),
                                           start=2016, end=2052))
    # Wrong CA: a device certificate under a root that is not trusted (another name) ...
    other_root = rsa_key()
    write_der("piv-f9-other-ca.der", cert("Yubico PIV Attestation", "Other PIV Root CA",
                                          other_root, f9.public_key(),
                                          exts=[("3.3", bytes([5, 4, 3]))], ca=True,
                                          start=2016, end=2052))
    # ... and one under an impostor root that took the trusted root's name.
    write_der("piv-f9-impostor-ca.der", cert("Yubico PIV Attestation", "Test PIV Root CA",
                                             other_root, f9.public_key(),
                                             exts=[("3.3", bytes([5, 4, 3]))], ca=True,
                                             start=2016, end=2052))


if __name__ == "__main__":
    main()
