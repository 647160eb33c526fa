//! tough-check: runs awslabs/tough, the Rust TUF client (Bottlerocket, sigstore-rs), on
//! metadata, so scripts/interop.sh can compare what tough really does with what
//! tuf-ceremony's warnings and tests/python/real_verdicts.py's model of tough say it does.
//!
//! Each command prints one JSON line and exits 0 whatever tough's verdict (the verdict is
//! in `ok`); it exits 2 only when it could not run at all (usage, unreadable file).
//!
//! - `root-pair [OLD] NEW`: NEW as a first root (tough's `load_root` step 5.2: parse as
//!   `Signed<Root>`, then `verify_role` against itself), or as the rotation OLD → NEW (step
//!   5.3.4-5.3.5: the old root verifies NEW, NEW verifies itself, version exactly old + 1),
//!   in the order tough's client does them, with tough's own types and error text.
//! - `load METADATA_DIR [--targets DIR] [--root FILE]`: `RepositoryLoader` over file://
//!   URLs, trusting FILE (default METADATA_DIR/1.root.json), through every N.root.json
//!   present, then timestamp, snapshot, targets and every delegated role.
//! - `pubkey KEYFILE`: the TUF key object tough (and so tuftool) writes for a private key
//!   (PKCS#8 ed25519/P-256, PKCS#8 or PKCS#1 RSA), and its keyid as tough computes it.
//! - `sign ROOT OUT KEYFILE...`: co-sign root as tuftool's `root sign` does: tough's
//!   `SignedRole::new` signs with each key the root lists for the root role, and the
//!   signatures already there are kept. Writes OUT and prints the new signatures.
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::json;
use tough::editor::signed::SignedRole;
use tough::key_source::{KeySource, LocalKeySource};
use tough::schema::{KeyHolder, Root, Signed};
use tough::{ExpirationEnforcement, RepositoryLoader};

const USAGE: &str = "usage:
  tough-check root-pair [OLD] NEW
  tough-check load METADATA_DIR [--targets DIR] [--root FILE] [--no-expiry]
  tough-check pubkey KEYFILE
  tough-check sign ROOT OUT KEYFILE...";

/// The error and every cause under it, as one line: tough's errors wrap serde's and
/// `verify_role`'s, and the inner text is the part that says why.
fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let text = c.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        cause = c.source();
    }
    out
}

fn verdict(result: Result<(), String>) -> serde_json::Value {
    match result {
        Ok(()) => json!({"ok": true, "why": ""}),
        Err(why) => json!({"ok": false, "why": why}),
    }
}

