#!/usr/bin/env python3
"""Regenerates tests/vectors/ with python-tuf 7 (the reference implementation).

Each vector is a folder with `case.json` saying what the Rust tests must find:
  kind "canonical":  input.json -> expected.canonical (securesystemslib encode_canonical)
  kind "fail_canonical": input.json (python-tuf encodes it: expected.canonical) must be
      refused by the reader; `expect` is a substring, `note` says why (a documented limit)
  kind "signed_bytes": metadata.json -> expected.canonical (python-tuf Metadata.signed_bytes)
  kind "verify": a signed chain (root.json[, targets.json, claimed.json]) python-tuf accepts
  kind "fail_parse": metadata.json must be rejected at parse time; `expect` is a substring
  kind "fail_verify": python-tuf-made files whose thresholds/rotation must NOT hold
Folders starting with fail_ must be rejected. Run: .venv/bin/python scripts/gen-vectors.py
"""
import json, os, shutil, sys
from datetime import datetime, timezone
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric import ec
from securesystemslib.formats import encode_canonical
from securesystemslib.signer import CryptoSigner
from tuf.api.metadata import (Metadata, Root, Targets, DelegatedRole, Delegations, TargetFile)
from tuf.api.serialization.json import JSONSerializer

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "vectors")
EXPIRES = datetime(2040, 1, 1, tzinfo=timezone.utc)


def ed(seed):
    return CryptoSigner(Ed25519PrivateKey.from_private_bytes(bytes([seed]) * 32))


def ecdsa(seed):
    return CryptoSigner(ec.derive_private_key(1000 + seed, ec.SECP256R1()))


def case(name, kind, **extra):
    d = os.path.join(OUT, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "case.json"), "w") as f:
        json.dump(dict(kind=kind, **extra), f, indent=1, sort_keys=True)
        f.write("\n")
    return d


def write(d, name, data):
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def save(d, name, md):
    write(d, name, md.to_bytes(JSONSerializer(compact=False)))


