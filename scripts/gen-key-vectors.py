#!/usr/bin/env python3
"""Regenerates tests/key-vectors/: one file per key type python-tuf 7 reads, with signatures
and the verdict python-tuf gives each (securesystemslib's Key.verify_signature, the check
python-tuf's threshold counting calls).

Each file: {"key": TUF key object, "keyid": securesystemslib's keyid, "payload": text,
"python_tuf_loads": bool (Key.from_dict accepts the key), "cases": [{"name", "sig" (hex),
"python_tuf" (bool: the signature counts)}]}. The Rust tests (src/keys.rs) must reach the
same verdict for every case, and read the same keyid.

RSA-PSS is verified by securesystemslib with PSS.AUTO: a signature with any salt length
counts, not only the digest-length salt securesystemslib signs with. The cases pin that.
Run: .venv/bin/python scripts/gen-key-vectors.py
"""
import hashlib, json, os, shutil, sys
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa, utils
from securesystemslib.signer import CryptoSigner, Key, Signature, SSlibKey
from securesystemslib.signer._utils import compute_default_keyid

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "key-vectors")
PAYLOAD = b'{"_type":"root","note":"key vectors","version":1}'
OTHER = b'{"_type":"root","note":"key vectors","version":2}'
HASHES = {"sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}


def verdict(key_dict, keyid, sig_hex, payload=PAYLOAD):
    key = Key.from_dict(keyid, dict(key_dict))
    try:
        key.verify_signature(Signature(keyid, sig_hex), payload)
        return True
    except Exception:
        return False


def write(name, key_dict, cases, loads=True, keyid=None):
    if keyid is None:
        keyid = compute_default_keyid(key_dict["keytype"], key_dict["scheme"], key_dict["keyval"])
    out = []
    for case_name, sig in cases:
        sig_hex = sig.hex() if isinstance(sig, bytes) else sig
        out.append({"name": case_name, "sig": sig_hex,
                    "python_tuf": verdict(key_dict, keyid, sig_hex) if loads else False})
    doc = {"key": key_dict, "keyid": keyid, "payload": PAYLOAD.decode(),
           "python_tuf_loads": loads, "cases": out}
    with open(os.path.join(OUT, f"{name}.json"), "w") as f:
        json.dump(doc, f, indent=1, sort_keys=True)
        f.write("\n")


def spki(pub):
    return pub.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def pkcs1(pub):
    return pub.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.PKCS1).decode()


def flip(sig):
    return sig[:-1] + bytes([sig[-1] ^ 1])


def pss(priv, h, salt, mgf_hash=None, payload=PAYLOAD):
    mgf = padding.MGF1((mgf_hash or HASHES[h])())
    return priv.sign(payload, padding.PSS(mgf=mgf, salt_length=salt), HASHES[h]())


def rsa_vectors(priv, bits):
    pub = priv.public_key()
    for h in HASHES:
        scheme = f"rsassa-pss-{h}"
        key = {"keytype": "rsa", "scheme": scheme, "keyval": {"public": spki(pub)}}
        # What securesystemslib's CryptoSigner makes for this scheme.
        signer = CryptoSigner(priv, SSlibKey.from_crypto(pub, scheme=scheme))
        good = bytes.fromhex(signer.sign(PAYLOAD).signature)
        digest_len = HASHES[h]().digest_size
        cases = [
            ("signed by securesystemslib (salt = digest length)", good),
            ("salt of 0 bytes", pss(priv, h, 0)),
            ("salt of 20 bytes", pss(priv, h, 20)),
            ("salt of the maximum length", pss(priv, h, padding.PSS.MAX_LENGTH)),
            ("signature over another payload", pss(priv, h, digest_len, payload=OTHER)),
            ("one bit flipped", flip(good)),
            ("MGF1 with SHA-1 instead of the scheme's hash", pss(priv, h, digest_len, mgf_hash=hashes.SHA1)),
            ("PKCS#1 v1.5 signature under a PSS key", priv.sign(PAYLOAD, padding.PKCS1v15(), HASHES[h]())),
            ("empty signature", b""),
            ("one byte too long", b"\x00" + good),
        ]
        # A signature whose first byte is zero, with that byte left off: OpenSSL reads it
        # as the number it encodes.
        for _ in range(5000):
            sig = pss(priv, h, 17)
            if sig[0] == 0:
                cases.append(("leading zero byte left off", sig[1:]))
                break
        write(f"rsa{bits}-{scheme}", key, cases)

        scheme = f"rsa-pkcs1v15-{h}"
        key = {"keytype": "rsa", "scheme": scheme, "keyval": {"public": spki(pub)}}
        good = priv.sign(PAYLOAD, padding.PKCS1v15(), HASHES[h]())
        other_hash = "sha512" if h != "sha512" else "sha256"
        write(f"rsa{bits}-{scheme}", key, [
            ("signed with PKCS#1 v1.5", good),
            ("signature over another payload", priv.sign(OTHER, padding.PKCS1v15(), HASHES[h]())),
            ("one bit flipped", flip(good)),
            ("signed with another hash", priv.sign(PAYLOAD, padding.PKCS1v15(), HASHES[other_hash]())),
            ("PSS signature under a PKCS#1 v1.5 key", pss(priv, h, 32)),
        ])


