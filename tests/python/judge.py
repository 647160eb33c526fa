#!/usr/bin/env python3
"""python-tuf 7 judges what tuf-ceremony exports.

  judge.py online-keys DIR        make snapshot/timestamp keys: DIR/{role}.pub.json (TUF key
                                  JSON for tuf-ceremony) and DIR/{role}.pem (private, test only)
  judge.py verify REPO            verify REPO's root chain (1.root.json, 2.root.json, ...),
                                  targets.json against the last root, claimed.json against targets
  judge.py publish REPO KEYS      add snapshot + timestamp signed with the online keys in KEYS
  judge.py refresh REPO WORK ROOTV  an ngclient.Updater bootstrapped with REPO/1.root.json
                                  refreshes (reading files through a local fetcher, no network),
                                  must reach root version ROOTV, and looks a target up through claimed
  judge.py make-unsigned OUT      python-tuf writes unsigned root/targets/claimed for `load`
Prints one line per check; exits non-zero (with python-tuf's own exception) on any failure.
"""
import glob, json, os, sys
from datetime import datetime, timedelta, timezone
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from securesystemslib.signer import CryptoSigner
from tuf.api.metadata import Metadata, MetaFile, Snapshot, Timestamp, Root, Targets, DelegatedRole, Delegations, TargetFile
from tuf.api.serialization.json import JSONSerializer
from tuf.api.exceptions import DownloadHTTPError
from tuf.ngclient import Updater, FetcherInterface


def online_keys(d):
    os.makedirs(d, exist_ok=True)
    for role in ("snapshot", "timestamp", "recently-claimed"):
        priv = Ed25519PrivateKey.generate()
        with open(os.path.join(d, f"{role}.pem"), "wb") as f:
            f.write(priv.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        key = CryptoSigner(priv).public_key.to_dict()
        with open(os.path.join(d, f"{role}.pub.json"), "w") as f:
            json.dump(key, f)


def signer(keys, role):
    with open(os.path.join(keys, f"{role}.pem"), "rb") as f:
        return CryptoSigner(serialization.load_pem_private_key(f.read(), None))


def roots(repo):
    files = sorted(glob.glob(os.path.join(repo, "*.root.json")), key=lambda p: int(os.path.basename(p).split(".")[0]))
    return [Metadata[Root].from_file(p) for p in files]


def check_each_signature(md, keys, what):
    """python-tuf checks every signature on its own, so one bad signature cannot hide
    behind a threshold met by others."""
    n = 0
    for keyid, sig in md.signatures.items():
        if keyid in keys:
            keys[keyid].verify_signature(sig, md.signed_bytes)
            n += 1
    print(f"{what}: python-tuf verified each of its {n} signature(s) on its own")


def verify(repo):
    chain = roots(repo)
    for r in chain:
        check_each_signature(r, r.signed.keys, f"root v{r.signed.version}")
    trusted = chain[0]
    trusted.verify_delegate("root", trusted)
    print(f"root v{trusted.signed.version}: self-signed threshold met")
    for new in chain[1:]:
        trusted.verify_delegate("root", new)
        new.verify_delegate("root", new)
        assert new.signed.version == trusted.signed.version + 1
        print(f"root v{trusted.signed.version} -> v{new.signed.version}: old and new thresholds met")
        trusted = new
    targets = Metadata[Targets].from_file(os.path.join(repo, "targets.json"))
    trusted.verify_delegate("targets", targets)
    check_each_signature(targets, trusted.signed.keys, "targets")
    print(f"targets v{targets.signed.version}: verified by root v{trusted.signed.version}")
    claimed_path = os.path.join(repo, "claimed.json")
    if os.path.exists(claimed_path):
        claimed = Metadata[Targets].from_file(claimed_path)
        targets.verify_delegate("claimed", claimed)
        print(f"claimed v{claimed.signed.version}: verified by targets v{targets.signed.version}")


def publish(repo, keys):
    """Snapshot and timestamp over every role file in the repo (targets, claimed, and any
    other delegated role such as recently-claimed or a project's role)."""
    meta = {}
    for path in glob.glob(os.path.join(repo, "*.json")):
        name = os.path.basename(path)
        role = name[:-5]
        if role in ("root", "timestamp") or role.split(".")[0].isdigit() or role.endswith("snapshot"):
            continue
        meta[name] = MetaFile(Metadata[Targets].from_file(path).signed.version)
    expires = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=7)
    old = glob.glob(os.path.join(repo, "*.snapshot.json"))
    version = 1 + max([int(os.path.basename(p).split(".")[0]) for p in old] or [0])
    snap = Metadata(Snapshot(version=version, expires=expires, meta=meta))
    snap.sign(signer(keys, "snapshot"))
    snap.to_file(os.path.join(repo, f"{version}.snapshot.json"), JSONSerializer(compact=False))
    ts = Metadata(Timestamp(version=version, expires=expires, snapshot_meta=MetaFile(version)))
    ts.sign(signer(keys, "timestamp"))
    ts.to_file(os.path.join(repo, "timestamp.json"), JSONSerializer(compact=False))
    print(f"published snapshot and timestamp v{version} over {', '.join(sorted(meta))}")


