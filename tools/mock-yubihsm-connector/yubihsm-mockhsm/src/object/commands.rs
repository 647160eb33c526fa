//! YubiHSM object-related commands

mod delete;
mod info;
mod list;

pub(crate) use self::{delete::*, info::*, list::*};
