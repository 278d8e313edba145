//! `repere`: the command line of Repère.

mod cli;
mod serve;

fn main() -> std::process::ExitCode {
    cli::main()
}
