#!/usr/bin/env python3
"""The verdicts of python-tuf 7 (and a model of tough's) on published root metadata.

  real_verdicts.py CASES.json

CASES.json is a list of {"id": ..., "old": PATH or null, "new": PATH}. A case with an old root
is a rotation, judged as python-tuf's ngclient judges one (trusted_metadata_set.py,
update_root): the new root is read with Metadata.from_bytes, must be root, must be signed by
a threshold of the old root's root keys (verify_delegate), must be version old+1, and must be
signed by a threshold of its own root keys. A case without one is a first root, judged as
_load_trusted_root judges it: signed by a threshold of its own root keys. Expiry is not
checked (ngclient checks it only for the final root).

Prints one JSON list: for each case {"id", "python": {"ok", "why", "counted": [keyids the
new root's own root role counted], "counted_by_old": [...] or null, "old_alone": bool or
null}, "tough": {"ok", "why"}}. "old_alone" says whether the old root is accepted as a
first root by python-tuf (so a client could hold it as trusted).

The tough verdict is a model of tough 0.24 (awslabs/tough, tough/src/schema/de.rs,
key.rs, ser.rs, verify.rs and lib.rs load_root), not tough itself: every keyid must be the
SHA-256 of the canonical whole key object, keys only ed25519/ed25519, ecdsa (or the old
keytype ecdsa-sha2-nistp256)/ecdsa-sha2-nistp256 with a P-256 key in PEM or hex, rsa/
rsassa-pss-sha256; `expires` is read with any RFC 3339 offset and re-written in UTC as
chrono wrote it (`Z`, 0/3/6/9 fractional digits) before the signatures are checked, so an
offset other than `Z` leaves no signature valid; a keyid that signs twice refuses the file
(verify_role's DuplicateKeyId); root N+1 needs both thresholds and version N+1.
scripts/interop.sh checks this model against tough itself on every case.
"""
import hashlib, json, re, sys
from datetime import datetime, timedelta
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from securesystemslib.formats import encode_canonical
from tuf.api.metadata import Metadata, Root


def python_verdict(old_bytes, new_bytes):
    out = {"ok": False, "why": "", "counted": [], "counted_by_old": None, "old_alone": None}
    try:
        new = Metadata.from_bytes(new_bytes)
        if new.signed.type != Root.type:
            raise ValueError(f"expected root, got {new.signed.type}")
        out["counted"] = sorted(new.signed.get_verification_result("root", new.signed_bytes, new.signatures).signed)
        if old_bytes is not None:
            old = Metadata.from_bytes(old_bytes)
            if old.signed.type != Root.type:
                raise ValueError(f"expected root, got {old.signed.type}")
            try:
                old.signed.verify_delegate("root", old.signed_bytes, old.signatures)
                out["old_alone"] = True
            except Exception:
                out["old_alone"] = False
            out["counted_by_old"] = sorted(old.signed.get_verification_result("root", new.signed_bytes, new.signatures).signed)
            old.signed.verify_delegate("root", new.signed_bytes, new.signatures)
            if new.signed.version != old.signed.version + 1:
                raise ValueError(f"expected root version {old.signed.version + 1}, got {new.signed.version}")
        new.signed.verify_delegate("root", new.signed_bytes, new.signatures)
        out["ok"] = True
    except Exception as e:
        cause = e.__cause__ or e
        out["why"] = f"{type(cause).__name__}: {cause}"[:300]
    return out


TOUGH_KEYS = {("rsa", "rsassa-pss-sha256"), ("ed25519", "ed25519"),
              ("ecdsa", "ecdsa-sha2-nistp256"), ("ecdsa-sha2-nistp256", "ecdsa-sha2-nistp256")}
EXPIRES = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$")


def chrono_expires(text):
    """`expires` as tough 0.24 writes it back after reading it (jiff, any RFC 3339 offset,
    re-written in UTC with SecondsFormat::AutoSi's digits): None if unparsable."""
    m = EXPIRES.match(text)
    if not m:
        return None
    nanos = int((m.group(2) or "").ljust(9, "0"))
    when = datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S")
    if m.group(3) != "Z":
        sign = 1 if m.group(3)[0] == "+" else -1
        hours, minutes = int(m.group(3)[1:3]), int(m.group(3)[4:6])
        when -= sign * timedelta(hours=hours, minutes=minutes)
    if nanos == 0:
        frac = ""
    elif nanos % 1_000_000 == 0:
        frac = "." + f"{nanos:09d}"[:3]
    elif nanos % 1000 == 0:
        frac = "." + f"{nanos:09d}"[:6]
    else:
        frac = "." + f"{nanos:09d}"
    return when.strftime("%Y-%m-%dT%H:%M:%S") + frac + "Z"


