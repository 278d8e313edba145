//! `repere`: the command line of Repère.

mod cli;
mod cmd_coverage;
mod cmd_diag;
mod cmd_geocode;
mod cmd_suggest;
mod cmd_territory;
mod cmd_tiles;
mod cmd_transit;
mod help_fr;
mod output;
mod serve;
mod territory;

fn main() -> std::process::ExitCode {
    cli::main()
}
