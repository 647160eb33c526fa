#!/usr/bin/env python3
"""Keys of every type python-tuf 7 counts, made and used by python-tuf itself.

  keytypes.py make-keys DIR        RSA-3072 (rsassa-pss-sha256) and P-384 keys made by
                                   securesystemslib: DIR/{rsa,p384}.pub.json (for tuf-ceremony)
                                   and DIR/{rsa,p384}.pem (private, test only)
  keytypes.py cosign FILE DIR      python-tuf adds the signatures of DIR's keys to FILE (in place)
  keytypes.py counted FILE         prints "counted KEYID KEYTYPE/SCHEME" for each root key
                                   python-tuf counts toward root's threshold (" salt-32" after an
                                   RSA-PSS signature whose salt is the digest's length, which
                                   tough requires), then "threshold met"
  keytypes.py hex-root DIR         DIR/signed.json: a root with an ed25519 key and a hex-encoded
                                   ECDSA key (as go-tuf v0 and Sigstore's first roots wrote them),
                                   signed by both; DIR/unsigned-by-hex.json: the same root signed
                                   by the ed25519 key only; DIR/ed.pub.json
Exits non-zero (with python-tuf's own exception) on any failure.
"""
import json, os, sys
from datetime import datetime, timezone
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from securesystemslib.signer import CryptoSigner, SSlibKey, Signature
from tuf.api.metadata import Metadata, Root
from tuf.api.serialization.json import JSONSerializer


def make_keys(d):
    os.makedirs(d, exist_ok=True)
    for name, priv in (("rsa", rsa.generate_private_key(65537, 3072)), ("p384", ec.generate_private_key(ec.SECP384R1()))):
        with open(os.path.join(d, f"{name}.pem"), "wb") as f:
            f.write(priv.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        with open(os.path.join(d, f"{name}.pub.json"), "w") as f:
            json.dump(CryptoSigner(priv).public_key.to_dict(), f)


def cosign(path, d):
    md = Metadata.from_file(path)
    for name in ("rsa", "p384"):
        with open(os.path.join(d, f"{name}.pem"), "rb") as f:
            md.sign(CryptoSigner(serialization.load_pem_private_key(f.read(), None)), append=True)
    md.to_file(path, JSONSerializer(compact=False))
    print(f"{path}: {len(md.signatures)} signature(s)")


def counted(path):
    md = Metadata[Root].from_file(path)
    root = md.signed
    result = root.get_verification_result("root", md.signed_bytes, md.signatures)
    for keyid in sorted(result.signed):
        key = root.keys[keyid]
        note = ""
        if key.scheme == "rsassa-pss-sha256":
            # tough verifies RSA-PSS with a salt as long as the digest only (aws-lc-rs's
            # RSA_PSS_SALTLEN_DIGEST): check this signature has one.
            pub = serialization.load_pem_public_key(key.keyval["public"].encode())
            pub.verify(bytes.fromhex(md.signatures[keyid].signature), md.signed_bytes,
                       padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32), hashes.SHA256())
            note = " salt-32"
        print(f"counted {keyid} {key.keytype}/{key.scheme}{note}")
    md.verify_delegate("root", md)
    print("threshold met")


def hex_root(d):
    os.makedirs(d, exist_ok=True)
    ed = CryptoSigner(Ed25519PrivateKey.generate())
    with open(os.path.join(d, "ed.pub.json"), "w") as f:
        json.dump(ed.public_key.to_dict(), f)
    p256 = ec.generate_private_key(ec.SECP256R1())
    point = p256.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    hex_key = SSlibKey("", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp256", {"public": point.hex()})
    from securesystemslib.signer._utils import compute_default_keyid
    hex_key = SSlibKey(compute_default_keyid(hex_key.keytype, hex_key.scheme, hex_key.keyval), hex_key.keytype, hex_key.scheme, hex_key.keyval)
    root = Root(version=1, expires=datetime(2040, 1, 1, tzinfo=timezone.utc), consistent_snapshot=True)
    for role in ("root", "targets", "snapshot", "timestamp"):
        root.add_key(ed.public_key, role)
    root.add_key(hex_key, "root")
    md = Metadata(root)
    md.sign(ed, append=True)
    md.to_file(os.path.join(d, "unsigned-by-hex.json"), JSONSerializer(compact=False))
    # The hex key's signature: DER ECDSA over the payload, as go-tuf v0 made them. python-tuf
    # cannot read the key, so it does not count.
    der = p256.sign(md.signed_bytes, ec.ECDSA(hashes.SHA256()))
    md.signatures[hex_key.keyid] = Signature(hex_key.keyid, der.hex())
    md.to_file(os.path.join(d, "signed.json"), JSONSerializer(compact=False))
    result = root.get_verification_result("root", md.signed_bytes, md.signatures)
    assert hex_key.keyid in result.unsigned, "python-tuf counted the hex key"
    print(f"hex key {hex_key.keyid}: python-tuf does not count it")


if __name__ == "__main__":
    cmd, *args = sys.argv[1:]
    {"make-keys": make_keys, "cosign": cosign, "counted": counted, "hex-root": hex_root}[cmd](*args)
