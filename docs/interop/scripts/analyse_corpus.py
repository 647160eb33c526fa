"""Annotate corpus root files: key types/schemes, keyid == sha256(canonical key) ?, self threshold,
chain N->N+1 (python-tuf 7 TrustedMetadataSet-equivalent check, ignoring expiry)."""
import json, hashlib, os, re, sys, collections
from securesystemslib.formats import encode_canonical
from tuf.api.metadata import Metadata, Root
OUT = "/work/notes/research/corpus"
man = json.load(open(os.path.join(OUT, "manifest.json")))
res = {}
def keyid_ok(kid, k):
    full = hashlib.sha256(encode_canonical(k).encode()).hexdigest()
    core = hashlib.sha256(encode_canonical({x: k[x] for x in ("keytype", "scheme", "keyval") if x in k}).encode()).hexdigest()
    return "full" if full == kid else ("core-only" if core == kid else "MISMATCH")
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from cryptography.hazmat.primitives.asymmetric import ec, rsa
TOUGH = {("rsa","rsassa-pss-sha256"),("ed25519","ed25519"),("ecdsa","ecdsa-sha2-nistp256"),("ecdsa-sha2-nistp256","ecdsa-sha2-nistp256")}
def tough_keys_ok(s):
    """Emulate tough 0.19 schema/de.rs + key.rs: (keytype,scheme) allow-list, PEM/hex decodability,
    P-256 only for ECDSA PEM, keyid == sha256(OLPC canonical JSON of the WHOLE key object incl. extra fields)."""
    probs = []
    for kid, k in s["keys"].items():
        if (k.get("keytype"), k.get("scheme")) not in TOUGH:
            probs.append(f"unsupported {k.get('keytype')}/{k.get('scheme')}"); continue
        pub = k["keyval"].get("public", "")
        if k["keytype"] != "ed25519" and pub.startswith("-----BEGIN"):
            try:
                key = load_pem_public_key(pub.encode())
                if k["keytype"] == "rsa" and not isinstance(key, rsa.RSAPublicKey): probs.append("rsa pem not rsa")
                if k["keytype"] != "rsa" and not (isinstance(key, ec.EllipticCurvePublicKey) and key.curve.name == "secp256r1"): probs.append("ecdsa pem not P-256")
            except Exception as e: probs.append("pem decode")
        if keyid_ok(kid, k) != "full": probs.append(f"keyid {kid[:8]} != sha256(whole key)")
    return "OK" if not probs else "; ".join(sorted(set(probs)))
for m in man:
    f = m["file"]
    if not f: continue
    raw = open(os.path.join(OUT, f), "rb").read()
    try: d = json.loads(raw)
    except Exception as e: res[f] = {"json": str(e)}; continue
    if "metadata" in d and "root" in d.get("metadata", {}): d = d["metadata"]["root"]
    elif "data" in d: d = d["data"]["metadata"]["root"]
    if d.get("signed", {}).get("_type") != "root": continue
    s = d["signed"]; info = {"version": s.get("version"), "spec_version": s.get("spec_version")}
    info["keys"] = collections.Counter(f'{k.get("keytype")}/{k.get("scheme")}' for k in s["keys"].values())
    info["keyid"] = collections.Counter(keyid_ok(kid, k) for kid, k in s["keys"].items())
    info["extra_key_fields"] = sorted({x for k in s["keys"].values() for x in k if x not in ("keytype", "scheme", "keyval")})
    info["extra_signed_fields"] = sorted(x for x in s if x not in ("_type","spec_version","version","expires","keys","roles","consistent_snapshot"))
    info["sigs"] = len(d["signatures"]); info["empty_sigs"] = sum(1 for x in d["signatures"] if x.get("sig") == "")
    # duplicate JSON object keys anywhere (python json silently keeps the last one)
    dups = []
    def hook(pairs):
        seen = set()
        for k, _ in pairs:
            if k in seen: dups.append(k)
            seen.add(k)
        return dict(pairs)
    json.loads(raw, object_pairs_hook=hook)
    info["dup_json_keys"] = [x[:16] for x in dups]
    info["tough_emulated"] = tough_keys_ok(s)
    info["root_threshold"] = f'{s["roles"]["root"]["threshold"]}-of-{len(s["roles"]["root"]["keyids"])}'
    try:
        md = Metadata[Root].from_bytes(raw) if "signed" in json.loads(raw) else Metadata[Root].from_dict(d)
        r = md.signed.get_verification_result("root", md.signed_bytes, md.signatures)
        info["self"] = f"{len(r.signed)}/{r.threshold} {'OK' if r.verified else 'UNDER'}"
    except Exception as e:
        c = e.__cause__ or e; info["self"] = f"python-tuf rejects: {type(c).__name__}: {c}"[:160]
    res[f] = info
# chains: N.root.json in same dir
chains = {}
bydir = collections.defaultdict(dict)
for f in res:
    mm = re.match(r"(.*)/(\d+)\.root\.json$", f)
    if mm: bydir[mm.group(1)][int(mm.group(2))] = f
for d, vs in bydir.items():
    for n in sorted(vs):
        if n + 1 in vs:
            try:
                a = Metadata[Root].from_bytes(open(os.path.join(OUT, vs[n]), "rb").read())
                b = Metadata[Root].from_bytes(open(os.path.join(OUT, vs[n+1]), "rb").read())
                rr = b.signed.get_root_verification_result(a.signed, b.signed_bytes, b.signatures)
                ok = rr.verified and b.signed.version == a.signed.version + 1
                chains[f"{vs[n]} -> {n+1}"] = ("OK" if ok else f"FAIL first={len(rr.first.signed)}/{rr.first.threshold} second={len(rr.second.signed)}/{rr.second.threshold} ver={b.signed.version}")
            except Exception as e:
                c = e.__cause__ or e; chains[f"{vs[n]} -> {n+1}"] = f"error {type(c).__name__}: {c}"[:160]
json.dump({"roots": res, "chains": chains}, open(os.path.join(OUT, "analysis.json"), "w"), indent=1, default=dict)
for f, i in res.items(): print(f, json.dumps(i, default=dict))
for k, v in chains.items(): print("CHAIN", k, v)
