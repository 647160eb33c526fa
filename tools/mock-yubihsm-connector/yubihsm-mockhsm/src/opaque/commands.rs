//! Commands for working with opaque data blobs

mod get;
mod put;

pub(crate) use self::{get::*, put::*};
