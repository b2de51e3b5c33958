//! The `topictide` command: flags → validated config → run → exit code. The only place that
//! prints results.

mod cli;

fn main() {
    std::process::exit(cli::main());
}
