//! Yubico OTP commands

mod put;

pub(crate) use self::put::*;
