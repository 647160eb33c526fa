//! One integration test binary (ripgrep's layout): helpers in `util.rs`, one module per area.

mod airgap;
mod attack;
mod attest;
mod bounds;
mod ceremony;
mod changes;
mod claimed;
mod commits;
mod corpus;
mod display;
mod faults;
mod hardware;
mod keytypes;
mod locking;
mod names;
mod output;
mod policy;
mod python;
mod real;
mod rehearsals;
mod release;
mod report;
mod rstuf;
mod util;
mod vectors;
mod verdict;
