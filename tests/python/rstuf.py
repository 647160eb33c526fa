#!/usr/bin/env python3
"""RSTUF's own code (repository-service-tuf 1.0.0b1, its CLI package) on the other side of
tuf-ceremony: its admin commands run offline, as its own tests run them (click's CliRunner,
the interactive helpers fed from lists), and its dataclasses and helpers read what
tuf-ceremony writes. python-tuf 7 is the judge of every signature and threshold.

  rstuf.py keys DIR                 RSTUF-side keys: carol (a root keyholder) and the online
                                    key, DIR/NAME.pub.pem and DIR/NAME.pem (encrypted,
                                    password "hunter2", as RSTUF's test keys are)
  rstuf.py pem PUB.json OUT.pem     a tuf-ceremony ECDSA public key as the PEM RSTUF reads
  rstuf.py unlock KEYFILE PASSFILE OUT.pem
                                    a tuf-ceremony key file opened (rage) and written as an
                                    encrypted PEM RSTUF's CLI signs with (test keys only)
  rstuf.py ceremony KEYS HOLDER.pub.pem OUT
                                    `rstuf admin ceremony --dry-run --out OUT`: root 2-of-2
                                    (HOLDER "alice" and carol), bins, the online key; carol signs
  rstuf.py update KEYS ROOT.json NEW.pub.pem OUT
                                    `rstuf admin metadata update --dry-run --in ROOT.json`:
                                    carol removed, NEW ("dave") added; carol signs
  rstuf.py pending PAYLOAD OUT [TRUSTED]
                                    the GET /api/v1/metadata/sign response RSTUF serves for
                                    the root in PAYLOAD (with trusted_root when TRUSTED is given)
  rstuf.py sign PENDING KEYNAME PRIV.pem OUT
                                    `rstuf admin metadata sign --dry-run --in PENDING --out OUT`
  rstuf.py check-bootstrap SIGNED ORIGINAL
  rstuf.py check-update SIGNED TRUSTED_ROOT [ORIGINAL]
  rstuf.py check-sign PENDING SIGN_PAYLOAD KEYNAME
                                    what RSTUF would do with a payload tuf-ceremony wrote
  rstuf.py refresh REPO KEYS ROOTV  the online key signs targets/snapshot/timestamp; an
                                    ngclient.Updater from REPO/1.root.json reaches root vROOTV
Prints one line per check; exits non-zero on any failure.
"""
import copy, json, os, sys, tempfile
from dataclasses import asdict
from datetime import datetime, timedelta, timezone

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from securesystemslib.signer import CryptoSigner, SSlibKey
from tuf.api.metadata import Metadata, MetaFile, Root, Snapshot, Targets, Timestamp
from tuf.api.serialization.json import JSONSerializer

import repository_service_tuf.cli.admin.helpers as H
from repository_service_tuf.cli.admin import ceremony as C
from repository_service_tuf.cli.admin.metadata import sign as S, update as U

PASSWORD = b"hunter2"


def _write_pem_pair(d, name, priv):
    with open(os.path.join(d, f"{name}.pem"), "wb") as f:
        f.write(priv.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                   serialization.BestAvailableEncryption(PASSWORD)))
    with open(os.path.join(d, f"{name}.pub.pem"), "wb") as f:
        f.write(priv.public_key().public_bytes(serialization.Encoding.PEM,
                                               serialization.PublicFormat.SubjectPublicKeyInfo))


def keys(d):
    os.makedirs(d, exist_ok=True)
    for name in ("carol", "online"):
        _write_pem_pair(d, name, ec.generate_private_key(ec.SECP256R1()))
    print(f"wrote carol and online keys into {d}")


def pem(pub_json, out):
    with open(pub_json) as f:
        key = json.load(f)
    assert key["scheme"] == "ecdsa-sha2-nistp256", key["scheme"]
    with open(out, "w") as f:
        f.write(key["keyval"]["public"])
    print(f"wrote {out}")


def unlock(keyfile, passfile, out):
    import pyrage
    with open(passfile) as f:
        passphrase = f.readline().rstrip("\n")
    with open(keyfile, "rb") as f:
        text = pyrage.passphrase.decrypt(f.read(), passphrase).decode()
    priv = serialization.load_pem_private_key(text[text.index("-----BEGIN"):].encode(), None)
    with open(out, "wb") as f:
        f.write(priv.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                   serialization.BestAvailableEncryption(PASSWORD)))
    print(f"wrote {out}")


# Driving RSTUF's commands offline, as its tests/conftest.py does.
def _ctx():
    from dynaconf import Dynaconf
    s = Dynaconf(settings_files=[os.path.join(tempfile.mkdtemp(), "none.yml")])
    s.HEADERS = None
    return {"settings": s, "config": "none"}


def _seq(items):
    it = iter(items)
    return lambda *a, **k: next(it)


