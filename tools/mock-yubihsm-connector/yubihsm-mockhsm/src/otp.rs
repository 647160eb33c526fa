//! Yubico One Time Password (OTP) functionality

mod algorithm;
pub(crate) mod commands;

pub use self::algorithm::Algorithm;
