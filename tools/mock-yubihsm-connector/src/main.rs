//! A stand-in for `yubihsm-connector` with no device behind it: the `yubihsm` crate's MockHsm
//! served over the connector's HTTP protocol, so the tests drive tuf-ceremony's real HTTP
//! connector (`yubihsm://127.0.0.1:PORT/?…`) end to end. The crate is the one from crates.io,
//! patched at build time (`yubihsm-mockhsm/`) so that its MockHsm also holds ECDSA P-384
//! keys as the device does, and refuses attestation as a device without an attestation key
//! does (`yubihsm-mockhsm/mockhsm-p384.patch`).
//!
//! Usage: `mock-yubihsm-connector PORT`. It prints `ready` once listening and serves until
//! killed. The MockHsm has authentication key 1 with the password `password` and keeps its
//! keys in memory for as long as the process runs. Test use only: the yubihsm crate refuses
//! to build MockHsm without debug assertions, so this is always a debug build.

use yubihsm::connector::http::Server;
use yubihsm::{Connector, HttpConfig};

fn main() {
    let port: u16 = match std::env::args().nth(1).and_then(|p| p.parse().ok()) {
        Some(p) => p,
        None => {
            eprintln!("usage: mock-yubihsm-connector PORT");
            std::process::exit(2);
        }
    };
    let config = HttpConfig {
        addr: "127.0.0.1".into(),
        port,
        timeout_ms: 5000,
    };
    let server = match Server::new(&config, Connector::mockhsm()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("mock-yubihsm-connector: cannot listen on 127.0.0.1:{port}: {e}");
            std::process::exit(1);
        }
    };
    println!("ready");
    if let Err(e) = server.run() {
        eprintln!("mock-yubihsm-connector: {e}");
        std::process::exit(1);
    }
}
