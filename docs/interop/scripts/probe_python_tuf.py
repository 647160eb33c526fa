"""Probe python-tuf 7.0.1 / securesystemslib 1.6.0 behaviour on odd signatures.
Run with a throwaway venv: /tmp/venv-rstuf/bin/python probe_python_tuf.py"""
import copy, json, hashlib
from datetime import datetime, timedelta, timezone
from cryptography.hazmat.primitives.asymmetric import ed25519, ec, rsa
from securesystemslib.signer import CryptoSigner, SSlibKey, Signature
from securesystemslib.formats import encode_canonical
from tuf.api.metadata import Metadata, Root
from tuf.ngclient._internal.trusted_metadata_set import TrustedMetadataSet
from tuf.ngclient.config import EnvelopeType
import tuf

print("tuf", tuf.__version__)
privs = [ed25519.Ed25519PrivateKey.generate(), ec.generate_private_key(ec.SECP256R1()),
         ec.generate_private_key(ec.SECP384R1()), rsa.generate_private_key(65537, 3072)]
signers = [CryptoSigner(p) for p in privs]
for s in signers:
    print("key", s.public_key.keytype, s.public_key.scheme, s.public_key.keyid[:12])

def mkroot(version=1, keys=signers, thr=2):
    r = Root(expires=datetime.now(timezone.utc) + timedelta(days=30), version=version)
    for s in keys:
        r.add_key(s.public_key, "root")
        for role in ("timestamp", "snapshot", "targets"):
            r.add_key(s.public_key, role)
    r.roles["root"].threshold = thr
    return Metadata(r)

def signed_dict(md, use):
    md.signatures.clear()
    for s in use:
        md.sign(s, append=True)
    return md.to_dict()

def check(label, d, trusted=None):
    try:
        md = Metadata.from_dict(copy.deepcopy(d))
    except Exception as e:
        print(f"{label}: from_dict -> {type(e).__name__}: {e}"); return
    try:
        res = md.signed.get_verification_result("root", md.signed_bytes, md.signatures)
        print(f"{label}: verified={res.verified} signed={len(res.signed)} unsigned={len(res.unsigned)}")
    except Exception as e:
        print(f"{label}: get_verification_result -> {type(e).__name__}: {e}")
    try:
        md.verify_delegate("root", md)
        print(f"{label}: verify_delegate OK")
    except Exception as e:
        print(f"{label}: verify_delegate -> {type(e).__name__}: {e}")
    raw = json.dumps(d).encode()
    try:
        TrustedMetadataSet(raw, EnvelopeType.METADATA)
        print(f"{label}: TrustedMetadataSet(root) OK")
    except Exception as e:
        print(f"{label}: TrustedMetadataSet -> {type(e).__name__}: {e}")

base = mkroot()
good = signed_dict(base, signers[:2])
check("baseline 2-of-4", good)

d = copy.deepcopy(good); d["signatures"].append({"keyid": signers[2].public_key.keyid, "sig": ""})
check("extra empty sig", d)

d = copy.deepcopy(good); d["signatures"].append({"keyid": signers[2].public_key.keyid, "sig": "00" * 64})
check("extra invalid-hex-valid sig", d)

d = copy.deepcopy(good); d["signatures"].append({"keyid": signers[2].public_key.keyid, "sig": "zz"})
check("extra non-hex sig", d)

d = copy.deepcopy(good); d["signatures"].append({"keyid": "ab" * 32, "sig": "00"})
check("extra sig from unknown keyid", d)

d = copy.deepcopy(good); d["signatures"].append(copy.deepcopy(d["signatures"][0]))
check("duplicate keyid in signatures", d)

d = copy.deepcopy(good); d["signatures"] = d["signatures"][:1]
check("below threshold", d)

# keyid not equal to hash of key: rename keyid everywhere, re-sign
md = mkroot(); r = md.signed
k = r.keys[signers[0].public_key.keyid]
# compute what the canonical keyid would be
canon = {"keytype": k.keytype, "scheme": k.scheme, "keyval": k.keyval}
print("spec keyid == sslib keyid:", hashlib.sha256(encode_canonical(canon).encode()).hexdigest() == k.keyid)
dd = md.to_dict()
old = signers[0].public_key.keyid; new = "f" * 64
s = dd["signed"]; s["keys"][new] = s["keys"].pop(old)
for role in s["roles"].values():
    role["keyids"] = [new if x == old else x for x in role["keyids"]]
md2 = Metadata.from_dict(copy.deepcopy(dd))
pk = md2.signed.keys[new]
sig0 = signers[0].sign(md2.signed_bytes); sig1 = signers[1].sign(md2.signed_bytes)
dd2 = md2.to_dict(); dd2["signatures"] = [{"keyid": new, "sig": sig0.signature}, sig1.to_dict()]
check("arbitrary keyid (not sha256 of key)", dd2)

# signing key with keyid mismatch: signer's keyid used in signature but key stored under other id
# root rotation v1->v2 with TrustedMetadataSet
v1 = mkroot(1, signers[:2], 2); v1d = signed_dict(v1, signers[:2])
v2 = mkroot(2, signers[2:], 2); v2d = signed_dict(v2, signers)  # signed by old+new
tms = TrustedMetadataSet(json.dumps(v1d).encode(), EnvelopeType.METADATA)
tms.update_root(json.dumps(v2d).encode()); print("rotation v1->v2 with old+new sigs: OK")
v2d_bad = signed_dict(mkroot(2, signers[2:], 2), signers[2:])
tms = TrustedMetadataSet(json.dumps(v1d).encode(), EnvelopeType.METADATA)
try:
    tms.update_root(json.dumps(v2d_bad).encode()); print("rotation without old sigs: OK?!")
except Exception as e:
    print("rotation without old sigs ->", type(e).__name__, e)
# unknown key type in root
d = copy.deepcopy(good); kid = list(d["signed"]["keys"])[0]
d["signed"]["keys"]["cd" * 32] = {"keytype": "sigstore-oidc", "scheme": "Fulcio", "keyval": {"identity": "a@b", "issuer": "x"}}
check("root containing unsupported keytype/scheme (unused)", d)

# same public key listed twice under two keyids (second copy differs only by an x- field)
md = mkroot(1, signers[:1], 1); r = md.signed
k2 = SSlibKey.from_dict("tmp", {**copy.deepcopy(signers[0].public_key.to_dict()), "x-dup": "1"})
kid2 = hashlib.sha256(encode_canonical(k2.to_dict()).encode()).hexdigest(); k2.keyid = kid2
r.add_key(k2, "root"); r.roles["root"].threshold = 2
sig = signers[0].sign(md.signed_bytes)
dd = md.to_dict(); dd["signatures"] = [{"keyid": signers[0].public_key.keyid, "sig": sig.signature}, {"keyid": kid2, "sig": sig.signature}]
check("one key listed twice (2 keyids), threshold 2, one real signer", dd)