class LocalFetcher(FetcherInterface):
    """Serves http://repo.test/metadata/NAME from a folder: no network."""

    def __init__(self, repo):
        self.repo = repo

    def _fetch(self, url):
        name = url.rsplit("/", 1)[-1]
        path = os.path.join(self.repo, name)
        if not os.path.exists(path):
            raise DownloadHTTPError(f"{name} not found", 404)
        with open(path, "rb") as f:
            return iter([f.read()])


def refresh(repo, work, root_version):
    md_dir = os.path.join(work, "client-metadata")
    os.makedirs(md_dir, exist_ok=True)
    with open(os.path.join(repo, "1.root.json"), "rb") as f:
        bootstrap = f.read()
    updater = Updater(md_dir, "http://repo.test/metadata/", os.path.join(work, "client-targets"), "http://repo.test/targets/", LocalFetcher(repo), bootstrap=bootstrap)
    updater.refresh()
    got = updater._trusted_set.root.version
    assert got == int(root_version), f"client ended at root v{got}, expected v{root_version}"
    print(f"ngclient.Updater refreshed to root v{got}, targets v{updater._trusted_set.targets.version}")
    info = updater.get_targetinfo("pkg/example-1.0.tar.gz")
    assert "claimed" in updater._trusted_set, "the updater did not load claimed while searching"
    print(f"looked up pkg/example-1.0.tar.gz through claimed v{updater._trusted_set['claimed'].version}: {'found' if info else 'not listed'}")
    if info:
        print(f"target length {info.length}")


def make_unsigned(out, pubs):
    """An unsigned root v1 + targets delegating to claimed, made by python-tuf from
    tuf-ceremony public key files, to test `load`."""
    from tuf.api.metadata import Key
    os.makedirs(out, exist_ok=True)
    expires = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=200)
    keys = []
    for p in pubs.split(","):
        with open(p) as f:
            d = json.load(f)
        from securesystemslib.signer import SSlibKey
        keys.append(SSlibKey.from_dict(_keyid(d), dict(d)))
    root = Root(version=1, expires=expires, consistent_snapshot=True)
    for k in keys[:3]:
        root.add_key(k, "root")
        root.add_key(k, "targets")
    root.add_key(keys[3], "snapshot")
    root.add_key(keys[4], "timestamp")
    root.roles["root"].threshold = 2
    root.roles["targets"].threshold = 1
    targets = Targets(version=1, expires=expires)
    targets.delegations = Delegations({}, roles={"claimed": DelegatedRole("claimed", [], 1, False, paths=["pkg/*"])})
    targets.add_key(keys[0], "claimed")
    targets.unrecognized_fields["x-rstuf-note"] = {"made-by": "python-tuf", "ünï": "\u0001"}
    claimed = Targets(version=1, expires=expires)
    claimed.targets["pkg/example-1.0.tar.gz"] = TargetFile(12, {"sha256": "cd" * 32}, "pkg/example-1.0.tar.gz")
    for name, signed in (("root", root), ("targets", targets), ("claimed", claimed)):
        md = Metadata(signed)
        md.to_file(os.path.join(out, f"{name}.json"), JSONSerializer(compact=False))
        with open(os.path.join(out, f"{name}.digest"), "w") as f:
            import hashlib
            f.write(hashlib.sha256(md.signed_bytes).hexdigest())
    print("wrote unsigned root, targets, claimed")


