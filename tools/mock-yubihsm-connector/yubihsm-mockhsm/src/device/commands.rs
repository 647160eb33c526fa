//! YubiHSM 2 device-related HSM commands

mod blink;
mod echo;
mod info;
mod reset;
mod rng;
mod storage;

pub(crate) use self::{blink::*, echo::*, info::*, reset::*, rng::*, storage::*};
