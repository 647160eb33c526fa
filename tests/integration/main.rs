//! One integration test binary (ripgrep's layout): helpers in `util.rs`, one module per area.

mod airgap;
mod ceremony;
mod claimed;
mod corpus;
mod display;
mod faults;
mod hardware;
mod python;
mod rehearsals;
mod report;
mod util;
mod vectors;