def tough_key(keytype, scheme, public):
    """The key as tough reads it, or a reason it cannot."""
    if (keytype, scheme) not in TOUGH_KEYS:
        return None, f"tough cannot read {keytype}/{scheme} keys"
    if keytype == "ed25519":
        return ed25519.Ed25519PublicKey.from_public_bytes(bytes.fromhex(public)), None
    if public.startswith("-----BEGIN"):
        key = load_pem_public_key(public.encode())
    elif keytype != "rsa":
        key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), bytes.fromhex(public))
    else:
        return None, "RSA key not in PEM"
    if keytype == "rsa" and not isinstance(key, rsa.RSAPublicKey):
        return None, "rsa key is not RSA"
    if keytype != "rsa" and not (isinstance(key, ec.EllipticCurvePublicKey) and key.curve.name == "secp256r1"):
        return None, "ecdsa key is not P-256"
    return key, None


def tough_verify(key, payload, sig_hex):
    try:
        sig = bytes.fromhex(sig_hex)
        if isinstance(key, ed25519.Ed25519PublicKey):
            key.verify(sig, payload)
        elif isinstance(key, rsa.RSAPublicKey):
            key.verify(sig, payload, padding.PSS(padding.MGF1(hashes.SHA256()), 32), hashes.SHA256())
        else:
            key.verify(sig, payload, ec.ECDSA(hashes.SHA256()))
        return True
    except (InvalidSignature, ValueError):
        return False


def tough_parse(raw):
    """(document, reason): what tough's serde parse would refuse."""
    dup = []

    def pairs(items):
        seen = set()
        for k, _ in items:
            if k in seen:
                dup.append(k)
            seen.add(k)
        return dict(items)

    d = json.loads(raw, object_pairs_hook=pairs)
    s = d["signed"]
    if any(k in s["keys"] for k in dup):
        return None, "a keyid appears twice in keys"
    if s.get("_type") != "root" or not isinstance(s.get("consistent_snapshot"), bool):
        return None, "not a root tough reads (consistent_snapshot must be a boolean)"
    for keyid, k in s["keys"].items():
        key, why = tough_key(k.get("keytype"), k.get("scheme"), k["keyval"].get("public", ""))
        if why:
            return None, why
        if hashlib.sha256(encode_canonical(k).encode()).hexdigest() != keyid:
            return None, f"keyid {keyid[:8]} is not the SHA-256 of its whole key object"
    if chrono_expires(s["expires"]) is None:
        return None, f"expires {s['expires']!r} is not RFC 3339"
    return d, None


def tough_counted(delegator, d):
    s = dict(d["signed"])
    s["expires"] = chrono_expires(s["expires"])
    payload = encode_canonical(s).encode()
    role = delegator["signed"]["roles"]["root"]
    keys = delegator["signed"]["keys"]
    counted, seen = set(), set()
    for sig in d["signatures"]:
        kid = sig["keyid"]
        if kid in seen:
            raise ValueError(f"keyid {kid[:8]} signs twice")
        seen.add(kid)
        if kid in role["keyids"] and kid in keys:
            k = keys[kid]
            key, _ = tough_key(k["keytype"], k["scheme"], k["keyval"]["public"])
            if key is not None and tough_verify(key, payload, sig["sig"]):
                counted.add(kid)
    return len(counted) >= role["threshold"]


def tough_verdict(old_bytes, new_bytes):
    try:
        new, why = tough_parse(new_bytes)
        if why:
            return {"ok": False, "why": why}
        if old_bytes is not None:
            old, why = tough_parse(old_bytes)
            if why:
                return {"ok": False, "why": "old root: " + why}
            if not tough_counted(old, new):
                return {"ok": False, "why": "old root's threshold not met"}
            if new["signed"]["version"] != old["signed"]["version"] + 1:
                return {"ok": False, "why": "version"}
        if not tough_counted(new, new):
            return {"ok": False, "why": "own threshold not met"}
        return {"ok": True, "why": ""}
    except Exception as e:
        return {"ok": False, "why": f"{type(e).__name__}: {e}"[:200]}


def main():
    cases = json.load(open(sys.argv[1]))
    out = []
    for c in cases:
        old = open(c["old"], "rb").read() if c.get("old") else None
        new = open(c["new"], "rb").read()
        out.append({"id": c["id"], "python": python_verdict(old, new), "tough": tough_verdict(old, new)})
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
