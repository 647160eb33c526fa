import json, os, collections
OUT = "/work/notes/research/corpus"
man = json.load(open(f"{OUT}/manifest.json")); an = json.load(open(f"{OUT}/analysis.json"))
roots, chains = an["roots"], an["chains"]
L = []
L.append("""# Corpus sources

Every file below was written byte-for-byte from `git cat-file blob <commit>:<path>` of a bare snapshot
(`fetch` tool) — no re-serialisation. `sha256` is of the saved bytes. Regenerate with
`python3 ../scripts/build_corpus.py` (needs the mirrors under /work/.mirror) and annotate with
`/tmp/venv-rstuf/bin/python ../scripts/analyse_corpus.py` (python-tuf 7.0.1 + securesystemslib 1.6.0).
`manifest.json` = machine-readable form of the table; `analysis.json` = per-root annotations.

Total: %d files, %d bytes.

## Highlights (what this corpus exercises)

- **sigstore prod chain 1→15**: python-tuf 7 rejects v1–v3 at parse (`expires` with fractional seconds / `-06:00` offset) and
  cannot verify v4 (keys are hex-encoded EC points, not PEM → 0/3), so v4→5 fails the "first" check; 5→15 verifies.
  v5 and v9 carry each signature twice — under the previous root's keyid and under the new keyid of the same key (identical
  `sig` values; keyid migrations) — and v10, v13 carry signatures by keyids present only in the previous root; v9 exists in two serialisations
  (`legacy-repository/9.root.json` vs `root_history/9.root.json`: same JSON content, different bytes/field order).
  **v11** has one keyid that no longer matches its key (online key URI edited) → tough rejects it (sigstore/root-signing#1431).
  v12–v14 (prod) and v9–v14 (staging) contain `"sig": ""` placeholders in their *published* form.
- **sigstore staging 5–8**: keyids computed without the `x-tuf-on-ci-*` fields the keys carry (i.e. over {keytype,scheme,keyval}, plus `keyid_hash_algorithms` for one v5 key) → tough
  rejects (root-signing-staging#136); v5 mixes keytypes `ecdsa` and `ecdsa-sha2-nistp256`.
- **signing-event-v15/**: 8 intermediate states of prod v15 (5→1 empty sigs), i.e. partially signed roots as a ceremony tool sees them.
- **tough/**: negative cases (duplicate JSON keyid, duplicate sigs, same key two sigs, invalid sig, role keyid not in keys,
  no sigs), RSA-PSS roots, hex- and PEM-encoded ECDSA sigstore roots, a 1→2 rotation.
- **go-tuf-v0/**: ed25519 + `keyid_hash_algorithms` roots; rotation chains, invalid new/old root sig, backward/forward versions,
  9-key threshold-4 roots.
- **go-tuf-v2/**: expires with 7 fractional digits (`2030-08-15T14:30:45.0000001Z`) → python-tuf rejects; RSA root.
- **rstuf/**: RSTUF payloads (bootstrap / DAS / sign / update) and roots with `x-rstuf-*` fields and core-only keyids.

## Repositories, commits, licences

| corpus dir | repository | commit | licence |
|---|---|---|---|""" % (len([m for m in man if m["file"]]), sum(m["size"] or 0 for m in man)))
seen = collections.OrderedDict()
for m in man:
    if not m["file"]: continue
    top = "/".join(m["file"].split("/")[:2]) if m["file"].startswith(("go-tuf-v", "rstuf")) else m["file"].split("/")[0]
    seen.setdefault((top, m["repo"], m["commit"]), m["licence"])
for (top, repo, commit), lic in seen.items():
    L.append(f"| `{top}/` | https://github.com/{repo} | `{commit}` | {lic} |")
L.append("""
Commit notes: sigstore/root-signing `main` HEAD 60cf2ce8 (2026-08-21); legacy file from b7c35505 (parent of
18dd30ce "Delete legacy metadata", 2024-09-05); the `signing-event-v15/` files come from signing-event branch
commits (each row names its own commit). sigstore/root-signing-staging `main` ed88d5dc (2026-08-21).
awslabs/tough `develop` e8f453e7 (2024-10-10, tough 0.19.0). go-tuf v0 = tag v0.7.0 (6ad7fe59); go-tuf v2 =
tag v2.4.2 (f5edbde3) and `master` 0b10964b (2026-08-07; test data regenerated in #757).
python-tuf `develop` 4abccdcf (2024-10-17 — newest stored snapshot, i.e. v5.1.0-era test data; python-tuf 7.0.1
itself was read from the PyPI wheel). RSTUF cli `main` 1668075c (2026-04-05), api `main` ba49c886 (2026-07-01).

## Files

Columns: `v` = signed.version; `keys` = keytype/scheme counts; `keyid` = how declared keyids relate to
sha256(OLPC canonical JSON): `full` = whole key object incl. extra fields (what the spec and tough require),
`core-only` = only {keytype,scheme,keyval} (securesystemslib ≥ 0.x `compute_default_keyid`), `MISMATCH` = neither;
`self` = python-tuf 7 threshold check of the root against itself (`signed/threshold`);
`tough?` = emulation of tough 0.19 key parsing (allow-list + P-256-only + whole-key keyid); `notes`.

| file | repo path | commit | bytes | sha256 | v | keys | keyid | sigs (empty) | root thr | self (py-tuf 7) | tough? | notes |
|---|---|---|---|---|---|---|---|---|---|---|---|---|""")
for m in man:
    f = m["file"]
    if not f:
        continue
    r = roots.get(f)
    if r:
        keys = ", ".join(f"{k}×{v}" for k, v in r["keys"].items())
        kid = ", ".join(f"{k}×{v}" for k, v in r["keyid"].items())
        extra = []
        if r["extra_key_fields"]: extra.append("key extras: " + ",".join(r["extra_key_fields"]))
        if r["extra_signed_fields"]: extra.append("signed extras: " + ",".join(r["extra_signed_fields"]))
        if r.get("dup_json_keys"): extra.append("DUPLICATE JSON keys: " + ",".join(r["dup_json_keys"]))
        note = "; ".join(([m["note"]] if m["note"] else []) + extra)
        self_ = r["self"].replace("|", "/")
        L.append(f"| `{f}` | `{m['path']}` | `{m['commit'][:12]}` | {m['size']} | `{m['sha256'][:16]}…` | {r['version']} | {keys} | {kid} | {r['sigs']} ({r['empty_sigs']}) | {r['root_threshold']} | {self_} | {r.get('tough_emulated','')} | {note} |")
    else:
        L.append(f"| `{f}` | `{m['path']}` | `{m['commit'][:12]}` | {m['size']} | `{m['sha256'][:16]}…` | | | | | | | | {m['note'] or 'targets/delegated or payload'} |")
skipped = [m for m in man if not m["file"]]
if skipped:
    L.append("\nNot saved (identical bytes to a sibling that was saved):\n")
    for m in skipped:
        L.append(f"- `{m['repo']}` `{m['path']}` @ `{m['commit'][:12]}` — {m['note']}")
L.append("\n## Root chain checks (python-tuf 7 `Root.get_root_verification_result(prev, …)`, expiry ignored)\n")
for k, v in chains.items():
    L.append(f"- `{k}`: {v}")
L.append("""- `go-tuf-v0/go-tuf/consistent-snapshot-{true,false}/{0..4}/repository/{1..5}.root.json`: chain 1→2→3→4→5 verifies (root key rotated at 1→2: ce72db3f → b2403f96); checked separately, see clients.md.
""")
open(f"{OUT}/SOURCES.md", "w").write("\n".join(L) + "\n")
print(len(L))
