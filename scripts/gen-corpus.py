#!/usr/bin/env python3
"""Regenerates tests/corpus: one file per way an input can be wrong or hostile.

    .venv/bin/python scripts/gen-corpus.py

Layout (each folder has its own procedure in tests/integration/corpus.rs):
  metadata/NAME.json        `load NAME.json` into an empty folder must fail
  metadata-trusted/NAME.json  loads (python-tuf reads it; what is wrong is warned of), but
                            `load --trusted NAME.json` must fail: no valid signature meets
                            the root threshold
  metadata-sign/NAME.json   loads, but `sign` must refuse it (expiry rules)
  sigfile/NAME.json         `merge NAME.json` into a ceremony must fail; @KEYID@, @DIGEST@
                            and @VERSION@ are replaced by the test with the ceremony's own
  keyfile/NAME              `sign root --signer file:NAME` must fail
  transcript/NAME.jsonl     as the ceremony's transcript: `transcript verify` fails and an
                            edit refuses (and changes nothing)
  rotation/NAME/            `load --trusted` each N.root.json in order; the last must fail

Everything is deterministic: keys come from fixed seeds, Ed25519 signatures are
deterministic, age files use fixed passphrases (age's own randomness makes those bytes differ
from run to run; that is fine, their meaning does not change).
"""
import copy, hashlib, json, os, shutil, sys
from datetime import datetime, timezone
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from securesystemslib.signer import CryptoSigner
from tuf.api.metadata import Metadata, Root, Targets, Delegations, DelegatedRole
from tuf.api.serialization.json import JSONSerializer

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "corpus")
EXPIRES = datetime(2031, 1, 1, tzinfo=timezone.utc)
PASSPHRASE = "correct horse battery staple"


def signer(seed):
    return CryptoSigner(Ed25519PrivateKey.from_private_bytes(bytes([seed]) * 32))


A, B, C = signer(1), signer(2), signer(3)


def root_md(version, keys, threshold=1, expires=EXPIRES):
    r = Root(version=version, expires=expires, consistent_snapshot=True)
    for k in keys:
        for role in ("root", "targets", "snapshot", "timestamp"):
            r.add_key(k.public_key, role)
    r.roles["root"].threshold = threshold
    return Metadata(r)


def to_dict(md):
    return json.loads(JSONSerializer(compact=True).serialize(md))


