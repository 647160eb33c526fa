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
  role-name/NAME.json       `load NAME.json` must fail: the file name gives the role name

Each folder's cases.json pins the refusal every case must get: {"NAME": {"exit": CODE,
"error": "a substring of the error"}} (metadata-trusted also a "warning" of the load;
rotation is keyed by the case's folder). The substring belongs to the check the case is
about, so a file refused by another check fails the test; every case file has an entry
and every entry a file.

Everything but four key files is deterministic: keys come from fixed seeds, Ed25519
signatures are deterministic, and age files are written here with their randomness drawn
from a seed. The RSA key, the x25519 recipient, and OpenSSL's and OpenSSH's encryption
salts differ from run to run; their meaning does not.
"""
import copy, hashlib, json, os, shutil, sys
from datetime import datetime, timezone
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from securesystemslib.formats import encode_canonical
from securesystemslib.signer import CryptoSigner
from tuf.api.metadata import Metadata, Root, Targets, Delegations, DelegatedRole
from tuf.api.serialization.json import JSONSerializer

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "corpus")
EXPIRES = datetime(2031, 1, 1, tzinfo=timezone.utc)
PASSPHRASE = "correct horse battery staple"


EXPECT = {}  # folder -> case name -> {"exit": code, "error": substring, ...}


NUM = " a number with a fraction or exponent, an integer beyond 64 bits, or -0"


def expect(folder, name, code, error, **more):
    assert name not in EXPECT.setdefault(folder, {}), (folder, name)
    EXPECT[folder][name] = dict(exit=code, error=error, **more)


def write_manifests():
    for folder, cases in EXPECT.items():
        write(f"{folder}/cases.json", json.dumps(cases, indent=1, sort_keys=True, ensure_ascii=False) + "\n")


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
    cases = {}  # name -> (bytes or dict, exit code, error substring)
    FORMAT = 3  # exit code of a malformed file

    def mutate(name, fn, error, code=FORMAT):
        d = copy.deepcopy(base)
        fn(d)
        cases[name] = (d, code, error)

    def raw(name, data, error, code=FORMAT):
        cases[name] = (data, code, error)

    # Bytes and syntax. Most syntax messages are serde_json's, after "line L, column C: ";
    # an empty or cut-short file and a lone surrogate are said in words, with what to do.
    cut_short = ": the text ends before the JSON document does: the file was cut short, or a " \
        "closing bracket, brace or quote is missing; copy it again from its source"
    for cut in (1, 10, len(text) // 3, len(text) // 2, len(text) - 2):
        raw(f"truncated-at-{cut}", text[:cut].encode(), cut_short)
    raw("truncated-in-key", text[:text.index('"keys"') + 3].encode(), "line 7, column 5: $.signed" + cut_short)
    raw("truncated-in-value", text[:text.index('"1.0.31"') + 3].encode(), "line 42, column 21: $.signed.spec_version" + cut_short)
    raw("missing-last-brace", text.rstrip()[:-1].encode(), "$" + cut_short)
    raw("empty", b"", "line 1, column 0: the file is empty (0 bytes): copy it again from its source")
    raw("whitespace-only", b" \n\t\n", "line 3, column 0: the file holds only whitespace (4 bytes), no JSON "
        "document: copy it again from its source")
    raw("not-utf8-latin1", text.replace('"root"', '"r\xf6ot"', 1).encode("latin-1"),
        "line 4, column 14: the file is not valid UTF-8 here")
    raw("not-utf8-lone-continuation", text.encode()[:20] + b"\x80" + text.encode()[20:],
        "line 2, column 19: the file is not valid UTF-8 here")
    raw("utf8-bom", b"\xef\xbb\xbf" + text.encode(), "the file starts with a UTF-8 byte-order mark")
    raw("utf16", text.encode("utf-16"), "line 1, column 1: the file is not valid UTF-8 here")
    raw("top-level-array", b"[" + text.encode() + b"]", "$: must be an object, found an array")
    raw("top-level-string", b'"root"', "$: must be an object, found a string")
    raw("top-level-null", b"null", "$: must be an object, found null")
    raw("two-documents", (text + text).encode(), "line 45, column 2: trailing characters")
    raw("trailing-garbage", (text + " x").encode(), "line 45, column 3: trailing characters")
    raw("trailing-comma", text.replace('"version": 1', '"version": 1,', 1).encode(), "trailing comma")
    raw("single-quotes", text.replace('"_type"', "'_type'", 1).encode(), "line 4, column 3: key must be a string")
    raw("comment", ("// made by hand\n" + text).encode(), "line 1, column 1: expected value")
    raw("raw-control-char-in-string", text.replace('"1.0.31"', '"1.0.31\x01"', 1).encode(),
        "control character (\\u0000-\\u001F) found while parsing a string")
    raw("raw-newline-in-string", text.replace('"1.0.31"', '"1.0\n.31"', 1).encode(),
        "control character (\\u0000-\\u001F) found while parsing a string")
    lone = "$.signed.spec_version: a \\uD800-\\uDFFF escape that is not half of a surrogate pair, so the " \
        "string is not valid Unicode: the program that wrote the file was given invalid text; ask its " \
        "maker for a new one"
    for name, escape in [("lone-surrogate-escape", "\\ud800"), ("lone-trailing-surrogate-escape", "\\udc00"),
                         ("surrogate-then-letter-escape", "\\ud800\\u0041")]:
        raw(name, text.replace('"1.0.31"', f'"{escape}"', 1).encode(), lone)
    raw("bad-escape", text.replace('"1.0.31"', '"\\x41"', 1).encode(), "invalid escape")
    raw("deep-nesting-100k-arrays", text.replace('"signed": {', '"x-deep": ' + "[" * 100000 + "]" * 100000 + ', "signed": {', 1).encode(),
        "recursion limit exceeded")
    raw("deep-nesting-200-objects", text.replace('"signed": {', '"x-deep": ' + '{"a":' * 200 + "1" + "}" * 200 + ', "signed": {', 1).encode(),
        "recursion limit exceeded")
    # Numbers.
    float_error = "$.signed.version: a number with a fraction or exponent, an integer beyond 64 bits, or -0"
    for name, num, error in [
            ("huge-number", "1" + "0" * 60, float_error),
            ("float-version", "1.0", float_error),
            ("exponent-version", "1e0", float_error),
            # -0 reads as 0, as in python-tuf; 0 is out of range.
            ("negative-zero-version", "-0", float_error),
            ("leading-zero-version", "01", "line 43, column 15: invalid number"),
            ("plus-version", "+1", "line 43, column 14: expected value"),
            ("nan-version", "NaN", "line 43, column 14: expected value"),
            ("infinity-version", "Infinity", "line 43, column 14: expected value"),
            ("hex-version", "0x1", "line 43, column 15: expected `,` or `}`")]:
        raw(name, text.replace('"version": 1', f'"version": {num}', 1).encode(), error)
    raw("float-in-unknown-field", text.replace('"signed": {', '"signed": {"x-ratio": 0.5, ', 1).encode(),
        "$.signed.x-ratio: a number with a fraction or exponent")
    # Duplicate keys at every level.
    dup_sites = {
        "top": ('"signatures": []', '"signatures": [], "signatures": []', "$", "signatures"),
        "signed": ('"_type": "root"', '"_type": "root", "_type": "root"', "$.signed", "_type"),
        "roles": ('"roles": {', '"roles": {"root": {"keyids": [], "threshold": 1}, ', "$.signed.roles", "root"),
        "role": ('"threshold": 1', '"threshold": 1, "threshold": 1', "$.signed.roles.root", "threshold"),
        "keys": ('"keys": {', f'"keys": {{"{kid}": {{}}, ', "$.signed.keys", kid),
        "key": ('"keytype": "ed25519"', '"keytype": "ed25519", "keytype": "ed25519"', f"$.signed.keys.{kid}", "keytype"),
        "keyval": ('"public": "', '"public": "00", "public": "', f"$.signed.keys.{kid}.keyval", "public"),
        "expires": ('"expires"', '"expires": "2031-01-01T00:00:00Z", "expires"', "$.signed", "expires"),
        "version-differing": ('"version": 1', '"version": 2, "version": 1', "$.signed", "version"),
    }
    for where, (a, b, path, member) in dup_sites.items():
        t = json.dumps(base, indent=1, separators=(", ", ": "))
        assert a in t, where
        raw(f"duplicate-key-{where}", t.replace(a, b, 1).encode(), f'{path}: the member "{member}" appears twice')
    # Missing and mistyped fields.
    # consistent_snapshot is optional (TUF spec 4.3), so it is not here.
    for f in ("_type", "version", "expires", "spec_version", "keys", "roles"):
        mutate(f"missing-{f}", lambda d, f=f: d["signed"].pop(f), f'$.signed: the required field "{f}" is missing')
    for r in ("root", "targets", "snapshot", "timestamp"):
        mutate(f"missing-role-{r}", lambda d, r=r: d["signed"]["roles"].pop(r), f'$.signed.roles: the role "{r}" is missing')
    mutate("missing-signed", lambda d: d.pop("signed"), '$: the required field "signed" is missing')
    mutate("missing-signatures", lambda d: d.pop("signatures"), '$: the required field "signatures" is missing')
    mutate("missing-role-keyids", lambda d: d["signed"]["roles"]["root"].pop("keyids"),
           '$.signed.roles.root: the required field "keyids" is missing')
    mutate("missing-role-threshold", lambda d: d["signed"]["roles"]["root"].pop("threshold"),
           '$.signed.roles.root: the required field "threshold" is missing')
    mutate("missing-keyval-public", lambda d: d["signed"]["keys"][kid]["keyval"].pop("public"),
           f'$.signed.keys.{kid}.keyval: the required field "public" is missing')
    mutate("version-string", lambda d: d["signed"].update(version="1"), "$.signed.version: must be an integer, found a string")
    mutate("version-bool", lambda d: d["signed"].update(version=True), "$.signed.version: must be an integer, found a boolean")
    mutate("threshold-string", lambda d: d["signed"]["roles"]["root"].update(threshold="1"),
           "$.signed.roles.root.threshold: must be an integer, found a string")
    mutate("keyids-string", lambda d: d["signed"]["roles"]["root"].update(keyids=kid),
           "$.signed.roles.root.keyids: must be an array of keyids, found a string")
    mutate("keyids-number", lambda d: d["signed"]["roles"]["root"].update(keyids=[1]),
           "$.signed.roles.root.keyids[0]: must be a string, found an integer")
    mutate("keyid-listed-twice", lambda d: d["signed"]["roles"]["root"].update(keyids=[kid, kid]),
           f'$.signed.roles.root.keyids[1]: "{kid}" is listed twice')
    mutate("consistent-snapshot-string", lambda d: d["signed"].update(consistent_snapshot="true"),
           "$.signed.consistent_snapshot: must be true or false, found a string")
    mutate("expires-number", lambda d: d["signed"].update(expires=1924992000), "$.signed.expires: must be a string, found an integer")
    mutate("signatures-object", lambda d: d.update(signatures={}), "$.signatures: must be an array, found an object")
    mutate("signed-array", lambda d: d.update(signed=[]), "$.signed: must be an object, found an array")
    mutate("keys-array", lambda d: d["signed"].update(keys=[]), "$.signed.keys: must be an object, found an array")
    # Out-of-range values.
    # Integers past 64 bits are refused as numbers this tool cannot read, before any range.
    beyond = lambda at, v: f"{at}:{NUM}" if v >= 2**64 else f"{at}: must be an integer from 1 to 2^63-1, found {v}"
    for name, v in [("version-0", 0), ("version-negative", -1), ("version-2-63", 2**63), ("version-2-64", 2**64)]:
        mutate(name, lambda d, v=v: d["signed"].update(version=v), beyond("$.signed.version", v))
    for name, v in [("threshold-0", 0), ("threshold-negative", -1), ("threshold-2-64", 2**64)]:
        mutate(name, lambda d, v=v: d["signed"]["roles"]["targets"].update(threshold=v),
               beyond("$.signed.roles.targets.threshold", v))
    mutate("threshold-beyond-keys", lambda d: d["signed"]["roles"]["targets"].update(threshold=2),
           "root's targets role needs 2 signatures but lists 1 distinct key(s), so it could never be signed")
    not_form = "is not of the form YYYY-MM-DDTHH:MM:SSZ"
    for name, v, why in [("date-only", "2031-01-01", not_form), ("fractional-seconds", "2031-01-01T00:00:00.5Z", not_form),
                         ("offset-not-z", "2031-01-01T00:00:00+00:00", not_form),
                         ("month-13", "2031-13-01T00:00:00Z", "is not a real calendar date"),
                         ("feb-30", "2031-02-30T00:00:00Z", "is not a real calendar date"),
                         ("year-10000", "10000-01-01T00:00:00Z", not_form), ("empty", "", not_form),
                         ("lowercase-z", "2031-01-01T00:00:00z", not_form),
                         ("hour-24", "2031-01-01T24:00:00Z", "is not a real time of day"),
                         # python's datetime refuses a leap second too.
                         ("leap-second", "2031-06-30T23:59:60Z", "is not a real time of day")]:
        mutate(f"expires-{name}", lambda d, v=v: d["signed"].update(expires=v), f'$.signed.expires: "{v}" {why}')
    for name, v in [("2", "2.0.0"), ("one-part", "1"), ("words", "one"), ("empty", "")]:
        mutate(f"spec-version-{name}", lambda d, v=v: d["signed"].update(spec_version=v),
               f'$.signed.spec_version: "{v}" is not a 1.x TUF specification version')
    for name, v in [("capitalised", "Root"), ("mirrors", "mirrors"), ("empty", "")]:
        mutate(f"type-{name}", lambda d, v=v: d["signed"].update(_type=v), f'$.signed._type: "{v}" is not a TUF role type')
    mutate("type-snapshot", lambda d: d["signed"].update(_type="snapshot"),
           "snapshot metadata is signed online by the repository, never in a ceremony")
    # Keys.
    mutate("role-keyid-unknown", lambda d: d["signed"]["roles"]["root"].update(keyids=["cd" * 32]),
           f'$.signed.roles.root.keyids[0]: keyid {"cd" * 32} is not in the "keys" of this metadata')
    mutate("keyid-uppercase", lambda d: d["signed"]["roles"]["root"].update(keyids=[kid.upper()]),
           f'$.signed.roles.root.keyids[0]: keyid {kid.upper()} is not in the "keys" of this metadata')
    # Signatures that cannot be read as signatures.
    mutate("signature-duplicate-keyid", lambda d: d.update(signatures=[{"keyid": kid, "sig": "11" * 64}, {"keyid": kid, "sig": "22" * 64}]),
           f"$.signatures[1]: a second signature by keyid {kid}")
    mutate("signature-missing-sig", lambda d: d.update(signatures=[{"keyid": kid}]), '$.signatures[0]: the required field "sig" is missing')
    mutate("signature-number", lambda d: d.update(signatures=[{"keyid": kid, "sig": 5}]), "$.signatures[0].sig: must be a string, found an integer")
    for name, (data, code, error) in cases.items():
        write(f"metadata/root-{name}.json", data)
        expect("metadata", f"root-{name}.json", code, error)

    # python-tuf reads these (a key it cannot verify with, a keyid it takes as given, a
    # signature that does not verify): they load with a warning naming what is wrong, but
    # are never trusted. Each is signed by alice's real key over its own payload, so the
    # one reason no signature counts is the flaw the case is about.
    short = kid[:8] + "…"
    readable = {}

    def readable_case(name, fn, warning, error, sign=True):
        d = copy.deepcopy(base)
        fn(d)
        if sign:
            sig = A._private_key.sign(encode_canonical(d["signed"]).encode()).hex()
            d["signatures"] = [{"keyid": next(iter(d["signed"]["roles"]["root"]["keyids"])), "sig": sig}]
        readable[name] = (d, warning, error)

    def unreadable_key(name, fn, why):
        readable_case(name, fn, f"key {short}: {why}",
                      f"it has 0 of the 1 signatures its own root keys need; the signature by keyid {short}: "
                      f"its key cannot be read here ({why}")
    unreadable_key("key-unknown-keytype-rsa", lambda d: d["signed"]["keys"][kid].update(keytype="rsa", scheme="rsassa-pss-sha256"),
                   "keyval.public of an RSA key must be an RSA public key in SubjectPublicKeyInfo PEM")
    unreadable_key("key-ecdsa-p384", lambda d: d["signed"]["keys"][kid].update(keytype="ecdsa", scheme="ecdsa-sha2-nistp384"),
                   "keyval.public of this ecdsa-sha2-nistp384 key is a hex-encoded point")
    unreadable_key("key-public-short", lambda d: d["signed"]["keys"][kid]["keyval"].update(public="abcd"),
                   "keyval.public of an ed25519 key must be 32 bytes (64 hex digits)")
    unreadable_key("key-public-not-hex", lambda d: d["signed"]["keys"][kid]["keyval"].update(public="zz" * 32),
                   "keyval.public of an ed25519 key must be hex")
    unreadable_key("key-public-not-a-point", lambda d: d["signed"]["keys"][kid]["keyval"].update(public="02" + "ff" * 31),
                   "keyval.public is not a valid ed25519 point")
    unreadable_key("key-ecdsa-garbage-pem", lambda d: d["signed"]["keys"][kid].update(keytype="ecdsa", scheme="ecdsa-sha2-nistp256", keyval={"public": "-----BEGIN PUBLIC KEY-----\nnot base64!\n-----END PUBLIC KEY-----\n"}),
                   "keyval.public of an ecdsa-sha2-nistp256 key must be a P-256 public key in SubjectPublicKeyInfo PEM")
    unreadable_key("key-ed25519-given-as-pem", lambda d: d["signed"]["keys"][kid]["keyval"].update(public="-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAiojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAjQPb3Q=\n-----END PUBLIC KEY-----\n"),
                   "keyval.public of an ed25519 key must be hex")

    def keyid_mismatch(d):
        k = d["signed"]["keys"].pop(kid)
        d["signed"]["keys"]["ab" * 32] = k
        for r in d["signed"]["roles"].values():
            r["keyids"] = ["ab" * 32]
    # Unsigned: signed by alice, it would be trusted, as python-tuf and go-tuf trust it
    # (tough refuses it; the warning says so). Signing it anew is refused: metadata-sign.
    readable_case("keyid-not-hash-of-key", keyid_mismatch,
                  f"keyid {'ab' * 32} is not the SHA-256 of its key under either convention",
                  "it has 0 of the 1 signatures its own root keys need", sign=False)
    for name, sig, why in [("signature-wrong-length", "00" * 10, "an ed25519 signature must be 64 bytes"),
                           ("signature-not-hex", "zz" * 64, "the signature is not hex"),
                           ("signature-forged", "11" * 64, "the signature does not match the payload and key")]:
        readable_case(name, lambda d, sig=sig: d.update(signatures=[{"keyid": kid, "sig": sig}]),
                      f"the signature by keyid {short}: invalid ({why}): not counted",
                      f"it has 0 of the 1 signatures its own root keys need; the signature by keyid {short}: invalid ({why})",
                      sign=False)
    good_md = root_md(1, [A])
    good_md.sign(A)
    signed_then_changed = to_dict(good_md)
    signed_then_changed["signed"]["version"] = 2
    why = "the signature does not match the payload and key"
    readable["signed-then-edited"] = (signed_then_changed, f"the signature by keyid {short}: invalid ({why}): not counted",
                                      f"it has 0 of the 1 signatures its own root keys need; the signature by keyid {short}: invalid ({why})")
    for name, (d, warning, error) in readable.items():
        write(f"metadata-trusted/root-{name}.json", d)
        expect("metadata-trusted", f"root-{name}.json", 4, f"not recorded as trusted: {error}", warning=warning)
    # A key of a pair python-tuf 7 does not read: a file to sign that lists it loads with a
    # warning (the other keyholders can sign; the key never counts), one loaded as trusted is
    # refused as python-tuf refuses it.
    mismatch = copy.deepcopy(base)
    mismatch["signed"]["keys"][kid].update(scheme="ecdsa-sha2-nistp256")
    write("metadata-trusted/root-key-scheme-mismatch.json", mismatch)
    expect("metadata-trusted", "root-key-scheme-mismatch.json", FORMAT,
           f"key {kid} is ed25519/ecdsa-sha2-nistp256, a keytype and scheme python-tuf 7 does not read",
           warning="is ed25519/ecdsa-sha2-nistp256, a key type tuf-ceremony does not verify")

    # Targets with delegations (PEP 480 claimed). `load` names a role after its file, so
    # these load as delegated roles named targets-…; the flaw is inside.
    t = Targets(version=1, expires=EXPIRES)
    t.delegations = Delegations({}, roles={"claimed": DelegatedRole("claimed", [], 1, False, paths=["*/*"])})
    t.add_key(B.public_key, "claimed")
    tbase = to_dict(Metadata(t))
    tbase["signatures"] = []
    role = lambda d: d["signed"]["delegations"]["roles"][0]
    roles_at = "$.signed.delegations.roles[0]"
    tcases = {}

    def tmut(name, fn, error):
        d = copy.deepcopy(tbase)
        fn(d)
        tcases[name] = (d, error)
    pathlike = "looks like a path: a delegated role name must not contain '/', '\\', control characters, or be '.' or '..'"
    for name, v in [("dotdot-root", "../root"), ("slash", "a/b"), ("dotdot", ".."), ("backslash", "a\\b"), ("nul", "a\x00b"), ("newline", "a\nb")]:
        shown = v.replace("\\", "\\\\").replace("\x00", "\\0").replace("\n", "\\n")
        tmut(f"delegation-named-{name}", lambda d, v=v: role(d).update(name=v), f'{roles_at}.name: "{shown}" {pathlike}')
    for v in ("root", "targets"):
        tmut(f"delegation-named-{v}", lambda d, v=v: role(d).update(name=v),
             f'{roles_at}.name: "{v}" is a top-level role name and cannot be delegated')
    tmut("delegation-named-empty", lambda d: role(d).update(name=""), f"{roles_at}.name: a delegated role name must not be empty")
    one_of = 'the delegation to "claimed" must have exactly one of "paths" and "path_hash_prefixes"'
    tmut("delegation-paths-and-prefixes", lambda d: role(d).update(path_hash_prefixes=["ab"]), f"{roles_at}: {one_of}")
    tmut("delegation-neither-paths-nor-prefixes", lambda d: role(d).pop("paths"), f"{roles_at}: {one_of}")
    tmut("delegation-terminating-string", lambda d: role(d).update(terminating="yes"),
         f"{roles_at}.terminating: must be true or false, found a string")
    tmut("delegation-threshold-0", lambda d: role(d).update(threshold=0),
         f"{roles_at}.threshold: must be an integer from 1 to 2^63-1, found 0")
    tmut("delegation-threshold-beyond-keys", lambda d: role(d).update(threshold=2),
         "the delegation to claimed needs 2 signatures but lists 1 distinct key(s), so it could never be signed")
    tmut("delegation-keyid-unknown", lambda d: role(d).update(keyids=["ab" * 32]),
         f'{roles_at}.keyids[0]: keyid {"ab" * 32} is not in the "keys" of this metadata')
    tmut("delegation-duplicate-name", lambda d: d["signed"]["delegations"]["roles"].append(copy.deepcopy(role(d))),
         '$.signed.delegations.roles[1].name: the role "claimed" is delegated twice')
    tmut("delegation-succinct-and-roles", lambda d: d["signed"]["delegations"].update(succinct_roles={"keyids": [], "threshold": 1, "bit_length": 8, "name_prefix": "bin"}),
         '$.signed.delegations: delegations must not have both "roles" and "succinct_roles"')
    tmut("delegation-roles-object", lambda d: d["signed"]["delegations"].update(roles={"claimed": role(d)}),
         "$.signed.delegations.roles: must be an array, found an object")
    tmut("delegation-paths-string", lambda d: role(d).update(paths="*/*"), f"{roles_at}.paths: must be an array of paths, found a string")
    entry = '$.signed.targets["a/b.tgz"]'
    tmut("target-length-negative", lambda d: d["signed"]["targets"].update({"a/b.tgz": {"length": -1, "hashes": {"sha256": "00" * 32}}}),
         f"{entry}.length: must be a non-negative integer")
    tmut("target-length-float", lambda d: d["signed"]["targets"].update({"a/b.tgz": {"length": 1.5, "hashes": {"sha256": "00" * 32}}}),
         f"{entry}.length: a number with a fraction or exponent")
    tmut("target-no-hashes", lambda d: d["signed"]["targets"].update({"a/b.tgz": {"length": 1}}),
         f'{entry}: "hashes" must be an object of algorithm → hex digest')
    tmut("target-entry-string", lambda d: d["signed"]["targets"].update({"a/b.tgz": "x"}),
         f"{entry}: a target file entry must be an object, found a string")
    tmut("targets-array", lambda d: d["signed"].update(targets=[]), "$.signed.targets: must be an object, found an array")
    for name, (d, error) in tcases.items():
        write(f"metadata/targets-{name}.json", d)
        expect("metadata", f"targets-{name}.json", FORMAT, error)
    for online in ("snapshot", "timestamp"):
        write(f"metadata/{online}-is-online.json", {"signed": {"_type": online, "spec_version": "1.0.31", "version": 1, "expires": "2031-01-01T00:00:00Z", "meta": {}}, "signatures": []})
        expect("metadata", f"{online}-is-online.json", FORMAT, f"{online} metadata is signed online by the repository, never in a ceremony")

    # Role names come from file names (`load claimed.json` loads the role "claimed"): each
    # file here holds good delegated targets metadata under a name no role may have.
    good_targets = copy.deepcopy(tbase)
    for name, why in [("a" * 201, "it is 201 bytes long, more than the limit of 200 bytes"),
                      ("ceremony", "the tool keeps its own ceremony file or folder in the ceremony folder"),
                      ("Transcript", "the tool keeps its own transcript file or folder in the ceremony folder"),
                      ("TARGETS", "targets is a top-level role"),
                      ("-rf", "it starts with '-', so on a command line it reads as an option")]:
        write(f"role-name/{name}.json", good_targets)
        expect("role-name", f"{name}.json", FORMAT, f"{name}.json: role name " + (
            f'"{name}"' if len(name) < 64 else f'"{name[:64]}… ({len(name)} characters)"') + f" is not acceptable: {why}")

    # Loads, but may not be signed. @KEYID@ and @PUBLIC@ are replaced by the test with the
    # keyid and public key of the ceremony's alice, so that only the flaw stops her.
    def sign_case(name, md, error, keyid="@KEYID@"):
        t = json.dumps(md, indent=1).replace(kid, keyid).replace(A.public_key.keyval["public"], "@PUBLIC@")
        assert "@PUBLIC@" in t
        write(f"metadata-sign/{name}.json", t)
        expect("metadata-sign", f"{name}.json", 4, error)
    for name, when, error in [
            ("expired", datetime(2001, 1, 1, tzinfo=timezone.utc), "root v1 has already expired (2001-01-01T00:00:00Z)"),
            ("far-future-year-9999", datetime(9999, 12, 31, tzinfo=timezone.utc), "Set an expiry within 10 years first")]:
        md = to_dict(root_md(1, [A], expires=when))
        md["signatures"] = []
        sign_case(f"root-{name}", md, error)
    sign_case("root-keyid-not-hash-of-key", base, "Signing a new payload with it is refused until it is fixed", keyid="ab" * 32)


def sigfile_cases():
    good = {"format": "tuf-ceremony-signature/1", "role": "root", "version": "@VERSION@", "payload_sha256": "@DIGEST@",
            "keyholder": "alice", "device": {"kind": "key-file", "identity": "sha256:00", "description": "key file"},
            "signed_at": "2026-01-01T00:00:00Z", "signatures": [{"keyid": "@KEYID@", "sig": "11" * 64}]}
    INVALID, REFUSED = 3, 4
    not_usable = "not a usable signature file: "

    def sm(name, fn, code, error):
        d = copy.deepcopy(good)
        fn(d)
        write(f"sigfile/{name}.json", json.dumps(d, indent=1).replace('"@VERSION@"', "@VERSION@"))
        expect("sigfile", f"{name}.json", code, error)
    alice = "the signature by alice (key "
    sm("forged-signature", lambda d: None, REFUSED, "does not verify (the signature does not match the payload and key)")
    sm("signature-wrong-length", lambda d: d["signatures"][0].update(sig="11" * 10), REFUSED,
       "does not verify (an ed25519 signature must be 64 bytes)")
    sm("signature-not-hex", lambda d: d["signatures"][0].update(sig="zz" * 64), REFUSED, "does not verify (the signature is not hex)")
    sm("signature-empty", lambda d: d["signatures"][0].update(sig=""), REFUSED,
       "does not verify (an ed25519 signature must be 64 bytes)")
    sm("keyid-unknown", lambda d: d["signatures"][0].update(keyid="ab" * 32), REFUSED, "keyid abababab… may not sign root v1")
    sm("keyid-twice", lambda d: d["signatures"].append(copy.deepcopy(d["signatures"][0])), INVALID, "signs twice")
    sm("no-signatures", lambda d: d.update(signatures=[]), INVALID, not_usable + "it holds no signatures")
    sm("signatures-missing", lambda d: d.pop("signatures"), INVALID, not_usable + '"signatures" must be an array')
    sm("format-unknown", lambda d: d.update(format="tuf-ceremony-signature/9"), INVALID,
       not_usable + "its format is not tuf-ceremony-signature/1")
    sm("format-missing", lambda d: d.pop("format"), INVALID, not_usable + '"format" is missing or not a string')
    sm("role-path-like", lambda d: d.update(role="../root"), INVALID,
       not_usable + "role name \"../root\" is not acceptable: it contains '/'")
    sm("role-too-long", lambda d: d.update(role="a" * 201), INVALID, "it is 201 bytes long, more than the limit of 200 bytes")
    sm("role-not-in-ceremony", lambda d: d.update(role="claimed"), INVALID, "signs claimed, but no role claimed in this ceremony")
    # The digest and version of root, said to be targets'.
    sm("role-other-than-signed", lambda d: d.update(role="targets"), REFUSED, "signed targets v1 with payload ")
    sm("version-0", lambda d: d.update(version=0), INVALID, not_usable + '"version" must be a positive integer')
    sm("version-stale", lambda d: d.update(version=99), REFUSED, "signed root v99 with payload ")
    sm("version-string", lambda d: d.update(version="1"), INVALID, not_usable + '"version" must be a positive integer')
    sm("digest-short", lambda d: d.update(payload_sha256="abcd"), INVALID, not_usable + '"payload_sha256" must be 64 hex digits')
    sm("digest-other-payload", lambda d: d.update(payload_sha256="00" * 32), REFUSED,
       "signed root v1 with payload 00000000…, but the root here is v1 with payload ")
    sm("keyholder-newline", lambda d: d.update(keyholder="alice\nbob"), INVALID,
       not_usable + 'the keyholder name "alice\\nbob" is not usable')
    sm("keyholder-missing", lambda d: d.pop("keyholder"), INVALID, not_usable + '"keyholder" is missing or not a string')
    sm("device-string", lambda d: d.update(device="usb"), INVALID, not_usable + '"device" must be an object')
    for name, data, error in [
            ("not-json", "this is not a signature file\n", not_usable + "line 1, column 2: expected ident"),
            ("metadata-instead", json.dumps(to_dict(root_md(1, [A]))), not_usable + 'it is TUF metadata (it has "signed"), not a signature file'),
            ("duplicate-key", '{"format": "tuf-ceremony-signature/1", "format": "x"}',
             not_usable + 'line 1, column 47: $: the member "format" appears twice')]:
        write(f"sigfile/{name}.json", data)
        expect("sigfile", f"{name}.json", INVALID, error)


def age_encrypt(plaintext, passphrase, seed, log_n=10, armored=True):
    """An age v1 file to one scrypt (passphrase) recipient, as age-encryption.org/v1
    specifies it, with its randomness (file key, salt, nonce) drawn from `seed` so the
    corpus is the same on every run, and a low work factor so the test that opens a dozen
    of them stays fast (age and this tool accept any work factor up to their ceiling)."""
    import base64, hmac
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
    rand = hashlib.sha512(b"corpus age " + seed.encode()).digest()
    file_key, salt, nonce = rand[:16], rand[16:32], rand[32:48]
    b64 = lambda b: base64.b64encode(b).decode().rstrip("=")
    hkdf = lambda salt, info: HKDF(hashes.SHA256(), 32, salt, info).derive(file_key)
    wrap_key = Scrypt(b"age-encryption.org/v1/scrypt" + salt, 32, 2**log_n, 8, 1).derive(passphrase.encode())
    body = ChaCha20Poly1305(wrap_key).encrypt(b"\0" * 12, file_key, None)
    header = f"age-encryption.org/v1\n-> scrypt {b64(salt)} {log_n}\n{b64(body)}\n---".encode()
    mac = hmac.new(hkdf(b"", b"header"), header, "sha256").digest()
    out = header + f" {b64(mac)}\n".encode() + nonce
    aead = ChaCha20Poly1305(hkdf(nonce, b"payload"))
    chunks = [plaintext[i:i + 65536] for i in range(0, len(plaintext), 65536)] or [b""]
    for i, chunk in enumerate(chunks):
        last = b"\x01" if i == len(chunks) - 1 else b"\x00"
        out += aead.encrypt(i.to_bytes(11, "big") + last, chunk, None)
    import pyrage
    assert pyrage.passphrase.decrypt(out, passphrase) == plaintext
    if not armored:
        return out
    text = base64.b64encode(out).decode()
    lines = [text[i:i + 64] for i in range(0, len(text), 64)]
    return ("-----BEGIN AGE ENCRYPTED FILE-----\n" + "\n".join(lines) + "\n-----END AGE ENCRYPTED FILE-----\n").encode()


def keyfile_cases():
    import pyrage
    KEY, REFUSED = 5, 4  # a key file that fails; a key that may not sign

    def kf(name, data, code, error):
        write(f"keyfile/{name}.key", data)
        expect("keyfile", f"{name}.key", code, error.replace("FILE", f"{name}.key"))
    not_age = "FILE is not an age-encrypted key file (Header is invalid)"
    not_a_key = "FILE decrypts, but does not hold an ed25519, ECDSA P-256 or ECDSA P-384 PKCS#8 private key"
    not_alices = "is not one of the keys that may sign root v1. It may be signed by: alice"
    pem_ed = Ed25519PrivateKey.from_private_bytes(b"\x09" * 32).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    kf("empty", b"", KEY, "FILE is not an age-encrypted key file (the file is empty")
    kf("random-bytes", hashlib.sha512(b"corpus").digest() * 4, KEY, not_age)
    kf("plaintext-pem-from-another-tool", pem_ed, KEY, 'FILE is not an age-encrypted key file (it is a PEM file ("PRIVATE KEY") stored unencrypted')
    kf("openssl-encrypted-pem", Ed25519PrivateKey.from_private_bytes(b"\x09" * 32).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.BestAvailableEncryption(PASSPHRASE.encode())),
        KEY, 'FILE is not an age-encrypted key file (it is a PEM file ("ENCRYPTED PRIVATE KEY"), not an age file')
    kf("openssh-private-key", Ed25519PrivateKey.from_private_bytes(b"\x09" * 32).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, serialization.NoEncryption()), KEY, 'FILE is not an age-encrypted key file (it is a PEM file ("OPENSSH PRIVATE KEY") stored unencrypted')
    kf("tuf-public-key-json", json.dumps(A.public_key.to_dict()), KEY, not_age)

    kf("age-wrong-passphrase", age_encrypt(pem_ed, "another passphrase entirely", "wrong"), KEY, "the passphrase for FILE is wrong, or the file is damaged")
    kf("age-not-pem-inside", age_encrypt(b"hello, this is not a key\n", PASSPHRASE, "not-pem"), KEY, not_a_key)
    rsa_pem = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    kf("age-rsa-key-inside", age_encrypt(rsa_pem, PASSPHRASE, "rsa"), KEY, not_a_key)
    p384 = ec.derive_private_key(int.from_bytes(hashlib.sha384(b"corpus p384").digest(), "big"), ec.SECP384R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    # A key type key files may hold, but not the one root lists for alice.
    kf("age-p384-key-inside", age_encrypt(p384, PASSPHRASE, "p384"), REFUSED,
       "The key on this device is ecdsa-sha2-nistp384, but root lists only ed25519 keys")
    kf("age-unrelated-ed25519-key", age_encrypt(pem_ed, PASSPHRASE, "unrelated"), REFUSED, not_alices)
    # age's binary form is read as well as its armor (rage reads both): the key inside is
    # reached, and it is not alice's.
    kf("age-binary-unrelated-ed25519-key", age_encrypt(pem_ed, PASSPHRASE, "binary", armored=False), REFUSED, not_alices)
    good = age_encrypt(pem_ed, PASSPHRASE, "armor").decode()
    lines = good.splitlines()
    kf("age-armor-truncated", "\n".join(lines[:2]) + "\n", KEY, "FILE is not an age-encrypted key file (it is cut short")
    mid = len(lines) // 2
    lines_bad = list(lines)
    lines_bad[mid] = lines_bad[mid][:-4] + ("AAAA" if not lines_bad[mid].endswith("AAAA") else "BBBB")
    kf("age-armor-corrupted", "\n".join(lines_bad) + "\n", KEY, "the passphrase for FILE is wrong, or the file is damaged")
    kf("age-armor-not-base64", "\n".join([lines[0], "!!!! not base64 !!!!", lines[-1]]) + "\n", KEY,
       "FILE is not an age-encrypted key file (the armored text is damaged")
    x25519 = pyrage.x25519.Identity.generate()
    kf("age-x25519-recipient", pyrage.encrypt(pem_ed, [x25519.to_public()]), KEY,
       "FILE is encrypted to an age recipient, not with a passphrase")


def transcript_cases():
    def line(seq, prev, extra=None):
        d = {"event": "init", "prev": prev, "seq": seq, "time": "2026-01-01T00:00:00Z", "tool": "tuf-ceremony 0.1.0"}
        d.update(extra or {})
        return json.dumps(d, separators=(",", ":"), sort_keys=True)
    g = "0" * 64
    l1 = line(1, g)
    h1 = hashlib.sha256(l1.encode()).hexdigest()
    l2 = line(2, h1)
    prev_wrong = "its prev hash does not match the line before it"
    no_prev = "its prev hash is not the 64 zeros the first line starts from"
    cases = {
        "not-json": ("this is not a transcript\n", "line 1: not valid JSON (expected ident)"),
        "no-final-newline": (l1, "line 1: the last line is incomplete (no newline)"),
        "seq-starts-at-2": (line(2, g) + "\n", "line 1: its seq is 2, expected 1"),
        "seq-gap": (l1 + "\n" + line(3, h1) + "\n", "line 2: its seq is 3, expected 2"),
        "seq-repeated": (l1 + "\n" + line(1, h1) + "\n", "line 2: its seq is 1, expected 2"),
        "seq-string": (line("1", g) + "\n", "line 1: it has no integer seq, expected 1"),
        "prev-wrong": (l1 + "\n" + line(2, "ab" * 32) + "\n", "line 2: " + prev_wrong),
        "prev-missing": (l1 + "\n" + l2.replace(f'"prev":"{h1}",', "") + "\n", "line 2: " + prev_wrong),
        "first-prev-not-genesis": (line(1, "ab" * 32) + "\n", "line 1: " + no_prev),
        "reordered": (l2 + "\n" + l1 + "\n", "line 1: its seq is 2, expected 1"),
        "line-edited": (l1.replace("init", "edit") + "\n" + l2 + "\n", "line 2: " + prev_wrong),
        # A line's hash covers its bytes as written: a \r added by an editor breaks the chain.
        "crlf-line-endings": (l1 + "\r\n" + l2 + "\r\n", "line 2: " + prev_wrong),
        "blank-line": (l1 + "\n\n" + l2 + "\n", "line 2: the line is blank (each line is one JSON entry)"),
        "whitespace-line": (l1 + "\n \t\n" + l2 + "\n", "line 2: the line is blank (each line is one JSON entry)"),
        # What to do about a JSON file one was given is not said of a transcript line.
        "cut-line": (l1[:-1] + "\n" + l2 + "\n",
                     "line 1: not valid JSON ($: the text ends before the JSON document does). The transcript"),
        "array-line": ("[]\n", "line 1: not a JSON object"),
        "duplicate-key-line": (l1[:-1] + ',"seq":1}\n', 'line 1: not valid JSON ($: the member "seq" appears twice'),
        "nul-bytes": ("\x00" * 64 + "\n", "line 1: not valid JSON (expected value)"),
        # The chain is checked on past a line of 300 kB.
        "huge-line": (line(1, g, {"x": "a" * 300_000}) + "\n" + line(2, "00" * 32) + "\n", "line 2: " + prev_wrong),
        "not-utf8": (l1.encode().replace(b"init", b"in\xfft") + b"\n", "line 1: not valid JSON (the file is not valid UTF-8 here)"),
    }
    assert '"prev"' not in cases["prev-missing"][0].splitlines()[1]
    for name, (data, error) in cases.items():
        write(f"transcript/{name}.jsonl", data)
        expect("transcript", f"{name}.jsonl", 1, f"transcript.jsonl {error}")


def rotation_cases():
    def save(case, mds, error):
        for md in mds:
            write(f"rotation/{case}/{md.signed.version}.root.json", JSONSerializer(compact=False).serialize(md))
        expect("rotation", case, 4, f"not recorded as trusted: {error}")

    v1 = root_md(1, [A, B], threshold=2)
    v1.sign(A); v1.sign(B, append=True)
    # v2 signed only by new keys (C): the old threshold is not met.
    v2 = root_md(2, [C]); v2.sign(C)
    save("signed-by-new-keys-only", [v1, v2], "it has 0 of the 2 signatures the previous trusted root's keys need")
    # v2 signed only by the old keys (A, B), not by its own (C).
    v2o = root_md(2, [C]); v2o.sign(A); v2o.sign(B, append=True)
    save("signed-by-old-keys-only", [v1, v2o], "it has 0 of the 1 signatures its own root keys need")
    # Skipped version: v1 then v3.
    v3 = root_md(3, [A, B], threshold=2); v3.sign(A); v3.sign(B, append=True)
    save("skipped-version", [v1, v3], "root version 3 cannot follow trusted root version 1")
    # Old threshold only half met: v2 signed by A (needs 2 of A, B) and its own key.
    v2b = root_md(2, [A], threshold=1); v2b.sign(A)
    save("old-threshold-not-met", [v1, v2b], "it has 1 of the 2 signatures the previous trusted root's keys need")
    # v2 lists the same key under two keyids with threshold 2, signed by that one key twice
    # (and by B, so that the old threshold is met).
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
    save("same-key-two-keyids", [v1], "it has 1 of the 2 signatures its own root keys need; the signature by keyid eeeeeeee…: "
         "not counted: the same key already counted under keyid ")
    write("rotation/same-key-two-keyids/2.root.json", json.dumps(d, indent=1))
    # Rollback: trusted v2, then v1 again.
    v2d = root_md(2, [A, B], threshold=2); v2d.sign(A); v2d.sign(B, append=True)
    save("rollback", [v1, v2d], "root version 1 cannot follow trusted root version 2")
    shutil.copy(os.path.join(OUT, "rotation/rollback/1.root.json"), os.path.join(OUT, "rotation/rollback/3.root.json"))
    # A trusted root that does not meet its own threshold.
    lone = root_md(1, [A, B], threshold=2); lone.sign(A)
    save("first-root-below-threshold", [lone], "it has 1 of the 2 signatures its own root keys need")
    # Same version, different content.
    v2e = root_md(2, [A, B], threshold=2, expires=datetime(2032, 1, 1, tzinfo=timezone.utc)); v2e.sign(A); v2e.sign(B, append=True)
    save("same-version-different-content", [v1, v2d], "root version 2 cannot follow trusted root version 2")
    write("rotation/same-version-different-content/3.root.json", JSONSerializer(compact=False).serialize(v2e))


if __name__ == "__main__":
    if os.path.exists(OUT):
        shutil.rmtree(OUT)
    metadata_cases()
    sigfile_cases()
    keyfile_cases()
    transcript_cases()
    rotation_cases()
    write_manifests()
    n = sum(len(files) for _, _, files in os.walk(OUT))
    m = sum(len(cases) for cases in EXPECT.values())
    print(f"wrote {n} files under tests/corpus: {m} cases, each with its expected refusal")
