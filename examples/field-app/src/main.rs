fn main() -> std::process::ExitCode {
    cli::run()
}

mod cli;
