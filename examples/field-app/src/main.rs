fn main() -> std::process::ExitCode {
    // Rust ignores SIGPIPE, so writing to a closed pipe (`field-app records | head -1`)
    // becomes an error that `println!` turns into a panic. A command-line filter should end
    // the way `ls` does: quietly, by the signal.
    // SAFETY: called first thing in main, before any thread exists; SIG_DFL is a valid
    // disposition for SIGPIPE.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    cli::run()
}

mod cli;
