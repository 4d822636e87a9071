//! The `taiwa` binary: parses the command line and hands over to [`taiwa::cli`].

fn main() -> std::process::ExitCode {
    taiwa::cli::main()
}
