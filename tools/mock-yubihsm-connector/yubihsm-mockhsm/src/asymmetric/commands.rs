//! General asymmetric cryptography commands reusable across algorithms

mod generate_key;
mod get_public_key;
mod put_key;

pub(crate) use self::{generate_key::*, get_public_key::*, put_key::*};