def open_keyfile(keyfile, passfile, pubfile):
    """rage (through pyrage) opens a tuf-ceremony key file with its passphrase, and the PEM
    inside is a key python's cryptography reads, matching the public key file."""
    import pyrage
    with open(passfile) as f:
        passphrase = f.readline().rstrip("\n")
    with open(keyfile, "rb") as f:
        armored = f.read()
    try:
        pyrage.passphrase.decrypt(armored, "not " + passphrase)
        raise SystemExit("a wrong passphrase opened the key file")
    except pyrage.DecryptError:
        pass
    plaintext = pyrage.passphrase.decrypt(armored, passphrase).decode()
    priv = serialization.load_pem_private_key(plaintext[plaintext.index("-----BEGIN"):].encode(), None)
    with open(pubfile) as f:
        expected = json.load(f)
    got = CryptoSigner(priv).public_key.to_dict()
    assert got["keyval"]["public"].strip() == expected["keyval"]["public"].strip(), (got, expected)
    assert got["scheme"] == expected["scheme"], (got, expected)
    print(f"rage opened {keyfile}: {expected['scheme']} key matches {pubfile}")


def _keyid(d):
    import hashlib
    from securesystemslib.formats import encode_canonical
    return hashlib.sha256(encode_canonical({"keytype": d["keytype"], "scheme": d["scheme"], "keyval": d["keyval"]}).encode()).hexdigest()


def ecdsa_pubs(out, *names):
    """Writes NAME.pub.json ECDSA P-256 public keys, made the way python-tuf makes keys."""
    from cryptography.hazmat.primitives.asymmetric import ec
    from securesystemslib.signer import SSlibKey
    os.makedirs(out, exist_ok=True)
    for name in names:
        key = SSlibKey.from_crypto(ec.generate_private_key(ec.SECP256R1()).public_key())
        with open(os.path.join(out, f"{name}.pub.json"), "w") as f:
            json.dump(key.to_dict(), f, indent=1)


def _dev(d, name):
    path = os.path.join(d, f"{name}.pem")
    if not os.path.exists(path):
        priv = Ed25519PrivateKey.generate()
        with open(path, "wb") as f:
            f.write(priv.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        with open(os.path.join(d, f"{name}.pub.json"), "w") as f:
            json.dump(CryptoSigner(priv).public_key.to_dict(), f)
    with open(path, "rb") as f:
        return CryptoSigner(serialization.load_pem_private_key(f.read(), None))


def _write(md, path):
    md.to_file(path, JSONSerializer(compact=False))


def make_recently_claimed(keys, out, *projects):
    """The online side of PEP 480: recently-claimed v1, signed by the repository's online
    key, delegating each PROJECT (NAME:DEV[+DEV…]:THRESHOLD) to developer keys made here
    (keys/DEV.pem), and each project's own metadata v1 (one target file NAME/NAME-1.0.tar.gz)
    signed by its developers, written as OUT/1.NAME.json."""
    from tuf.api.metadata import Key
    os.makedirs(out, exist_ok=True)
    expires = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=30)
    rc = Targets(version=1, expires=expires)
    rc.delegations = Delegations({}, roles={})
    for spec in projects:
        name, devs, threshold = spec.split(":")
        signers = [_dev(keys, d) for d in devs.split("+")]
        role = DelegatedRole(name, [], int(threshold), True, paths=[f"{name}/*"])
        rc.delegations.roles[name] = role
        for sg in signers:
            rc.add_key(sg.public_key, name)
        proj = Targets(version=1, expires=expires)
        data = f"{name} 1.0".encode()
        proj.targets[f"{name}/{name}-1.0.tar.gz"] = TargetFile.from_data(f"{name}/{name}-1.0.tar.gz", data)
        md = Metadata(proj)
        for sg in signers:
            md.sign(sg, append=True)
        _write(md, os.path.join(out, f"1.{name}.json"))
        _write(md, os.path.join(out, f"{name}.json"))
    md = Metadata(rc)
    md.sign(signer(keys, "recently-claimed"))
    _write(md, os.path.join(out, "recently-claimed.json"))
    print(f"recently-claimed v1 delegates {', '.join(rc.delegations.roles)}")


