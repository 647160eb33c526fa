//! tuf-ceremony: TUF key ceremonies for offline roles (root, targets, PEP 480 claimed).
//!
//! The library holds everything; `main.rs` only parses arguments and prints. The metadata
//! model (`json`, `metadata`, `keys`, `verify`, `time`) is pure: bytes and values in,
//! values out, the clock passed in by the caller.

pub mod json;
pub mod keys;
pub mod metadata;
pub mod time;
pub mod fsutil;
pub mod keyfile;
pub mod secret;
pub mod signer;
pub mod verify;
pub mod pgp_words;
pub mod error;
pub mod transcript;
pub mod ceremony;
pub mod app;
pub mod cli;
pub mod inspect;
pub mod fault;
