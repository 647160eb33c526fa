//! tuf-ceremony: TUF key ceremonies for offline roles (root, targets, PEP 480 claimed).
//!
//! The library holds everything; `main.rs` only parses arguments and prints. The metadata
//! model (`json`, `metadata`, `keys`, `verify`, `time`) is pure: bytes and values in,
//! values out, the clock passed in by the caller.

pub mod app;
pub mod attest;
pub mod binary;
pub mod ceremony;
pub mod cli;
pub mod clients;
pub mod display;
pub mod error;
pub mod fault;
pub mod format_error;
pub mod fsutil;
pub mod harden;
pub mod inspect;
pub mod json;
pub mod keyfile;
pub mod keys;
pub mod metadata;
pub mod metadata_file;
pub mod names;
pub mod output;
pub mod pgp_words;
pub mod rstuf;
pub mod secret;
pub mod signer;
pub mod succinct;
pub mod time;
pub mod transcript;
pub mod tree;
pub mod verify;
