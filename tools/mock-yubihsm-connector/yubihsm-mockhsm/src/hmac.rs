//! Hash-based Message Authentication Code (HMAC)

mod algorithm;
pub(crate) mod commands;
mod tag;

pub use self::{algorithm::Algorithm, tag::Tag};
