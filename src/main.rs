//! The `tuf-ceremony` binary: parse the command line, run it, map errors to exit codes.
//! Everything else lives in the library.

// No `unsafe` but where an item allows it (the allocator option below).
#![deny(unsafe_code)]

use clap::Parser;

/// mimalloc: parsing a PyPI-scale claimed.json (100,000 delegations) makes millions of small
/// allocations, and glibc's malloc spent most of the time there (measured with perf; see
/// scripts/bench.sh).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

extern "C" {
    /// mimalloc's option setter (compiled into the binary with the allocator).
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
}

/// `mi_option_purge_delay` in mimalloc 3's `mimalloc.h` (the version Cargo.lock pins):
/// how long freed memory is kept before it is returned to the system.
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

fn main() {
    // Freed memory goes back to the system at once: loading a PyPI-scale claimed.json
    // frees its parse tree while the model is built, and with mimalloc's default delay
    // (1 s) both are resident together (peak 107 MB instead of 77 MB for a 27 MB file).
    #[allow(unsafe_code)]
    // SAFETY: one thread, before any other runs; the option only tunes when memory is
    // returned.
    unsafe {
        mi_option_set(MI_OPTION_PURGE_DELAY, 0)
    };
    // Before anything can read a secret: no core dumps, no ptrace (src/harden.rs).
    tuf_ceremony::harden::harden_process();
    // `tuf-ceremony status | head` must end quietly, as Unix tools do, not panic on a
    // closed pipe.
    tuf_ceremony::harden::default_sigpipe();
    let cli = match tuf_ceremony::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // A role name on the command line that breaks a naming rule is invalid input
            // (exit 3, as from any other source), told in the tool's own words with the
            // name escaped; clap would echo it raw.
            if let Some(bad) = std::error::Error::source(&e)
                .and_then(|s| s.downcast_ref::<tuf_ceremony::names::NameError>())
            {
                eprintln!("error: {bad}");
                std::process::exit(3);
            }
            if let Some(slip) = std::error::Error::source(&e)
                .and_then(|s| s.downcast_ref::<tuf_ceremony::cli::RoleCase>())
            {
                eprintln!("error: {slip}");
                std::process::exit(3);
            }
            e.exit()
        }
    };
    let json = cli.json;
    let code = match tuf_ceremony::app::run(cli) {
        Ok(code) => code,
        Err(e) => {
            // Through the net of src/display.rs: an error names files, roles and keys from
            // input. It is one paragraph, so a line break in it is a value's, shown escaped;
            // only a failed check lists its problems a line each.
            let message = e.to_string();
            let shown = match &e {
                tuf_ceremony::error::Error::Failed(_) => tuf_ceremony::display::text(&message),
                tuf_ceremony::error::Error::Failure(f)
                    if matches!(**f, tuf_ceremony::outcome::Failure::GateClosed { .. }) =>
                {
                    tuf_ceremony::display::text(&message)
                }
                _ => tuf_ceremony::display::line(&message),
            };
            eprintln!("error: {shown}");
            // `--json`: the error as one JSON document too, its kind named (src/error.rs).
            if json {
                use std::io::Write as _;
                let doc = tuf_ceremony::json::compact(&e.to_json());
                let _ = writeln!(std::io::stdout(), "{}", tuf_ceremony::display::json(&doc));
            }
            e.exit_code()
        }
    };
    std::process::exit(code);
}