def der_with_padding(der_sig):
    """The same (r, s) with a needless leading zero on r: BER, not DER."""
    r, s = utils.decode_dss_signature(der_sig)
    rb = b"\x00" + r.to_bytes((r.bit_length() + 7) // 8 + 1, "big")
    sb = s.to_bytes((s.bit_length() + 8) // 8, "big")
    body = b"\x02" + bytes([len(rb)]) + rb + b"\x02" + bytes([len(sb)]) + sb
    return b"\x30" + bytes([len(body)]) + body


def ecdsa_vectors(curve, size, h, keytypes):
    priv = ec.derive_private_key(4242 + size, curve())
    pub = priv.public_key()
    n = {256: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551,
         384: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973}[size]
    scheme = f"ecdsa-sha2-nistp{size}"
    good = priv.sign(PAYLOAD, ec.ECDSA(h()))
    r, s = utils.decode_dss_signature(good)
    high_s = utils.encode_dss_signature(r, n - s if s < n // 2 else s)
    low_s = utils.encode_dss_signature(r, s if s < n // 2 else n - s)
    other_hash = hashes.SHA256 if h is not hashes.SHA256 else hashes.SHA384
    for keytype in keytypes:
        key = {"keytype": keytype, "scheme": scheme, "keyval": {"public": spki(pub)}}
        write(f"{keytype}-{scheme}" if keytype != "ecdsa" else scheme, key, [
            ("DER signature", good),
            ("the same signature with a high s", high_s),
            ("the same signature with a low s", low_s),
            ("signature over another payload", priv.sign(OTHER, ec.ECDSA(h()))),
            ("signed over another hash", priv.sign(PAYLOAD, ec.ECDSA(other_hash()))),
            ("raw r || s instead of DER", r.to_bytes(size // 8, "big") + s.to_bytes(size // 8, "big")),
            ("BER with a needless leading zero", der_with_padding(good)),
            ("one bit flipped", flip(good)),
        ])


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    rsa_vectors(rsa.generate_private_key(65537, 2048), 2048)
    # Over 4096 bits (the rsa crate's default limit) and over tough's 8192 would be slow to
    # sign many ways: one scheme each is enough.
    big = rsa.generate_private_key(65537, 6144)
    key = {"keytype": "rsa", "scheme": "rsassa-pss-sha256", "keyval": {"public": spki(big.public_key())}}
    good = pss(big, "sha256", 32)
    write("rsa6144-rsassa-pss-sha256", key, [("signed", good), ("one bit flipped", flip(good))])
    small = rsa.generate_private_key(65537, 1024)
    key = {"keytype": "rsa", "scheme": "rsassa-pss-sha256", "keyval": {"public": spki(small.public_key())}}
    write("rsa1024-rsassa-pss-sha256", key, [("signed", pss(small, "sha256", 32))])
    # PKCS#1 "RSA PUBLIC KEY" PEM: cryptography's load_pem_public_key reads it too.
    mid = rsa.generate_private_key(65537, 3072)
    key = {"keytype": "rsa", "scheme": "rsassa-pss-sha256", "keyval": {"public": pkcs1(mid.public_key())}}
    write("rsa3072-pkcs1-pem-rsassa-pss-sha256", key, [("signed", pss(mid, "sha256", 32))])
    # A scheme securesystemslib verifies but python-tuf 7 cannot load.
    key = {"keytype": "rsa", "scheme": "rsassa-pss-sha224", "keyval": {"public": spki(mid.public_key())}}
    sig = mid.sign(PAYLOAD, padding.PSS(mgf=padding.MGF1(hashes.SHA224()), salt_length=28), hashes.SHA224())
    try:
        Key.from_dict("x", dict(key))
        loads = True
    except ValueError:
        loads = False
    write("rsa3072-rsassa-pss-sha224", key, [("signed", sig)], loads=loads)

    ecdsa_vectors(ec.SECP384R1, 384, hashes.SHA384, ["ecdsa", "ecdsa-sha2-nistp384"])
    ecdsa_vectors(ec.SECP256R1, 256, hashes.SHA256, ["ecdsa", "ecdsa-sha2-nistp256"])
    # A P-384 key listed under the P-256 scheme (and the other way round): the curve is checked.
    p384 = ec.derive_private_key(99, ec.SECP384R1())
    key = {"keytype": "ecdsa", "scheme": "ecdsa-sha2-nistp256", "keyval": {"public": spki(p384.public_key())}}
    write("p384-key-as-ecdsa-sha2-nistp256", key, [("signed", p384.sign(PAYLOAD, ec.ECDSA(hashes.SHA256())))])
    # Hex-encoded uncompressed point, as go-tuf v0 and Sigstore's roots 1-4 wrote ECDSA keys.
    p256 = ec.derive_private_key(7, ec.SECP256R1())
    point = p256.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    key = {"keytype": "ecdsa-sha2-nistp256", "scheme": "ecdsa-sha2-nistp256", "keyval": {"public": point.hex()}}
    write("hex-ecdsa-sha2-nistp256", key, [("signed", p256.sign(PAYLOAD, ec.ECDSA(hashes.SHA256())))])
    print(f"wrote {len(os.listdir(OUT))} files to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    sys.exit(main())
