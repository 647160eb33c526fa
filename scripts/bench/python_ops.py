#!/usr/bin/env python3
"""python-tuf doing what tuf-ceremony's benchmarked commands do, on the same files.

    python_ops.py verify CEREMONY_DIR   Metadata.from_file(targets, claimed) + verify_delegate
    python_ops.py status CEREMONY_DIR   the same (status reads and checks what verify does)
    python_ops.py sign CEREMONY_DIR OUT   from_file(claimed), sign (a fresh in-memory ed25519
                                          key: signing costs the same whatever the key), to_file
"""
import os, sys
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from securesystemslib.signer import CryptoSigner
from tuf.api.metadata import Metadata, Targets
from tuf.api.serialization.json import JSONSerializer


def verify(d):
    targets = Metadata[Targets].from_file(os.path.join(d, "targets.json"))
    claimed = Metadata[Targets].from_file(os.path.join(d, "claimed.json"))
    targets.verify_delegate("claimed", claimed)


def sign(d, out):
    claimed = Metadata[Targets].from_file(os.path.join(d, "claimed.json"))
    signer = CryptoSigner(Ed25519PrivateKey.generate())
    claimed.sign(signer, append=True)
    claimed.to_file(out, JSONSerializer(compact=False))


if __name__ == "__main__":
    op, *args = sys.argv[1:]
    {"verify": verify, "status": verify, "sign": sign}[op](*args)
