//! HMAC commands

mod generate_key;
mod put_key;
mod sign;
mod verify;

pub(crate) use self::{generate_key::*, put_key::*, sign::*, verify::*};
