#!/usr/bin/env python3
"""Adds snapshot and timestamp to an exported repository, for scripts/interop.sh.

  publish.py REPO KEYS     KEYS: a folder of tests/python/judge.py online-keys

As tests/python/judge.py publish, with one difference: the two files carry the spec_version
of the repository's targets.json instead of python-tuf's own, so a repository made with
`init --spec-version 1.0` stays one rust-tuf reads ("1.0" or "1.0.0" only).
"""
import glob, json, os, sys
from datetime import datetime, timedelta, timezone
from cryptography.hazmat.primitives import serialization
from securesystemslib.signer import CryptoSigner
from tuf.api.metadata import Metadata, MetaFile, Snapshot, Timestamp, Targets
from tuf.api.serialization.json import JSONSerializer


def signer(keys, role):
    with open(os.path.join(keys, f"{role}.pem"), "rb") as f:
        return CryptoSigner(serialization.load_pem_private_key(f.read(), None))


def main(repo, keys):
    with open(os.path.join(repo, "targets.json")) as f:
        spec = json.load(f)["signed"]["spec_version"]
    meta = {}
    for path in glob.glob(os.path.join(repo, "*.json")):
        role = os.path.basename(path)[:-5]
        if role in ("root", "timestamp") or role.split(".")[0].isdigit() or role.endswith("snapshot"):
            continue
        meta[f"{role}.json"] = MetaFile(Metadata[Targets].from_file(path).signed.version)
    expires = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=7)
    compact = JSONSerializer(compact=False)
    snap = Metadata(Snapshot(version=1, spec_version=spec, expires=expires, meta=meta))
    snap.sign(signer(keys, "snapshot"))
    snap.to_file(os.path.join(repo, "1.snapshot.json"), compact)
    ts = Metadata(Timestamp(version=1, spec_version=spec, expires=expires, snapshot_meta=MetaFile(1)))
    ts.sign(signer(keys, "timestamp"))
    ts.to_file(os.path.join(repo, "timestamp.json"), compact)
    print(f"published snapshot and timestamp v1 (spec_version {spec}) over {', '.join(sorted(meta))}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
