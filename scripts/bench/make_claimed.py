#!/usr/bin/env python3
"""Deterministic PEP 480 metadata for the benchmark, made by python-tuf.

    make_claimed.py OUT N PUB[,PUB…]

Writes unsigned OUT/root.json (the first key for every top-level role), OUT/targets.json
(delegating `claimed` to all the keys, threshold 1) and
OUT/claimed.json with N project delegations. Projects are named project-000001…; each is
delegated to one or two developer keys (one key per 12 projects on average, as developers
own several projects), threshold 1, paths ["NAME/*"]. Developer keys are derived from a fixed
seed, so the same N always gives the same bytes (expiry is fixed too).
"""
import hashlib, json, os, sys
from datetime import datetime, timezone
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives import serialization
from securesystemslib.signer import SSlibKey
from tuf.api.metadata import Metadata, Root, Targets, Delegations, DelegatedRole
from tuf.api.serialization.json import JSONSerializer

EXPIRES = datetime(2030, 1, 1, tzinfo=timezone.utc)


def dev_key(i):
    seed = hashlib.sha256(b"tuf-ceremony bench developer %d" % i).digest()
    pub = Ed25519PrivateKey.from_private_bytes(seed).public_key()
    raw = pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    d = {"keytype": "ed25519", "scheme": "ed25519", "keyval": {"public": raw.hex()}}
    keyid = hashlib.sha256(json.dumps(d, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
    return SSlibKey.from_dict(keyid, d)


def read_key(path):
    with open(path) as f:
        d = json.load(f)
    return SSlibKey.from_dict(hashlib.sha256(json.dumps(d, sort_keys=True, separators=(",", ":")).encode()).hexdigest(), d)


def main(out, n, pubs):
    n = int(n)
    os.makedirs(out, exist_ok=True)
    offline = [read_key(p) for p in pubs.split(",")]
    alice = offline[0]
    root = Root(version=1, expires=EXPIRES, consistent_snapshot=True)
    for role in ("root", "targets", "snapshot", "timestamp"):
        root.add_key(alice, role)
    targets = Targets(version=1, expires=EXPIRES)
    targets.delegations = Delegations({}, roles={"claimed": DelegatedRole("claimed", [], 1, False, paths=["*"])})
    for k in offline:
        targets.add_key(k, "claimed")
    ndev = max(1, n // 12)
    devs = [dev_key(i) for i in range(ndev)]
    keys = {k.keyid: k for k in devs}
    roles = {}
    for i in range(1, n + 1):
        name = f"project-{i:06d}"
        ids = [devs[i % ndev].keyid]
        if i % 5 == 0:
            ids.append(devs[(i * 7 + 3) % ndev].keyid)
        ids = sorted(set(ids))
        roles[name] = DelegatedRole(name, ids, 1, True, paths=[f"{name}/*"])
    claimed = Targets(version=1, expires=EXPIRES)
    claimed.delegations = Delegations(keys, roles=roles)
    for name, signed in (("root", root), ("targets", targets), ("claimed", claimed)):
        Metadata(signed).to_file(os.path.join(out, f"{name}.json"), JSONSerializer(compact=True))


if __name__ == "__main__":
    main(*sys.argv[1:])