fn read(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn parse_root(bytes: &[u8]) -> Result<Signed<Root>, String> {
    serde_json::from_slice::<Signed<Root>>(bytes).map_err(|e| chain(&e))
}

/// tough's `load_root`, the steps that judge one root file (lib.rs, TUF 5.2 and 5.3.4-5.3.5).
fn root_pair(old: Option<&[u8]>, new: &[u8]) -> Result<(), String> {
    let new_root = parse_root(new)?;
    if let Some(old) = old {
        let old_root = parse_root(old).map_err(|e| format!("old root: {e}"))?;
        old_root
            .signed
            .verify_role(&new_root)
            .map_err(|e| format!("old root's keys: {}", chain(&e)))?;
        new_root
            .signed
            .verify_role(&new_root)
            .map_err(|e| format!("new root's own keys: {}", chain(&e)))?;
        let (o, n) = (old_root.signed.version.get(), new_root.signed.version.get());
        if !(o < n && o + 1 == n) {
            return Err(format!("version: trusted {o}, new {n}, expected {}", o + 1));
        }
    } else {
        new_root
            .signed
            .verify_role(&new_root)
            .map_err(|e| chain(&e))?;
    }
    Ok(())
}

fn file_url(dir: &Path) -> Result<url::Url, String> {
    let abs = std::fs::canonicalize(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    url::Url::from_directory_path(&abs).map_err(|()| format!("{}: not a directory", abs.display()))
}

async fn load(
    metadata: &Path,
    targets: &Path,
    root: &Path,
    expiry: bool,
) -> Result<serde_json::Value, String> {
    let root_bytes = read(root)?;
    let datastore = tempdir()?;
    let enforcement = if expiry {
        ExpirationEnforcement::Safe
    } else {
        ExpirationEnforcement::Unsafe
    };
    let repo = RepositoryLoader::new(&root_bytes, file_url(metadata)?, file_url(targets)?)
        .datastore(&datastore)
        .expiration_enforcement(enforcement)
        .load()
        .await;
    let _ = std::fs::remove_dir_all(&datastore);
    let repo = repo.map_err(|e| chain(&e))?;
    let delegated: Vec<serde_json::Value> = repo
        .targets()
        .signed
        .delegations
        .iter()
        .flat_map(|d| d.roles.iter())
        .map(|r| {
            json!({
                "name": r.name,
                "loaded": r.targets.is_some(),
                "version": r.targets.as_ref().map(|t| t.signed.version.get()),
            })
        })
        .collect();
    Ok(json!({
        "ok": true,
        "why": "",
        "root": repo.root().signed.version.get(),
        "timestamp": repo.timestamp().signed.version.get(),
        "snapshot": repo.snapshot().signed.version.get(),
        "targets": repo.targets().signed.version.get(),
        "delegated": delegated,
        "target_files": repo.all_targets().count(),
    }))
}

/// A fresh, empty datastore folder: tough writes the roots it trusts there.
fn tempdir() -> Result<PathBuf, String> {
    let base = std::env::temp_dir().join(format!("tough-check-{}", std::process::id()));
    for i in 0..1000 {
        let p = base.with_extension(i.to_string());
        if std::fs::create_dir(&p).is_ok() {
            return Ok(p);
        }
    }
    Err("cannot create a datastore folder".into())
}

async fn pubkey(keyfile: &Path) -> Result<serde_json::Value, String> {
    let source = LocalKeySource {
        path: keyfile.to_path_buf(),
    };
    let signer = source.as_sign().await.map_err(|e| chain(&*e))?;
    let key = signer.tuf_key();
    let keyid = key.key_id().map_err(|e| chain(&e))?;
    Ok(json!({"keyid": hex::encode(&keyid), "key": key}))
}

async fn sign(root: &Path, out: &Path, keyfiles: &[PathBuf]) -> Result<serde_json::Value, String> {
    let original = parse_root(&read(root)?)?;
    let sources: Vec<Box<dyn KeySource>> = keyfiles
        .iter()
        .map(|p| Box::new(LocalKeySource { path: p.clone() }) as Box<dyn KeySource>)
        .collect();
    let rng = aws_lc_rs::rand::SystemRandom::new();
    let signed = SignedRole::new(
        original.signed.clone(),
        &KeyHolder::Root(original.signed.clone()),
        &sources,
        &rng,
    )
    .await
    .map_err(|e| chain(&e))?;
    let added = signed.signed().signatures.clone();
    if added.is_empty() {
        return Err("none of these keys is one of the root role's keys".into());
    }
    // As tuftool does: the new signatures, then every earlier one by another key.
    let mut merged = Signed {
        signed: original.signed.clone(),
        signatures: added.clone(),
    };
    for sig in original.signatures {
        if !merged.signatures.iter().any(|s| s.keyid == sig.keyid) {
            merged.signatures.push(sig);
        }
    }
    let mut bytes = serde_json::to_vec_pretty(&merged).map_err(|e| chain(&e))?;
    bytes.push(b'\n');
    std::fs::write(out, bytes).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    let sigs: Vec<serde_json::Value> = added
        .iter()
        .map(|s| json!({"keyid": hex::encode(&s.keyid), "sig": hex::encode(&s.sig)}))
        .collect();
    Ok(json!({"ok": true, "why": "", "signatures": sigs}))
}

fn usage() -> ExitCode {
    eprintln!("{USAGE}");
    ExitCode::from(2)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((cmd, rest)) = args.split_first() else {
        return usage();
    };
    let out = match (cmd.as_str(), rest) {
        ("root-pair", [new]) => read(Path::new(new)).map(|n| verdict(root_pair(None, &n))),
        ("root-pair", [old, new]) => read(Path::new(old))
            .and_then(|o| read(Path::new(new)).map(|n| verdict(root_pair(Some(&o), &n)))),
        ("load", [dir, opts @ ..]) => {
            let dir = PathBuf::from(dir);
            let (mut targets, mut root, mut expiry) =
                (dir.join("targets"), dir.join("1.root.json"), true);
            let mut it = opts.iter();
            while let Some(o) = it.next() {
                match (o.as_str(), it.next()) {
                    ("--targets", Some(v)) => targets = PathBuf::from(v),
                    ("--root", Some(v)) => root = PathBuf::from(v),
                    ("--no-expiry", None) => expiry = false,
                    _ => return usage(),
                }
            }
            if !targets.is_dir() {
                if let Err(e) = std::fs::create_dir_all(&targets) {
                    eprintln!("cannot create {}: {e}", targets.display());
                    return ExitCode::from(2);
                }
            }
            if !root.is_file() {
                Err(format!("{}: no trusted root", root.display()))
            } else {
                Ok(load(&dir, &targets, &root, expiry)
                    .await
                    .unwrap_or_else(|why| json!({"ok": false, "why": why})))
            }
        }
        ("pubkey", [key]) => pubkey(Path::new(key)).await,
        ("sign", [root, out, keys @ ..]) if !keys.is_empty() => {
            let keys: Vec<PathBuf> = keys.iter().map(PathBuf::from).collect();
            Ok(sign(Path::new(root), Path::new(out), &keys)
                .await
                .unwrap_or_else(|why| json!({"ok": false, "why": why})))
        }
        _ => return usage(),
    };
    match out {
        Ok(v) => {
            println!("{v}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("tough-check: {e}");
            ExitCode::from(2)
        }
    }
}
