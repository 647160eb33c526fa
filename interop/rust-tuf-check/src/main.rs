//! rust-tuf's client (the crate `tuf` 0.3) on a repository folder, for scripts/interop.sh.
//!
//! `rust-tuf-check update DIR [DELEGATED...]`: a `tuf::client::Client` trusting
//! `DIR/1.root.json` updates from `DIR` (root chain, timestamp, snapshot, targets, each as
//! TUF 1.0 §5 orders it, with rust-tuf's own file names), then each named delegated role of
//! targets is verified as rust-tuf's target search does (`Database::update_delegated_targets`,
//! so its own error is reported, not a bare "target not found").
//!
//! Prints one JSON line: `{"ok":true,"root":N,"targets":N,"delegated":[...]}` or
//! `{"ok":false,"why":"..."}` with rust-tuf's error text. Exit status 0 either way; 2 on a
//! usage error.

use chrono::Utc;
use futures_executor::block_on;
use serde_json::json;
use std::path::PathBuf;
use tuf::client::{Client, Config};
use tuf::metadata::{Metadata, MetadataPath, RawSignedMetadata, RootMetadata, TargetsMetadata};
use tuf::pouf::Pouf1;
use tuf::repository::{EphemeralRepository, FileSystemRepository};

fn update(dir: PathBuf, delegated: &[String]) -> Result<serde_json::Value, String> {
    let root = std::fs::read(dir.join("1.root.json")).map_err(|e| format!("1.root.json: {e}"))?;
    let trusted = RawSignedMetadata::<Pouf1, RootMetadata>::new(root);
    let local = EphemeralRepository::<Pouf1>::new();
    let remote = FileSystemRepository::<Pouf1>::builder(dir.clone()).build();
    block_on(async {
        let mut client = Client::with_trusted_root(Config::default(), &trusted, local, remote)
            .await
            .map_err(|e| format!("trusted root: {e}"))?;
        client.update().await.map_err(|e| format!("update: {e}"))?;
        let db = client.database_mut();
        let mut loaded = Vec::new();
        for name in delegated {
            let version = db
                .trusted_snapshot()
                .and_then(|s| {
                    s.meta()
                        .get(&MetadataPath::new(name.clone()).ok()?)
                        .map(|m| m.version())
                })
                .ok_or_else(|| format!("{name}: not listed in snapshot"))?;
            let path = dir.join(format!("{version}.{name}.json"));
            let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let raw = RawSignedMetadata::<Pouf1, TargetsMetadata>::new(bytes);
            let role = MetadataPath::new(name.clone()).map_err(|e| format!("{name}: {e}"))?;
            db.update_delegated_targets(&Utc::now(), &MetadataPath::targets(), &role, &raw)
                .map_err(|e| format!("{name}: {e}"))?;
            loaded.push(json!({"name": name, "version": version}));
        }
        Ok(json!({
            "ok": true,
            "root": db.trusted_root().version(),
            "targets": db.trusted_targets().map(|t| t.version()),
            "delegated": loaded,
        }))
    })
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 || args[0] != "update" {
        eprintln!("usage: rust-tuf-check update DIR [DELEGATED...]");
        std::process::exit(2);
    }
    let out = match update(PathBuf::from(&args[1]), &args[2..]) {
        Ok(v) => v,
        Err(why) => json!({"ok": false, "why": why}),
    };
    println!("{out}");
}
