//! tuf-ceremony: TUF key ceremonies for offline roles (root, targets, PEP 480 claimed).
//!
//! The library holds everything; `main.rs` only parses arguments and prints. The metadata
//! model (`json`, `metadata`, `keys`, `verify`, `time`) is pure: bytes and values in,
//! values out, the clock passed in by the caller.
//!
//! Modules are public only where the binary, the integration tests or the fuzz targets
//! reach into them; the rest are private, so the compiler reports anything nothing calls.

// No `unsafe` but where a module allows it for one system call, each block with its
// SAFETY: comment (flock, prctl, fcntl, kill, mkfifo in tests).
#![deny(unsafe_code)]

pub mod app;
pub mod attest;
mod binary;
pub mod ceremony;
pub mod cli;
mod clients;
pub mod display;
pub mod error;
mod fault;
mod format_error;
mod fsutil;
pub mod harden;
mod hints;
mod inspect;
pub mod json;
mod keyfile;
pub mod keys;
pub mod metadata;
mod metadata_file;
pub mod names;
pub mod outcome;
mod output;
mod pgp_words;
mod rstuf;
mod secret;
pub mod signer;
mod succinct;
mod time;
pub mod transcript;
mod tree;
pub mod verify;
