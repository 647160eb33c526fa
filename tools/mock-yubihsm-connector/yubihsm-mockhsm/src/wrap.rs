//! "Wrapping" support: YubiHSM 2 key/object encryption for backups and
//! importing existing keys to other derivces.

mod algorithm;
pub(crate) mod commands;
mod error;
mod key;
mod message;
mod nonce;

pub use self::{
    algorithm::Algorithm,
    error::{Error, ErrorKind},
    key::Key,
    message::Message,
    nonce::Nonce,
};
