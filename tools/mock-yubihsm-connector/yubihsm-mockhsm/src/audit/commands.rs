//! Auditing commands

mod get_log_entries;
mod get_option;
mod set_log_index;
mod set_option;

pub(crate) use self::{get_log_entries::*, get_option::*, set_log_index::*, set_option::*};
