//! Ceremonies that sign root alone.
//!
//! RSTUF (Repository Service for TUF), the service PyPI deploys PEP 458 with, keeps only
//! root offline: its root lists one online key for `targets`, `snapshot` and `timestamp`,
//! and the service signs `targets` and everything below it itself. A ceremony for such a
//! repository holds `root.json` and nothing else, and is complete once root is: `status`
//! says so, `verify` does not ask for a `targets.json`, and `export` writes the root alone
//! (`N.root.json` and `root.json`, TUF spec 5.3.4).
//!
//! A ceremony is root-only when its record holds a working root, no `targets.json` (working
//! or trusted) and no delegated role: nothing in it says targets is signed here. The folder
//! is held to the record when it is opened, so a `targets.json` the record holds and the
//! folder lost is refused there, never taken for a root-only ceremony.

use super::{short, Ceremony, Report};
use crate::error::Result;
use crate::names::RoleName;

/// Whether `c` signs root alone (see the module documentation).
pub fn is_root_only(c: &Ceremony) -> Result<bool> {
    // The snapshot, held to the record: a targets.json the record holds and the folder lost
    // is refused when the folder is opened, never taken for a root-only ceremony.
    let has = |name: String| c.held_bytes(&name).is_some();
    Ok(c.state.delegated.is_empty()
        && has(RoleName::ROOT.file_name())
        && !has(RoleName::TARGETS.file_name())
        && !has(format!("trusted/{}", RoleName::TARGETS.file_name())))
}

/// The line `status`, `verify` and `export` print for a root-only ceremony.
pub const SCOPE_LINE: &str = "root only: this ceremony signs root alone; targets and the roles below it are signed online by the repository (as RSTUF does)";

/// Adds the scope line to `report`, and a warning for each key of root's `targets` role
/// that a keyholder of this ceremony holds: such a key signs offline, so `targets.json`
/// may belong in this ceremony after all.
pub fn describe(c: &Ceremony, report: &mut Report) -> Result<()> {
    report.line(SCOPE_LINE);
    let Some(md) = c.working_opt(&RoleName::ROOT)? else {
        return Ok(());
    };
    let Some(root) = md.root() else {
        return Ok(());
    };
    for id in root
        .role("targets")
        .map(|r| r.keyids.as_slice())
        .unwrap_or(&[])
    {
        let Some(key) = root.keys.get(id) else {
            continue;
        };
        if let Some(name) = c.keyholder_of(key) {
            report.warn(format!(
                "root's targets role lists {}'s key {}, a key held offline, but this ceremony has no targets.json: if targets is signed offline, bring it in with `tuf-ceremony load targets.json` before export",
                crate::display::escape(name),
                short(id)
            ));
        }
    }
    Ok(())
}
