#!/usr/bin/env python3
"""Extract TUF metadata test corpus from local bare mirrors (made by the `fetch` tool).
Writes files byte-for-byte (git cat-file blob) and a manifest.json used for SOURCES.md."""
import hashlib, json, os, re, subprocess, sys
OUT = "/work/notes/research/corpus"
M = "/work/.mirror"

def git(repo, *args):
    return subprocess.run(["git", f"--git-dir={M}/{repo.replace('/', '+')}/repo", *args],
                          check=True, capture_output=True).stdout

def ls(repo, commit, prefix):
    rows = []
    for line in git(repo, "ls-tree", "-r", "-z", commit, "--", prefix).split(b"\0"):
        if not line: continue
        meta, path = line.split(b"\t", 1)
        mode, typ, blob = meta.decode().split()
        rows.append((mode, blob, path.decode()))
    return rows

manifest = []
def put(repo, commit, src, dst, licence, note="", blob=None):
    data = git(repo, "cat-file", "blob", blob or f"{commit}:{src}")
    p = os.path.join(OUT, dst)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "wb") as f: f.write(data)
    manifest.append(dict(file=dst, repo=repo, path=src, commit=commit, licence=licence,
                         sha256=hashlib.sha256(data).hexdigest(), size=len(data), note=note))

def put_tree(repo, commit, prefix, dstprefix, licence, pattern=r"(root|targets)\.json$", strip=None, note=""):
    seen = {}
    for mode, blob, path in ls(repo, commit, prefix):
        if mode == "120000" or not re.search(pattern, path):  # skip symlinks
            continue
        rel = path[len(strip or prefix):].lstrip("/")
        d = os.path.dirname(rel)
        if (d, blob) in seen:  # identical bytes in same dir (e.g. root.json == N.root.json)
            manifest_note = f"identical to {seen[(d, blob)]}"
            # still record, but do not duplicate bytes
            manifest.append(dict(file=None, repo=repo, path=path, commit=commit, licence=licence,
                                 sha256=None, size=None, note=f"skipped: {manifest_note}"))
            continue
        seen[(d, blob)] = os.path.basename(rel)
        put(repo, commit, path, f"{dstprefix}/{rel}", licence, note)

SIG = "sigstore/root-signing"; SIG_C = git(SIG, "rev-parse", "HEAD").decode().strip()
SIGS = "sigstore/root-signing-staging"; SIGS_C = git(SIGS, "rev-parse", "HEAD").decode().strip()
AP = "Apache-2.0"
BSD = "BSD-3-Clause (LICENSE at v0.7.0, Copyright Prime Directive, Inc.)"
# sigstore production: root chain + current top-level targets + delegated targets
for mode, blob, path in ls(SIG, SIG_C, "metadata/root_history"):
    put(SIG, SIG_C, path, "sigstore-root-signing/root_history/" + os.path.basename(path), AP)
put(SIG, SIG_C, "metadata/targets.json", "sigstore-root-signing/metadata/targets.json", AP)
put(SIG, SIG_C, "metadata/registry.npmjs.org.json", "sigstore-root-signing/metadata/registry.npmjs.org.json", AP, "delegated targets role")
# legacy (pre tuf-on-ci) repository/repository/9.root.json differs from root_history/9.root.json
LEG = git(SIG, "rev-parse", "18dd30ce67aef0d34a077756f8f37276bfdfc027^").decode().strip()
put(SIG, LEG, "repository/repository/9.root.json", "sigstore-root-signing/legacy-repository/9.root.json", AP,
    "legacy path, deleted in 18dd30ce 'Delete legacy metadata'; bytes differ from root_history/9.root.json (v1-8 identical)")
# signing-event intermediate states of v15 (tuf-on-ci empty-sig placeholders)
f = "metadata/root_history/15.root.json"
seen = set()
commits = git(SIG, "log", "--all", "--reverse", "--date-order", "--format=%H", "--", f).decode().split()
seq = 0
for line in commits:
    try: b = git(SIG, "rev-parse", f"{line}:{f}").decode().strip()
    except subprocess.CalledProcessError: continue
    if b in seen: continue
    seen.add(b)
    data = git(SIG, "cat-file", "blob", b)
    n_empty = data.count(b'"sig": ""')
    if n_empty:
        seq += 1
        put(SIG, line, f, f"sigstore-root-signing/signing-event-v15/{seq:02d}-{line[:8]}.empty-sigs-{n_empty}.root.json", AP,
            f"intermediate signing-event state: {n_empty} empty \"sig\" placeholders", blob=b)
