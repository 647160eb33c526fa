//! HSM device-related functionality

pub(crate) mod commands;
mod error;
mod info;
pub(super) mod serial;
pub(super) mod storage;

pub use self::{
    error::{Error, ErrorKind},
    info::Info,
    serial::Number as SerialNumber,
    storage::Info as StorageInfo,
};
