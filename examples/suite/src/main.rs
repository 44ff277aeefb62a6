fn main() -> std::process::ExitCode {
    suite::cli::run()
}
