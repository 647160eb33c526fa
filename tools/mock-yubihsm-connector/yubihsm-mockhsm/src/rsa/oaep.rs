//! RSA encryption with Optimal Asymmetric Encryption Padding (OAEP)

mod algorithm;
pub(crate) mod commands;
mod decrypted_data;

pub use self::algorithm::Algorithm;
pub use self::decrypted_data::DecryptedData;