def make_root(signers, threshold=None, version=1, sign_with=None, extra_keys=()):
    root = Root(version=version, expires=EXPIRES, consistent_snapshot=True)
    for s in signers:
        for role in ("root", "targets", "snapshot", "timestamp"):
            root.add_key(s.public_key, role)
    root.roles["root"].threshold = threshold or len(signers)
    md = Metadata(root)
    for s in (sign_with if sign_with is not None else signers):
        md.sign(s, append=True)
    return md


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)

    # --- canonical JSON of arbitrary values (securesystemslib rules)
    values = {
        "unicode": {"é": "ünïcødé ✓", "日本": ["𝄞", "\u00e9"], "a": "plain"},
        "control_characters": {"c": "tab\there nl\nhere \u0001\u001f del\u007f"},
        "quotes_and_backslashes": {"q": 'say "hi" \\ back\\slash \\"both\\"'},
        "64_bit_integers": {"u64_max": 2**64 - 1, "i64_min": -(2**63), "zero": 0, "i64_max": 2**63 - 1},
        "empty_containers": {"o": {}, "a": [], "nested": {"o": {"a": [{}]}}},
        "key_order_by_code_point": {"b": 1, "a": 2, "B": 3, "ä": 4, "\uff61": 5, "\U0001f600": 6, "": 7},
        "literals": {"t": True, "f": False, "n": None},
        # an ordinary key, though serde_json's `arbitrary_precision` would read it as a number
        "number_token_key": {"$serde_json::private::Number": "5"},
    }
    for name, value in values.items():
        d = case(f"canonical_{name}", "canonical")
        write(d, "input.json", json.dumps(value, indent=2, ensure_ascii=True).encode())
        write(d, "expected.canonical", encode_canonical(value).encode("utf-8"))
    # python-tuf takes integers of any size and -0; this tool reads integers within 64 bits,
    # zero written as 0 (serde_json reads no more without `arbitrary_precision`, whose
    # number token an input object could spell).
    limit = ("A documented limit: tuf-ceremony reads integers from -2^63 to 2^64-1, zero written "
             "as 0; python-tuf reads this file, no TUF field needs such a number.")
    for name, text in {"large_integers": '{"big": 18446744073709551617, "neg": -4611686018427387904}',
                       "negative_zero": '{"zero": -0}'}.items():
        d = case(f"fail_canonical_{name}", "fail_canonical", expect="integers only", note=limit)
        write(d, "input.json", text.encode())
        write(d, "expected.canonical", encode_canonical(json.loads(text)).encode("utf-8"))

    # --- signed_bytes of metadata with unknown fields and nested delegations
    a, b, c = ed(1), ed(2), ecdsa(3)
    targets = Targets(version=3, expires=EXPIRES)
    targets.targets["pkg/a-1.0.tar.gz"] = TargetFile(42, {"sha256": "ab" * 32}, "pkg/a-1.0.tar.gz", unrecognized_fields={"custom": {"note": "ünï \"q\""}})
    claimed = DelegatedRole("claimed", [], 1, False, paths=["*"], unrecognized_fields={"x-pep480": {"moved": 3}})
    nested = DelegatedRole("project-a", [], 2, True, path_hash_prefixes=["00", "ff"])
    targets.delegations = Delegations({}, roles={"claimed": claimed, "project-a": nested}, unrecognized_fields={"x-extra": [1, {"k": None}]})
    for s in (a, b):
        targets.add_key(s.public_key, "claimed")
    targets.add_key(c.public_key, "project-a")
    targets.unrecognized_fields["x-unknown-top"] = {"z": 1, "a": ["\u0001", "é"]}
    md = Metadata(targets)
    d = case("signed_bytes_targets_unknown_fields", "signed_bytes")
    save(d, "metadata.json", md)
    write(d, "expected.canonical", md.signed_bytes)

    # --- a chain python-tuf accepts: root (ed25519 + ecdsa), targets, claimed
    root = make_root([a, b, c], threshold=2)
    md_t = Metadata(targets)
    for s in (a, b, c):
        md_t.sign(s, append=True)
    md_c = Metadata(Targets(version=1, expires=EXPIRES))
    md_c.sign(a, append=True)
    root.verify_delegate("root", root)
    root.verify_delegate("targets", md_t)
    md_t.verify_delegate("claimed", md_c)
    d = case("verify_chain_ed25519_and_ecdsa", "verify", claimed_threshold_met=True)
    save(d, "root.json", root)
    save(d, "targets.json", md_t)
    save(d, "claimed.json", md_c)
    d = case("signed_bytes_root_mixed_keys", "signed_bytes")
    save(d, "metadata.json", root)
    write(d, "expected.canonical", root.signed_bytes)

    # --- negative vectors
    text = root.to_bytes(JSONSerializer(compact=False)).decode()
    d = case("fail_duplicate_json_key", "fail_parse", expect="appears twice")
    write(d, "metadata.json", text.replace('"_type": "root",', '"_type": "root",\n  "version": 1,', 1).encode())
    d = case("fail_float", "fail_parse", expect="integers only")
    write(d, "metadata.json", text.replace('"version": 1', '"version": 1.0', 1).encode())
    # serde_json's `arbitrary_precision` reads this object as the number 5; python-tuf
    # refuses a version that is not an integer, and so must we.
    d = case("fail_number_token_version", "fail_parse", expect="must be an integer, found an object")
    spoof = text.replace('"version": 1', '"version": {"$serde_json::private::Number": "5"}', 1)
    try:
        Metadata.from_bytes(spoof.encode())
        sys.exit("python-tuf accepted a version that is an object")
    except Exception:
        pass
    write(d, "metadata.json", spoof.encode())
    d = case("fail_duplicate_signature_keyid", "fail_parse", expect="a second signature by keyid")
    dup = json.loads(text)
    dup["signatures"].append(dict(dup["signatures"][0]))
    write(d, "metadata.json", json.dumps(dup, indent=1).encode())

    # one key listed under two keyids: python-tuf's threshold counting must not see 2
    one = Root(version=1, expires=EXPIRES)
    pub = a.public_key
    one.add_key(pub, "root")
    alias = pub.to_dict()
    alias["x-alias"] = True
    from securesystemslib.signer import SSlibKey
    from tuf.api.metadata import Key
    alias_key = Key.from_dict("f" * 64, dict(alias))
    one.keys["f" * 64] = alias_key
    one.roles["root"].keyids.append("f" * 64)
    one.roles["root"].threshold = 2
    for r in ("targets", "snapshot", "timestamp"):
        one.add_key(pub, r)
    md1 = Metadata(one)
    md1.sign(a, append=True)
    sig = md1.signatures[pub.keyid]
    from securesystemslib.signer import Signature
    md1.signatures["f" * 64] = Signature("f" * 64, sig.signature)
    d = case("fail_same_key_two_keyids", "fail_verify", expect="threshold not met")
    save(d, "root.json", md1)

    # rotation signed only by the new keys
    old = make_root([a, b], threshold=2)
    new_only = make_root([c, ed(4)], threshold=2, version=2)
    d = case("fail_rotation_signed_by_new_keys_only", "fail_verify", expect="previous threshold not met")
    save(d, "1.root.json", old)
    save(d, "2.root.json", new_only)
    # and the same rotation done right passes python-tuf (a positive control)
    good = make_root([c, ed(4)], threshold=2, version=2, sign_with=[a, b, c, ed(4)])
    old.verify_delegate("root", good)
    good.verify_delegate("root", good)
    d = case("rotation_signed_by_old_and_new", "verify_rotation")
    save(d, "1.root.json", old)
    save(d, "2.root.json", good)

    # rotation that skips a version
    skip = make_root([c, ed(4)], threshold=2, version=3, sign_with=[a, b, c, ed(4)])
    d = case("fail_rotation_skips_version", "fail_verify", expect="cannot follow")
    save(d, "1.root.json", old)
    save(d, "3.root.json", skip)

    # tampered payload
    tampered = json.loads(text)
    tampered["signed"]["expires"] = "2041-01-01T00:00:00Z"
    d = case("fail_tampered_payload", "fail_verify", expect="threshold not met")
    write(d, "root.json", json.dumps(tampered, indent=1).encode())
    print(f"wrote vectors to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    sys.exit(main())
