//! The running binary's own SHA-256, recorded beside its version in the transcript and the
//! report: a version number says what the tool claims to be, the digest says which build
//! ran, so the witnesses can compare it with the digest `scripts/release.sh` printed when the
//! binary was built (reproducibly) on a connected machine.

use sha2::{Digest, Sha256};
use std::sync::OnceLock;

/// The SHA-256 (hex) of the executable this process runs, hashed once per process (once
/// per command). If it cannot be read, a sentence saying so, never a made-up digest.
pub fn sha256() -> &'static str {
    static DIGEST: OnceLock<String> = OnceLock::new();
    DIGEST.get_or_init(|| match hash_running_binary() {
        Ok(hex) => hex,
        Err(e) => format!("unknown (the running binary could not be read: {e})"),
    })
}

/// Hashes `/proc/self/exe` (the very file the kernel runs, even if its path was replaced
/// since), or where `std::env::current_exe` says it is on systems without `/proc`.
fn hash_running_binary() -> std::io::Result<String> {
    let path = match std::fs::metadata("/proc/self/exe") {
        Ok(_) => std::path::PathBuf::from("/proc/self/exe"),
        Err(_) => std::env::current_exe()?,
    };
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    std::io::copy(&mut file, &mut hasher)?;
    Ok(hex::encode(hasher.finalize()))
}

#[cfg(test)]
mod tests {
    /// The digest is of this very test binary: 64 hex digits, the same on every call.
    #[test]
    fn the_digest_is_the_running_executables() {
        let d = super::sha256();
        let expected = {
            use sha2::Digest;
            let bytes = std::fs::read(std::env::current_exe().unwrap()).unwrap();
            hex::encode(sha2::Sha256::digest(bytes))
        };
        assert_eq!(d, expected);
        assert!(std::ptr::eq(d, super::sha256()));
    }
}