class _Click:  # the password prompt for encrypted PEMs (click.prompt, hide_input)
    prompt = staticmethod(lambda *a, **k: PASSWORD.decode())
    style = staticmethod(lambda *a, **k: "")


def _run(cmd, args, inputs, selects, pubs, privs):
    from click.testing import CliRunner
    H._select = _seq(selects)
    H._prompt_public_key = _seq(pubs)
    H._prompt_private_key = _seq(privs)
    H.click = _Click
    r = CliRunner().invoke(cmd, args=args, input="\n".join(inputs), obj=_ctx(), catch_exceptions=False)
    assert r.exit_code == 0, r.output[-2000:]
    return r


def ceremony(k, holder_pub, out):
    _run(C.ceremony, ["--dry-run", "--out", out],
         ["", "", "", "", "4", "", "2", "alice", "carol", "online"],
         ["Bins (online key only)", "Key PEM File", "add", "Key PEM File", "continue",
          "Key PEM File", "carol", "Key PEM File", "continue"],
         [holder_pub, os.path.join(k, "carol.pub.pem"), os.path.join(k, "online.pub.pem")],
         [os.path.join(k, "carol.pem")])
    with open(out) as f:
        payload = json.load(f)
    md = Metadata.from_dict(copy.deepcopy(payload["metadata"]["root"]))
    print(f"rstuf admin ceremony wrote root v{md.signed.version} with {len(md.signatures)} signature(s) into {out}")


def update(k, root_path, new_pub, out):
    _run(U.update, ["--dry-run", "--in", root_path, "--out", out],
         ["n", "n", "dave", "n"],
         ["remove", "carol", "add", "Key PEM File", "continue", "carol", "Key PEM File", "continue"],
         [new_pub], [os.path.join(k, "carol.pem")])
    with open(out) as f:
        payload = json.load(f)
    assert set(payload) == {"metadata"}, payload.keys()
    md = Metadata.from_dict(copy.deepcopy(payload["metadata"]["root"]))
    print(f"rstuf admin metadata update wrote root v{md.signed.version} with {len(md.signatures)} signature(s) into {out}")


def pending(payload_path, out, trusted=None):
    with open(payload_path) as f:
        root = json.load(f)["metadata"]["root"]
    roles = {"root": root}
    if trusted:
        with open(trusted) as f:
            roles["trusted_root"] = json.load(f)
    resp = {"data": {"metadata": roles}, "message": "Metadata role(s) pending signing"}
    H._parse_pending_data(resp)  # what `rstuf admin metadata sign --in` accepts
    with open(out, "w") as f:
        json.dump(resp, f, indent=2)
    print(f"wrote the pending-signatures response {out}")


def sign(pending_path, keyname, priv, out):
    _run(S.sign, ["--dry-run", "--in", pending_path, "--out", out], [],
         ["root", keyname, "Key PEM File"], [], [priv])
    with open(out) as f:
        print(f"rstuf admin metadata sign wrote {json.load(f)}"[:120])


def _worker_accepts_bootstrap(md):
    """RSTUF's worker bootstrap(): at least one signature, and every one verifies by a key
    of root's root role over the canonical signed bytes (_validate_signature)."""
    assert md.signatures, "Metadata requires at least one valid signature"
    role = md.signed.roles["root"]
    for keyid, sig in md.signatures.items():
        assert keyid in role.keyids, f"{keyid} is not a root key"
        md.signed.keys[keyid].verify_signature(sig, md.signed_bytes)
    print(f"every one of the {len(md.signatures)} signature(s) verifies, as RSTUF's bootstrap requires")


def check_bootstrap(signed_path, original_path):
    with open(signed_path) as f:
        signed = json.load(f)
    with open(original_path) as f:
        original = json.load(f)
    # RSTUF's CLI dataclasses rebuild exactly what was written.
    roles = signed["settings"]["roles"]
    rebuilt = H.CeremonyPayload(
        settings=H.Settings(H.Roles(
            root=H.Role(**roles["root"]), timestamp=H.Role(**roles["timestamp"]),
            snapshot=H.Role(**roles["snapshot"]), targets=H.Role(**roles["targets"]),
            bins=H.BinsRole(**roles["bins"]) if roles["bins"] else None,
            delegations=roles["delegations"])),
        metadata=H.Metadatas(signed["metadata"]["root"]), timeout=signed["timeout"])
    assert asdict(rebuilt) == signed, "not the shape of RSTUF's CeremonyPayload"
    assert signed["settings"] == original["settings"] and signed["timeout"] == original["timeout"]
    print("settings and timeout are kept as read; RSTUF's CeremonyPayload rebuilds the file")
    md = Metadata.from_dict(copy.deepcopy(signed["metadata"]["root"]))
    before = Metadata.from_dict(copy.deepcopy(original["metadata"]["root"]))
    assert md.signed_bytes == before.signed_bytes, "the signed bytes changed"
    _worker_accepts_bootstrap(md)
    result = md.signed.get_root_verification_result(None, md.signed_bytes, md.signatures)
    assert result.verified, result
    print(f"root v{md.signed.version}: python-tuf verifies {len(result.signed)} of threshold {md.signed.roles['root'].threshold}")


