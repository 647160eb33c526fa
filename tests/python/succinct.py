#!/usr/bin/env python3
"""python-tuf 7 makes TAP 15 hash-bin delegations (succinct_roles), as RSTUF and PEP 458
repositories publish them, for tuf-ceremony to show.

  succinct.py make OUT HOLDER.pub.json SNAPSHOT.pub.json TIMESTAMP.pub.json BINS.pub.json
        unsigned OUT/root.json v1 (HOLDER holds root and targets) and OUT/targets.json v1,
        delegating every target path to 256 bins bins-00 … bins-ff under BINS, threshold 1
  succinct.py next TARGETS OUT BINS2.pub.json
        OUT: unsigned targets one version past TARGETS, its bins now 1024 (bit length 10)
        and needing 2 signatures, of BINS and BINS2
  succinct.py reads FILE
        whether python-tuf 7 reads FILE: prints "python-tuf reads it" or "python-tuf refuses
        it: ERROR"
"""
import hashlib, json, os, sys
from datetime import datetime, timedelta, timezone
from securesystemslib.formats import encode_canonical
from securesystemslib.signer import SSlibKey
from tuf.api.metadata import Metadata, Root, Targets, Delegations, SuccinctRoles
from tuf.api.serialization.json import JSONSerializer


def key(path):
    with open(path) as f:
        d = json.load(f)
    core = {"keytype": d["keytype"], "scheme": d["scheme"], "keyval": d["keyval"]}
    return SSlibKey.from_dict(hashlib.sha256(encode_canonical(core).encode()).hexdigest(), dict(d))


def write(signed, path):
    Metadata(signed).to_file(path, JSONSerializer(compact=False))


def make(out, holder, snapshot, timestamp, bins):
    os.makedirs(out, exist_ok=True)
    expires = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=200)
    root = Root(version=1, expires=expires, consistent_snapshot=True)
    for role in ("root", "targets"):
        root.add_key(key(holder), role)
    root.add_key(key(snapshot), "snapshot")
    root.add_key(key(timestamp), "timestamp")
    targets = Targets(version=1, expires=expires)
    targets.delegations = Delegations({}, succinct_roles=SuccinctRoles([], 1, 8, "bins"))
    targets.add_key(key(bins))
    write(root, os.path.join(out, "root.json"))
    write(targets, os.path.join(out, "targets.json"))
    names = list(targets.delegations.succinct_roles.get_roles())
    print(f"targets v1 delegates to {len(names)} bins, {names[0]} … {names[-1]}")


def next_version(path, out, bins2):
    targets = Metadata[Targets].from_file(path).signed
    targets.version += 1
    succinct = targets.delegations.succinct_roles
    targets.delegations.succinct_roles = SuccinctRoles(succinct.keyids, 2, 10, succinct.name_prefix)
    targets.add_key(key(bins2))
    os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
    write(targets, out)
    names = list(targets.delegations.succinct_roles.get_roles())
    print(f"targets v{targets.version} delegates to {len(names)} bins, {names[0]} … {names[-1]}")


def reads(path):
    try:
        Metadata.from_file(path)
        print("python-tuf reads it")
    except Exception as e:  # what python-tuf raises is the answer
        print(f"python-tuf refuses it: {type(e).__name__}: {e}")


if __name__ == "__main__":
    cmd, *args = sys.argv[1:]
    {"make": make, "next": next_version, "reads": reads}[cmd](*args)
