//! `repere`: the command line of Repère.

mod cli;
mod cmd_coverage;
mod serve;

fn main() -> std::process::ExitCode {
    cli::main()
}