def check_update(signed_path, trusted_path, original_path=None):
    with open(signed_path) as f:
        signed = json.load(f)
    rebuilt = H.UpdatePayload(H.Metadatas(signed["metadata"]["root"]))
    assert asdict(rebuilt) == signed, "not the shape of RSTUF's UpdatePayload"
    if original_path:
        with open(original_path) as f:
            original = json.load(f)
        assert Metadata.from_dict(copy.deepcopy(original["metadata"]["root"])).signed_bytes == \
            Metadata.from_dict(copy.deepcopy(signed["metadata"]["root"])).signed_bytes
    trusted = Metadata[Root].from_file(trusted_path)
    md = Metadata.from_dict(copy.deepcopy(signed["metadata"]["root"]))
    assert md.signed.version == trusted.signed.version + 1
    result = md.signed.get_root_verification_result(trusted.signed, md.signed_bytes, md.signatures)
    assert result.verified, result
    trusted.verify_delegate("root", md)
    md.verify_delegate("root", md)
    print(f"root v{trusted.signed.version} -> v{md.signed.version}: RSTUF's UpdatePayload; python-tuf verifies the old and new thresholds")


def check_sign(pending_path, sign_path, keyname):
    with open(pending_path) as f:
        resp = json.load(f)
    with open(sign_path) as f:
        payload = json.load(f)
    assert asdict(H.SignPayload(**payload)) == payload, "not the shape of RSTUF's SignPayload"
    assert payload["role"] == "root"
    roles = H._parse_pending_data(resp)
    md = Metadata.from_dict(copy.deepcopy(roles["root"]))
    keyid = payload["signature"]["keyid"]
    key = md.signed.keys[keyid]
    assert key.unrecognized_fields.get(H.KEY_NAME_FIELD) == keyname, key.unrecognized_fields
    from securesystemslib.signer import Signature
    sig = Signature.from_dict(dict(payload["signature"]))
    key.verify_signature(sig, md.signed_bytes)
    md.signatures[keyid] = sig  # what RSTUF's worker sign_metadata() does with it
    result = md.signed.get_root_verification_result(None, md.signed_bytes, md.signatures)
    assert result.verified, result
    print(f"{keyname}'s signature verifies over the pending root v{md.signed.version}; with it the root is fully signed")


def refresh(repo, k, root_version):
    with open(os.path.join(k, "online.pem"), "rb") as f:
        online = CryptoSigner(serialization.load_pem_private_key(f.read(), PASSWORD))
    roots = sorted((int(n.split(".")[0]) for n in os.listdir(repo) if n.endswith(".root.json") and n[0].isdigit()))
    last = Metadata[Root].from_file(os.path.join(repo, f"{roots[-1]}.root.json"))
    for role in ("targets", "snapshot", "timestamp"):
        assert online.public_key.keyid in last.signed.roles[role].keyids, f"the online key does not sign {role}"
    expires = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=7)
    v = root_version
    for md, name in ((Metadata(Targets(version=v, expires=expires)), f"{v}.targets.json"),
                     (Metadata(Snapshot(version=v, expires=expires, meta={"targets.json": MetaFile(v)})), f"{v}.snapshot.json"),
                     (Metadata(Timestamp(version=v, expires=expires, snapshot_meta=MetaFile(v))), "timestamp.json")):
        md.sign(online)
        md.to_file(os.path.join(repo, name), JSONSerializer(compact=False))
    print(f"the online key signed targets, snapshot and timestamp v{v}, as RSTUF does")
    from judge import LocalFetcher
    from tuf.ngclient import Updater
    work = tempfile.mkdtemp()
    with open(os.path.join(repo, "1.root.json"), "rb") as f:
        bootstrap = f.read()
    updater = Updater(os.path.join(work, "md"), "http://repo.test/metadata/", os.path.join(work, "t"),
                      "http://repo.test/targets/", LocalFetcher(repo), bootstrap=bootstrap)
    updater.refresh()
    got = updater._trusted_set.root.version
    assert got == root_version, f"client ended at root v{got}, expected v{root_version}"
    print(f"ngclient.Updater refreshed to root v{got}, targets v{updater._trusted_set.targets.version}")


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    cmd, args = sys.argv[1], sys.argv[2:]
    {
        "keys": keys, "pem": pem, "unlock": unlock, "ceremony": ceremony, "update": update,
        "pending": pending, "sign": sign, "check-bootstrap": check_bootstrap,
        "check-update": check_update, "check-sign": check_sign,
        "refresh": lambda repo, k, v: refresh(repo, k, int(v)),
    }[cmd](*args)
