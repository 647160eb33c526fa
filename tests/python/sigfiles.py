"""Many keyholders at once, without a key file each: makes ed25519 keys and detached
signature files in tuf-ceremony's format (tuf-ceremony-signature/1), signed over the payload
python-tuf computes, for tests that run many `merge` commands side by side.

  sigfiles.py keys N             k0.pub.json … and k0.priv (raw private key, hex)
  sigfiles.py sign FILE ROLE N   s0.sig.json … for ROLE's metadata in FILE
"""
import hashlib
import json
import sys
from datetime import datetime, timezone

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from securesystemslib.formats import encode_canonical
from tuf.api.metadata import Metadata


def key_object(public_hex):
    return {"keytype": "ed25519", "scheme": "ed25519", "keyval": {"public": public_hex}}


def keys(n):
    for i in range(n):
        sk = Ed25519PrivateKey.generate()
        pub = sk.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()
        with open(f"k{i}.pub.json", "w") as f:
            json.dump(key_object(pub), f)
        with open(f"k{i}.priv", "w") as f:
            f.write(sk.private_bytes_raw().hex())


def sign(path, role, n):
    md = Metadata.from_file(path)
    payload = md.signed_bytes
    digest = hashlib.sha256(payload).hexdigest()
    for i in range(n):
        with open(f"k{i}.priv") as f:
            sk = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(f.read()))
        pub = sk.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()
        keyid = hashlib.sha256(encode_canonical(key_object(pub)).encode()).hexdigest()
        doc = {
            "format": "tuf-ceremony-signature/1",
            "role": role,
            "version": md.signed.version,
            "payload_sha256": digest,
            "keyholder": f"k{i}",
            "device": {"kind": "file", "identity": f"test key k{i}", "description": "a test key"},
            "signed_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "signatures": [{"keyid": keyid, "sig": sk.sign(payload).hex()}],
        }
        with open(f"s{i}.sig.json", "w") as f:
            json.dump(doc, f, indent=1)


if __name__ == "__main__":
    if sys.argv[1] == "keys":
        keys(int(sys.argv[2]))
    else:
        sign(sys.argv[2], sys.argv[3], int(sys.argv[4]))
