#!/usr/bin/env python3
"""python-tuf doing what tuf-ceremony's benchmarked commands do, on the same files.

    python_ops.py verify CEREMONY_DIR   Metadata.from_file(targets, claimed) + verify_delegate
    python_ops.py status CEREMONY_DIR   the same (status reads and checks what verify does)
    python_ops.py sign CEREMONY_DIR KEY_PEM OUT   from_file(claimed), sign, to_file
"""
import os, sys
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from securesystemslib.signer import CryptoSigner
from tuf.api.metadata import Metadata, Targets
from tuf.api.serialization.json import JSONSerializer


def verify(d):
    targets = Metadata[Targets].from_file(os.path.join(d, "targets.json"))
    claimed = Metadata[Targets].from_file(os.path.join(d, "claimed.json"))
    targets.verify_delegate("claimed", claimed)


def sign(d, key_pem, out):
    claimed = Metadata[Targets].from_file(os.path.join(d, "claimed.json"))
    with open(key_pem, "rb") as f:
        signer = CryptoSigner(load_pem_private_key(f.read(), None))
    claimed.sign(signer, append=True)
    claimed.to_file(out, JSONSerializer(compact=False))


if __name__ == "__main__":
    op, *args = sys.argv[1:]
    {"verify": verify, "status": verify, "sign": sign}[op](*args)
