//! The `tuf-ceremony` binary: parse the command line, run it, map errors to exit codes.
//! Everything else lives in the library.

use clap::Parser;

fn main() {
    let cli = tuf_ceremony::cli::Cli::parse();
    let code = match tuf_ceremony::app::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            e.exit_code()
        }
    };
    std::process::exit(code);
}
