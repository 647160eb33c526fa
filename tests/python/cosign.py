#!/usr/bin/env python3
"""Co-signers tuf-ceremony cannot check itself: an RSA key as tuftool makes one, and a P-384 key.

  cosign.py root OUT ALICE_PUB BOB_PUB   unsigned OUT/root.json (root keys alice, bob, an RSA-3072
                                         and a P-384 key, threshold 2; targets alice) and
                                         OUT/targets.json; the private keys in OUT/rsa.pem, OUT/p384.pem
  cosign.py add FILE KEY.pem [wrong]     appends KEY's signature over FILE's signed part (with
                                         `wrong`, over other bytes), keeping every other byte of
                                         every signature; prints the keyid and the signature
  cosign.py verify FILE                  python-tuf 7 verifies root FILE against itself and prints
                                         the keyids it counted
"""
import json, os, sys
from datetime import datetime, timedelta, timezone
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from securesystemslib.signer import CryptoSigner, SSlibKey
from tuf.api.metadata import Metadata, Root, Targets
from tuf.api.serialization.json import JSONSerializer


def save_private(key, path):
    with open(path, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))


def load_signer(path):
    with open(path, "rb") as f:
        return CryptoSigner(serialization.load_pem_private_key(f.read(), None))


def _keyid(d):
    import hashlib
    from securesystemslib.formats import encode_canonical
    core = {k: d[k] for k in ("keytype", "scheme", "keyval")}
    return hashlib.sha256(encode_canonical(core).encode()).hexdigest()


def make_root(out, alice, bob):
    os.makedirs(out, exist_ok=True)
    r = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    p = ec.generate_private_key(ec.SECP384R1())
    save_private(r, os.path.join(out, "rsa.pem"))
    save_private(p, os.path.join(out, "p384.pem"))
    expires = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=200)
    root = Root(version=1, expires=expires, consistent_snapshot=True)
    for path in (alice, bob):
        with open(path) as f:
            d = json.load(f)
        root.add_key(SSlibKey(_keyid(d), d["keytype"], d["scheme"], d["keyval"]), "root")
    for key in (r, p):
        root.add_key(CryptoSigner(key).public_key, "root")
    with open(alice) as f:
        d = json.load(f)
    root.add_key(SSlibKey(_keyid(d), d["keytype"], d["scheme"], d["keyval"]), "targets")
    for role in ("snapshot", "timestamp"):
        root.add_key(CryptoSigner(ed25519.Ed25519PrivateKey.generate()).public_key, role)
    root.roles["root"].threshold = 2
    Metadata(root).to_file(os.path.join(out, "root.json"), JSONSerializer(compact=False))
    Metadata(Targets(version=1, expires=expires)).to_file(os.path.join(out, "targets.json"), JSONSerializer(compact=False))
    for name, key in (("rsa", r), ("p384", p)):
        k = CryptoSigner(key).public_key
        print(name, k.keyid, k.keytype, k.scheme)


def add(path, keyfile, wrong):
    signer = load_signer(keyfile)
    with open(path, "rb") as f:
        data = json.load(f)
    md = Metadata.from_dict(json.loads(json.dumps(data)))
    payload = md.signed_bytes + (b"x" if wrong else b"")
    sig = signer.sign(payload)
    # Appended to the file as it is: every other signature keeps its bytes.
    data["signatures"].append({"keyid": sig.keyid, "sig": sig.signature})
    with open(path, "w") as f:
        json.dump(data, f, indent=1)
    print(sig.keyid, sig.signature)


def verify(path):
    md = Metadata.from_file(path)
    md.signed.verify_delegate("root", md.signed_bytes, md.signatures)
    r = md.signed.get_verification_result("root", md.signed_bytes, md.signatures)
    print(" ".join(sorted(r.signed)))


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "root":
        make_root(*sys.argv[2:5])
    elif cmd == "add":
        add(sys.argv[2], sys.argv[3], len(sys.argv) > 4 and sys.argv[4] == "wrong")
    elif cmd == "verify":
        verify(sys.argv[2])
    else:
        raise SystemExit(__doc__)
