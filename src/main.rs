//! The `tuf-ceremony` binary: parse the command line, run it, map errors to exit codes.
//! Everything else lives in the library.

use clap::Parser;

/// mimalloc: parsing a PyPI-scale claimed.json (100,000 delegations) makes millions of small
/// allocations, and glibc's malloc spent most of the time there (measured with perf; see
/// scripts/bench.sh).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // Before anything can read a secret: no core dumps, no ptrace (src/harden.rs).
    tuf_ceremony::harden::harden_process();
    // `tuf-ceremony status | head` must end quietly, as Unix tools do, not panic on a
    // closed pipe.
    tuf_ceremony::harden::default_sigpipe();
    let cli = tuf_ceremony::cli::Cli::parse();
    let code = match tuf_ceremony::app::run(cli) {
        Ok(code) => code,
        Err(e) => {
            // The net of src/display.rs: an error names files, roles and keys from input.
            eprintln!("error: {}", tuf_ceremony::display::text(&e.to_string()));
            e.exit_code()
        }
    };
    std::process::exit(code);
}
