//! One integration test binary (ripgrep's layout): helpers in `util.rs`, one module per area.

mod ceremony;
mod python;
mod util;
mod vectors;
