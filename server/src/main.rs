//! `repere`: the command line of Repère.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