# staging
for mode, blob, path in ls(SIGS, SIGS_C, "metadata/root_history"):
    put(SIGS, SIGS_C, path, "sigstore-root-signing-staging/root_history/" + os.path.basename(path), AP)
put(SIGS, SIGS_C, "metadata/targets.json", "sigstore-root-signing-staging/metadata/targets.json", AP)

# tough
TO = "awslabs/tough"; TO_C = git(TO, "rev-parse", "HEAD").decode().strip()
put_tree(TO, TO_C, "tough/tests/data", "tough", "MIT OR Apache-2.0")

# go-tuf v0 (tag v0.7.0)
GT = "theupdateframework/go-tuf"; V0 = git(GT, "rev-parse", "refs/tags/v0.7.0^{commit}").decode().strip()
for sc in ["go-tuf/consistent-snapshot-true", "go-tuf/consistent-snapshot-false"]:
    put_tree(GT, V0, f"client/testdata/{sc}", f"go-tuf-v0/{sc}", BSD)
for sc in ["Published1Time", "Published1Time_backwardRootVersion", "Published2Times_keyrotated",
           "Published2Times_keyrotated_invalidNewRootSignature", "Published2Times_keyrotated_invalidOldRootSignature",
           "Published3Times_keyrotated_forwardRootVersion", "Published3Times_keyrotated_initialrootsexpired",
           "PublishedTwiceMultiKeysadd_9_revoke_2_threshold_4_root",
           "PublishedTwiceMultiKeysadd_9_revoke_4_threshold_4_root"]:
    put_tree(GT, V0, f"client/testdata/{sc}/server/metadata", f"go-tuf-v0/{sc}/server/metadata", BSD)
# go-tuf v2 (tag v2.4.2 and master HEAD; testdata regenerated on master in #757)
V2 = git(GT, "rev-parse", "refs/tags/v2.4.2^{commit}").decode().strip()
HEADC = git(GT, "rev-parse", "HEAD").decode().strip()
put_tree(GT, V2, "internal/testutils/repository_data/repository/metadata", "go-tuf-v2/v2.4.2/repository_data/metadata", AP)
put_tree(GT, HEADC, "internal/testutils/repository_data/repository/metadata", "go-tuf-v2/master/repository_data/metadata", AP)

# python-tuf
PT = "theupdateframework/python-tuf"; PT_C = git(PT, "rev-parse", "HEAD").decode().strip()
LIC_PT = "Apache-2.0 OR MIT"
put_tree(PT, PT_C, "tests/repository_data/repository/metadata", "python-tuf/repository_data/repository/metadata", LIC_PT,
         pattern=r"(root|targets|role1|role2)\.json$")
put_tree(PT, PT_C, "tests/repository_data/fishy_rolenames/metadata", "python-tuf/repository_data/fishy_rolenames/metadata", LIC_PT,
         pattern=r"(root|targets)\.json$")
put_tree(PT, PT_C, "tests/generated_data", "python-tuf/generated_data", LIC_PT, pattern=r"(root|targets)_with_.*\.json$")

# RSTUF
RC = "repository-service-tuf/repository-service-tuf-cli"; RC_C = git(RC, "rev-parse", "HEAD").decode().strip()
for p in ["tests/files/root.json", "tests/files/das-root.json", "tests/files/root/v1.json", "tests/files/root/v2.json"]:
    put(RC, RC_C, p, "rstuf/cli/" + p[len("tests/files/"):], "MIT")
for mode, blob, path in ls(RC, RC_C, "tests/files/payload"):
    put(RC, RC_C, path, "rstuf/cli/payload/" + os.path.basename(path), "MIT", "RSTUF payload (not bare metadata)")
RA = "repository-service-tuf/repository-service-tuf-api"; RA_C = git(RA, "rev-parse", "HEAD").decode().strip()
for mode, blob, path in ls(RA, RA_C, "tests/data_examples"):
    if path.endswith(".json") and ("bootstrap" in path or "metadata/update-root" in path):
        put(RA, RA_C, path, "rstuf/api/" + path[len("tests/data_examples/"):], "MIT", "RSTUF API payload example")

json.dump(manifest, open(os.path.join(OUT, "manifest.json"), "w"), indent=1)
tot = sum(m["size"] or 0 for m in manifest)
print(len([m for m in manifest if m["file"]]), "files,", tot, "bytes")