def write(rel, data):
    path = os.path.join(OUT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if isinstance(data, (dict, list)):
        data = json.dumps(data, indent=1).encode()
    elif isinstance(data, str):
        data = data.encode()
    with open(path, "wb") as f:
        f.write(data)


def metadata_cases():
    base = to_dict(root_md(1, [A]))  # unsigned root v1, alice holds every role
    base["signatures"] = []
    kid = next(iter(base["signed"]["keys"]))
    text = json.dumps(base, indent=1)
    cases = {}

    def mutate(name, fn):
        d = copy.deepcopy(base)
        fn(d)
        cases[name] = d

    # Bytes and syntax.
    for cut in (1, 10, len(text) // 3, len(text) // 2, len(text) - 2):
        cases[f"truncated-at-{cut}"] = text[:cut].encode()
    cases["empty"] = b""
    cases["whitespace-only"] = b" \n\t\n"
    cases["not-utf8-latin1"] = text.replace('"root"', '"r\xf6ot"', 1).encode("latin-1")
    cases["not-utf8-lone-continuation"] = text.encode()[:20] + b"\x80" + text.encode()[20:]
    cases["utf8-bom"] = b"\xef\xbb\xbf" + text.encode()
    cases["utf16"] = text.encode("utf-16")
    cases["top-level-array"] = b"[" + text.encode() + b"]"
    cases["top-level-string"] = b'"root"'
    cases["top-level-null"] = b"null"
    cases["two-documents"] = (text + text).encode()
    cases["trailing-garbage"] = (text + " x").encode()
    cases["trailing-comma"] = text.replace('"version": 1', '"version": 1,', 1).replace("1,\n", "1,,\n", 1).encode()
    cases["single-quotes"] = text.replace('"_type"', "'_type'", 1).encode()
    cases["comment"] = ("// made by hand\n" + text).encode()
    cases["raw-control-char-in-string"] = text.replace('"1.0.31"', '"1.0.31\x01"', 1).encode()
    cases["raw-newline-in-string"] = text.replace('"1.0.31"', '"1.0\n.31"', 1).encode()
    cases["lone-surrogate-escape"] = text.replace('"1.0.31"', '"\\ud800"', 1).encode()
    cases["bad-escape"] = text.replace('"1.0.31"', '"\\x41"', 1).encode()
    cases["deep-nesting-100k-arrays"] = text.replace('"signed": {', '"x-deep": ' + "[" * 100000 + "]" * 100000 + ', "signed": {', 1).encode()
    cases["deep-nesting-200-objects"] = text.replace('"signed": {', '"x-deep": ' + '{"a":' * 200 + "1" + "}" * 200 + ', "signed": {', 1).encode()
    # Numbers.
    for name, num in [("huge-number", "1" + "0" * 60), ("float-version", "1.0"), ("exponent-version", "1e0"),
                      ("negative-zero-version", "-0"), ("leading-zero-version", "01"), ("plus-version", "+1"),
                      ("nan-version", "NaN"), ("infinity-version", "Infinity"), ("hex-version", "0x1")]:
        cases[name] = text.replace('"version": 1', f'"version": {num}', 1).encode()
    cases["float-in-unknown-field"] = text.replace('"signed": {', '"signed": {"x-ratio": 0.5, ', 1).encode()
    # Duplicate keys at every level.
    dup_sites = {
        "top": ('"signatures": []', '"signatures": [], "signatures": []'),
        "signed": ('"_type": "root"', '"_type": "root", "_type": "root"'),
        "roles": ('"roles": {', '"roles": {"root": {"keyids": [], "threshold": 1}, '),
        "role": ('"threshold": 1', '"threshold": 1, "threshold": 1'),
        "keys": ('"keys": {', f'"keys": {{"{kid}": {{}}, '),
        "key": ('"keytype": "ed25519"', '"keytype": "ed25519", "keytype": "ed25519"'),
        "keyval": ('"public": "', '"public": "00", "public": "'),
        "expires": ('"expires"', '"expires": "2031-01-01T00:00:00Z", "expires"'),
        "version-differing": ('"version": 1', '"version": 2, "version": 1'),
    }
    for where, (a, b) in dup_sites.items():
        t = json.dumps(base, indent=1, separators=(", ", ": "))
        assert a in t, where
        cases[f"duplicate-key-{where}"] = t.replace(a, b, 1).encode()
    # Missing and mistyped fields.
    # consistent_snapshot is optional (TUF spec 4.3), so it is not here.
    for f in ("_type", "version", "expires", "spec_version", "keys", "roles"):
        mutate(f"missing-{f}", lambda d, f=f: d["signed"].pop(f))
    for r in ("root", "targets", "snapshot", "timestamp"):
        mutate(f"missing-role-{r}", lambda d, r=r: d["signed"]["roles"].pop(r))
    mutate("missing-signed", lambda d: d.pop("signed"))
    mutate("missing-signatures", lambda d: d.pop("signatures"))
    mutate("missing-role-keyids", lambda d: d["signed"]["roles"]["root"].pop("keyids"))
    mutate("missing-role-threshold", lambda d: d["signed"]["roles"]["root"].pop("threshold"))
    mutate("missing-keyval-public", lambda d: d["signed"]["keys"][kid]["keyval"].pop("public"))
    mutate("version-string", lambda d: d["signed"].update(version="1"))
    mutate("version-bool", lambda d: d["signed"].update(version=True))
    mutate("threshold-string", lambda d: d["signed"]["roles"]["root"].update(threshold="1"))
    mutate("keyids-string", lambda d: d["signed"]["roles"]["root"].update(keyids=kid))
    mutate("keyids-number", lambda d: d["signed"]["roles"]["root"].update(keyids=[1]))
    mutate("keyid-listed-twice", lambda d: d["signed"]["roles"]["root"].update(keyids=[kid, kid]))
    mutate("consistent-snapshot-string", lambda d: d["signed"].update(consistent_snapshot="true"))
    mutate("expires-number", lambda d: d["signed"].update(expires=1924992000))
    mutate("signatures-object", lambda d: d.update(signatures={}))
    mutate("signed-array", lambda d: d.update(signed=[]))
    mutate("keys-array", lambda d: d["signed"].update(keys=[]))
    # Out-of-range values.
    for name, v in [("version-0", 0), ("version-negative", -1), ("version-2-63", 2**63), ("version-2-64", 2**64)]:
        mutate(name, lambda d, v=v: d["signed"].update(version=v))
    for name, v in [("threshold-0", 0), ("threshold-negative", -1), ("threshold-2-64", 2**64), ("threshold-beyond-keys", 2)]:
        mutate(name, lambda d, v=v: d["signed"]["roles"]["targets"].update(threshold=v))
    for name, v in [("date-only", "2031-01-01"), ("fractional-seconds", "2031-01-01T00:00:00.5Z"),
                    ("offset-not-z", "2031-01-01T00:00:00+00:00"), ("month-13", "2031-13-01T00:00:00Z"),
                    ("feb-30", "2031-02-30T00:00:00Z"), ("year-10000", "10000-01-01T00:00:00Z"),
                    ("empty", ""), ("lowercase-z", "2031-01-01T00:00:00z"), ("hour-24", "2031-01-01T24:00:00Z")]:
        mutate(f"expires-{name}", lambda d, v=v: d["signed"].update(expires=v))
    for name, v in [("2", "2.0.0"), ("one-part", "1"), ("words", "one"), ("empty", "")]:
        mutate(f"spec-version-{name}", lambda d, v=v: d["signed"].update(spec_version=v))
    for name, v in [("capitalised", "Root"), ("mirrors", "mirrors"), ("snapshot", "snapshot"), ("empty", "")]:
        mutate(f"type-{name}", lambda d, v=v: d["signed"].update(_type=v))
    # Keys.
    mutate("key-unknown-keytype-rsa", lambda d: d["signed"]["keys"][kid].update(keytype="rsa", scheme="rsassa-pss-sha256"))
    mutate("key-ecdsa-p384", lambda d: d["signed"]["keys"][kid].update(keytype="ecdsa", scheme="ecdsa-sha2-nistp384"))
    mutate("key-scheme-mismatch", lambda d: d["signed"]["keys"][kid].update(scheme="ecdsa-sha2-nistp256"))
    mutate("key-public-short", lambda d: d["signed"]["keys"][kid]["keyval"].update(public="abcd"))
    mutate("key-public-not-hex", lambda d: d["signed"]["keys"][kid]["keyval"].update(public="zz" * 32))
    mutate("key-public-not-a-point", lambda d: d["signed"]["keys"][kid]["keyval"].update(public="02" + "ff" * 31))
    mutate("key-ecdsa-garbage-pem", lambda d: d["signed"]["keys"][kid].update(keytype="ecdsa", scheme="ecdsa-sha2-nistp256", keyval={"public": "-----BEGIN PUBLIC KEY-----\nnot base64!\n-----END PUBLIC KEY-----\n"}))
    mutate("key-ed25519-given-as-pem", lambda d: d["signed"]["keys"][kid]["keyval"].update(public="-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAiojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAjQPb3Q=\n-----END PUBLIC KEY-----\n"))

    def keyid_mismatch(d):
        k = d["signed"]["keys"].pop(kid)
        d["signed"]["keys"]["ab" * 32] = k
        for r in d["signed"]["roles"].values():
            r["keyids"] = ["ab" * 32]
    mutate("keyid-not-hash-of-key", keyid_mismatch)
    mutate("role-keyid-unknown", lambda d: d["signed"]["roles"]["root"].update(keyids=["cd" * 32]))
    mutate("keyid-uppercase", lambda d: d["signed"]["roles"]["root"].update(keyids=[kid.upper()]))
    # Signatures on unsigned-looking metadata.
    mutate("signature-wrong-length", lambda d: d.update(signatures=[{"keyid": kid, "sig": "00" * 10}]))
    mutate("signature-not-hex", lambda d: d.update(signatures=[{"keyid": kid, "sig": "zz" * 64}]))
    mutate("signature-forged", lambda d: d.update(signatures=[{"keyid": kid, "sig": "11" * 64}]))
    mutate("signature-duplicate-keyid", lambda d: d.update(signatures=[{"keyid": kid, "sig": "11" * 64}, {"keyid": kid, "sig": "22" * 64}]))
    mutate("signature-missing-sig", lambda d: d.update(signatures=[{"keyid": kid}]))
    mutate("signature-number", lambda d: d.update(signatures=[{"keyid": kid, "sig": 5}]))
    good_md = root_md(1, [A])
    good_md.sign(A)
    good = to_dict(good_md)
    signed_then_changed = copy.deepcopy(good)
    signed_then_changed["signed"]["version"] = 2
    cases["signed-then-edited"] = signed_then_changed
    # python-tuf reads these (a key it cannot verify with, a keyid it takes as given, a
    # signature that does not verify): they load, labelled, but are never trusted.
    readable = {"key-unknown-keytype-rsa", "key-ecdsa-p384", "key-public-short", "key-public-not-hex",
                "key-public-not-a-point", "key-ecdsa-garbage-pem", "key-ed25519-given-as-pem",
                "keyid-not-hash-of-key", "signature-wrong-length", "signature-not-hex",
                "signature-forged", "signed-then-edited"}
    for name, d in cases.items():
        write(f"{'metadata-trusted' if name in readable else 'metadata'}/root-{name}.json", d)

    # Targets with delegations (PEP 480 claimed): named claimed.json when delegated.
    t = Targets(version=1, expires=EXPIRES)
    t.delegations = Delegations({}, roles={"claimed": DelegatedRole("claimed", [], 1, False, paths=["*/*"])})
    t.add_key(B.public_key, "claimed")
    tbase = to_dict(Metadata(t))
    tbase["signatures"] = []
    role = lambda d: d["signed"]["delegations"]["roles"][0]
    tcases = {}

    def tmut(name, fn):
        d = copy.deepcopy(tbase)
        fn(d)
        tcases[name] = d
    for name, v in [("dotdot-root", "../root"), ("root", "root"), ("targets", "targets"), ("empty", ""),
                    ("slash", "a/b"), ("dotdot", ".."), ("backslash", "a\\b"), ("nul", "a\x00b"), ("newline", "a\nb")]:
        tmut(f"delegation-named-{name}", lambda d, v=v: role(d).update(name=v))
    tmut("delegation-paths-and-prefixes", lambda d: role(d).update(path_hash_prefixes=["ab"]))
    tmut("delegation-neither-paths-nor-prefixes", lambda d: role(d).pop("paths"))
    tmut("delegation-terminating-string", lambda d: role(d).update(terminating="yes"))
    tmut("delegation-threshold-0", lambda d: role(d).update(threshold=0))
    tmut("delegation-threshold-beyond-keys", lambda d: role(d).update(threshold=2))
    tmut("delegation-keyid-unknown", lambda d: role(d).update(keyids=["ab" * 32]))
    tmut("delegation-duplicate-name", lambda d: d["signed"]["delegations"]["roles"].append(copy.deepcopy(role(d))))
    tmut("delegation-succinct-and-roles", lambda d: d["signed"]["delegations"].update(succinct_roles={"keyids": [], "threshold": 1, "bit_length": 8, "name_prefix": "bin"}))
    tmut("delegation-roles-object", lambda d: d["signed"]["delegations"].update(roles={"claimed": role(d)}))
    tmut("delegation-paths-string", lambda d: role(d).update(paths="*/*"))
    tmut("target-length-negative", lambda d: d["signed"]["targets"].update({"a/b.tgz": {"length": -1, "hashes": {"sha256": "00" * 32}}}))
    tmut("target-length-float", lambda d: d["signed"]["targets"].update({"a/b.tgz": {"length": 1.5, "hashes": {"sha256": "00" * 32}}}))
    tmut("target-no-hashes", lambda d: d["signed"]["targets"].update({"a/b.tgz": {"length": 1}}))
    tmut("target-entry-string", lambda d: d["signed"]["targets"].update({"a/b.tgz": "x"}))
    tmut("targets-array", lambda d: d["signed"].update(targets=[]))
    for name, d in tcases.items():
        write(f"metadata/targets-{name}.json", d)
    write("metadata/snapshot-is-online.json", {"signed": {"_type": "snapshot", "spec_version": "1.0.31", "version": 1, "expires": "2031-01-01T00:00:00Z", "meta": {}}, "signatures": []})
    write("metadata/timestamp-is-online.json", {"signed": {"_type": "timestamp", "spec_version": "1.0.31", "version": 1, "expires": "2031-01-01T00:00:00Z", "meta": {}}, "signatures": []})

    # Expiry: parses and loads, but may not be signed.
    for name, when in [("expired", datetime(2001, 1, 1, tzinfo=timezone.utc)),
                       ("far-future-year-9999", datetime(9999, 12, 31, tzinfo=timezone.utc))]:
        md = to_dict(root_md(1, [A], expires=when))
        md["signatures"] = []
        write(f"metadata-sign/root-{name}.json", md)


def sigfile_cases():
    good = {"format": "tuf-ceremony-signature/1", "role": "root", "version": "@VERSION@", "payload_sha256": "@DIGEST@",
            "keyholder": "alice", "device": {"kind": "key-file", "identity": "sha256:00", "description": "key file"},
            "signed_at": "2026-01-01T00:00:00Z", "signatures": [{"keyid": "@KEYID@", "sig": "11" * 64}]}
    cases = {}

    def sm(name, fn):
        d = copy.deepcopy(good)
        fn(d)
        cases[name] = d
    sm("forged-signature", lambda d: None)
    sm("signature-wrong-length", lambda d: d["signatures"][0].update(sig="11" * 10))
    sm("signature-not-hex", lambda d: d["signatures"][0].update(sig="zz" * 64))
    sm("signature-empty", lambda d: d["signatures"][0].update(sig=""))
    sm("keyid-unknown", lambda d: d["signatures"][0].update(keyid="ab" * 32))
    sm("keyid-twice", lambda d: d["signatures"].append(copy.deepcopy(d["signatures"][0])))
    sm("no-signatures", lambda d: d.update(signatures=[]))
    sm("signatures-missing", lambda d: d.pop("signatures"))
    sm("format-unknown", lambda d: d.update(format="tuf-ceremony-signature/9"))
    sm("format-missing", lambda d: d.pop("format"))
    sm("role-path-like", lambda d: d.update(role="../root"))
    sm("role-not-in-ceremony", lambda d: d.update(role="claimed"))
    sm("version-0", lambda d: d.update(version=0))
    sm("version-stale", lambda d: d.update(version=99))
    sm("version-string", lambda d: d.update(version="1"))
    sm("digest-short", lambda d: d.update(payload_sha256="abcd"))
    sm("digest-other-payload", lambda d: d.update(payload_sha256="00" * 32))
    sm("keyholder-newline", lambda d: d.update(keyholder="alice\nbob"))
    sm("keyholder-missing", lambda d: d.pop("keyholder"))
    sm("device-string", lambda d: d.update(device="usb"))
    for name, d in cases.items():
        write(f"sigfile/{name}.json", json.dumps(d, indent=1).replace('"@VERSION@"', "@VERSION@"))
    write("sigfile/not-json.json", "this is not a signature file\n")
    write("sigfile/metadata-instead.json", json.dumps(to_dict(root_md(1, [A]))))
    write("sigfile/duplicate-key.json", '{"format": "tuf-ceremony-signature/1", "format": "x"}')


def keyfile_cases():
    import pyrage
    pem_ed = Ed25519PrivateKey.from_private_bytes(b"\x09" * 32).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    write("keyfile/empty.key", b"")
    write("keyfile/random-bytes.key", hashlib.sha512(b"corpus").digest() * 4)
    write("keyfile/plaintext-pem-from-another-tool.key", pem_ed)
    write("keyfile/openssl-encrypted-pem.key", Ed25519PrivateKey.from_private_bytes(b"\x09" * 32).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.BestAvailableEncryption(PASSPHRASE.encode())))
    write("keyfile/openssh-private-key.key", Ed25519PrivateKey.from_private_bytes(b"\x09" * 32).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, serialization.NoEncryption()))
    write("keyfile/tuf-public-key-json.key", json.dumps(A.public_key.to_dict()))

    def age_armor(data, pw):
        try:
            return pyrage.passphrase.encrypt(data, pw, armored=True)
        except TypeError:
            raw = pyrage.passphrase.encrypt(data, pw)
            import base64
            b64 = base64.b64encode(raw).decode()
            lines = [b64[i:i + 64] for i in range(0, len(b64), 64)]
            return ("-----BEGIN AGE ENCRYPTED FILE-----\n" + "\n".join(lines) + "\n-----END AGE ENCRYPTED FILE-----\n").encode()
    write("keyfile/age-wrong-passphrase.key", age_armor(pem_ed, "another passphrase entirely"))
    write("keyfile/age-not-pem-inside.key", age_armor(b"hello, this is not a key\n", PASSPHRASE))
    rsa_pem = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    write("keyfile/age-rsa-key-inside.key", age_armor(rsa_pem, PASSPHRASE))
    p384 = ec.generate_private_key(ec.SECP384R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    write("keyfile/age-p384-key-inside.key", age_armor(p384, PASSPHRASE))
    write("keyfile/age-unrelated-ed25519-key.key", age_armor(pem_ed, PASSPHRASE))
    raw = pyrage.passphrase.encrypt(pem_ed, PASSPHRASE)
    write("keyfile/age-binary-not-armored.key", raw)
    good = age_armor(pem_ed, PASSPHRASE).decode()
    lines = good.splitlines()
    write("keyfile/age-armor-truncated.key", "\n".join(lines[:2]) + "\n")
    mid = len(lines) // 2
    lines_bad = list(lines)
    lines_bad[mid] = lines_bad[mid][:-4] + ("AAAA" if not lines_bad[mid].endswith("AAAA") else "BBBB")
    write("keyfile/age-armor-corrupted.key", "\n".join(lines_bad) + "\n")
    write("keyfile/age-armor-not-base64.key", "\n".join([lines[0], "!!!! not base64 !!!!", lines[-1]]) + "\n")
    x25519 = pyrage.x25519.Identity.generate()
    write("keyfile/age-x25519-recipient.key", pyrage.encrypt(pem_ed, [x25519.to_public()]))


def transcript_cases():
    def line(seq, prev, extra=None):
        d = {"event": "init", "prev": prev, "seq": seq, "time": "2026-01-01T00:00:00Z", "tool": "tuf-ceremony 0.1.0"}
        d.update(extra or {})
        return json.dumps(d, separators=(",", ":"), sort_keys=True)
    g = "0" * 64
    l1 = line(1, g)
    h1 = hashlib.sha256(l1.encode()).hexdigest()
    l2 = line(2, h1)
    cases = {
        "not-json": "this is not a transcript\n",
        "no-final-newline": l1,
        "seq-starts-at-2": line(2, g) + "\n",
        "seq-gap": l1 + "\n" + line(3, h1) + "\n",
        "seq-repeated": l1 + "\n" + line(1, h1) + "\n",
        "prev-wrong": l1 + "\n" + line(2, "ab" * 32) + "\n",
        "first-prev-not-genesis": line(1, "ab" * 32) + "\n",
        "reordered": l2 + "\n" + l1 + "\n",
        "line-edited": l1.replace("init", "edit") + "\n" + l2 + "\n",
        "blank-line": l1 + "\n\n" + l2 + "\n",
        "array-line": "[]\n",
        "duplicate-key-line": l1[:-1] + ',"seq":1}\n',
        "nul-bytes": "\x00" * 64 + "\n",
        "huge-line": line(1, g, {"x": "a" * 300_000}) + "\n" + line(2, "00" * 32) + "\n",
    }
    for name, data in cases.items():
        write(f"transcript/{name}.jsonl", data)
    write("transcript/not-utf8.jsonl", l1.encode().replace(b"init", b"in\xfft") + b"\n")


def rotation_cases():
    def save(case, mds):
        for md in mds:
            write(f"rotation/{case}/{md.signed.version}.root.json", JSONSerializer(compact=False).serialize(md))

    v1 = root_md(1, [A, B], threshold=2)
    v1.sign(A); v1.sign(B, append=True)
    # v2 signed only by new keys (C): the old threshold is not met.
    v2 = root_md(2, [C]); v2.sign(C)
    save("signed-by-new-keys-only", [v1, v2])
    # Skipped version: v1 then v3.
    v3 = root_md(3, [A, B], threshold=2); v3.sign(A); v3.sign(B, append=True)
    save("skipped-version", [v1, v3])
    # Old threshold only half met: v2 signed by A (needs 2 of A, B) and its own key.
    v2b = root_md(2, [A], threshold=1); v2b.sign(A)
    save("old-threshold-not-met", [v1, v2b])
    # v2 lists the same key under two keyids with threshold 2, signed by that one key twice.
    r = Root(version=2, expires=EXPIRES, consistent_snapshot=True)
    r.add_key(A.public_key, "root")
    import securesystemslib.signer as ss
    twin = ss.SSlibKey("ee" * 32, "ed25519", "ed25519", dict(A.public_key.keyval))
    r.keys[twin.keyid] = twin
    r.roles["root"].keyids.append(twin.keyid)
    r.roles["root"].threshold = 2
    for role in ("targets", "snapshot", "timestamp"):
        r.add_key(A.public_key, role)
    v2c = Metadata(r); v2c.sign(A); v2c.sign(B, append=True)
    d = to_dict(v2c)
    d["signatures"].append({"keyid": twin.keyid, "sig": d["signatures"][0]["sig"]})
    save("same-key-two-keyids", [v1])
    write("rotation/same-key-two-keyids/2.root.json", json.dumps(d, indent=1))
    # Rollback: trusted v2, then v1 again.
    v2d = root_md(2, [A, B], threshold=2); v2d.sign(A); v2d.sign(B, append=True)
    save("rollback", [v1, v2d])
    shutil.copy(os.path.join(OUT, "rotation/rollback/1.root.json"), os.path.join(OUT, "rotation/rollback/3.root.json"))
    # A trusted root that does not meet its own threshold.
    lone = root_md(1, [A, B], threshold=2); lone.sign(A)
    save("first-root-below-threshold", [lone])
    # Same version, different content.
    v2e = root_md(2, [A, B], threshold=2, expires=datetime(2032, 1, 1, tzinfo=timezone.utc)); v2e.sign(A); v2e.sign(B, append=True)
    save("same-version-different-content", [v1, v2d])
    write("rotation/same-version-different-content/3.root.json", JSONSerializer(compact=False).serialize(v2e))


if __name__ == "__main__":
    if os.path.exists(OUT):
        shutil.rmtree(OUT)
    metadata_cases()
    sigfile_cases()
    keyfile_cases()
    transcript_cases()
    rotation_cases()
    n = sum(len(files) for _, _, files in os.walk(OUT))
    print(f"wrote {n} files under tests/corpus")
