//! `repere`: the command line of Repère.

mod cli;
mod cmd_diag;
mod serve;

fn main() -> std::process::ExitCode {
    cli::main()
}