def sign_online(keys, role, path, out):
    """The online side signs the unsigned metadata tuf-ceremony wrote for it."""
    md = Metadata[Targets].from_file(path)
    md.sign(signer(keys, role))
    v = md.signed.version
    _write(md, os.path.join(out, f"{v}.{role}.json"))
    _write(md, os.path.join(out, f"{role}.json"))
    print(f"{role} v{v} signed online")


def lookup(repo, work, target, *expect_roles):
    """A real Updater, bootstrapped from 1.root.json, finds TARGET; the roles it loaded
    include each of EXPECT_ROLES (e.g. claimed and the project's role)."""
    md_dir = os.path.join(work, "lookup-metadata")
    os.makedirs(md_dir, exist_ok=True)
    with open(os.path.join(repo, "1.root.json"), "rb") as f:
        bootstrap = f.read()
    updater = Updater(md_dir, "http://repo.test/metadata/", os.path.join(work, "lookup-targets"), "http://repo.test/targets/", LocalFetcher(repo), bootstrap=bootstrap)
    updater.refresh()
    info = updater.get_targetinfo(target)
    assert info is not None, f"{target} not found"
    candidates = list(dict.fromkeys(("claimed", "recently-claimed", *expect_roles)))
    loaded = [r for r in candidates if r in updater._trusted_set]
    for r in expect_roles:
        assert r in updater._trusted_set, f"the updater did not load {r}; loaded {loaded}"
    print(f"found {target} ({info.length} bytes) through {' -> '.join(['targets'] + loaded)}")


def secret_forms(keyfile, passfile, out):
    """Writes to OUT every form the secret in KEYFILE could leak in: the raw private key
    bytes, their hex, the PEM's base64 body lines, and the passphrase (one per line, hex
    encoded so binary forms survive). Only for tests that search for leaks."""
    import base64, pyrage
    with open(passfile) as f:
        passphrase = f.readline().rstrip("\n")
    with open(keyfile, "rb") as f:
        plaintext = pyrage.passphrase.decrypt(f.read(), passphrase).decode()
    pem = plaintext[plaintext.index("-----BEGIN"):]
    priv = serialization.load_pem_private_key(pem.encode(), None)
    try:
        raw = priv.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    except ValueError:
        raw = priv.private_numbers().private_value.to_bytes(32, "big")
    forms = [raw, raw.hex().encode(), base64.b64encode(raw), passphrase.encode()]
    body = [l for l in pem.splitlines() if l and not l.startswith("-----")]
    forms += [l.encode() for l in body if len(l) >= 16]
    with open(out, "w") as f:
        for form in forms:
            f.write(form.hex() + "\n")
    print(f"{len(forms)} secret forms")


def padded_root(out, pub, pad):
    """An unsigned root v1 with every role held by PUB and PAD bytes of an unknown field:
    a root that takes several disk pages (for the disk-full test)."""
    from securesystemslib.signer import SSlibKey
    with open(pub) as f:
        d = json.load(f)
    key = SSlibKey.from_dict(_keyid(d), dict(d))
    root = Root(version=1, expires=datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=200))
    for role in ("root", "targets", "snapshot", "timestamp"):
        root.add_key(key, role)
    root.unrecognized_fields["x-padding"] = "p" * int(pad)
    Metadata(root).to_file(out, JSONSerializer(compact=False))


if __name__ == "__main__":
    cmd, *args = sys.argv[1:]
    {"online-keys": online_keys, "verify": verify, "publish": publish, "refresh": refresh, "make-unsigned": make_unsigned, "open-keyfile": open_keyfile, "ecdsa-pubs": ecdsa_pubs, "make-recently-claimed": make_recently_claimed, "sign-online": sign_online, "lookup": lookup, "secret-forms": secret_forms, "padded-root": padded_root}[cmd](*args)
