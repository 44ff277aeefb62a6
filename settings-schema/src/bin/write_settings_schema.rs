//! Regenerates `offline-tracking-settings.schema.json` from the settings types.

fn main() -> std::process::ExitCode {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(offline_tracking_settings::SCHEMA_FILE);
    match std::fs::write(&path, offline_tracking_settings::schema_file_text()) {
        Ok(()) => {
            println!("wrote {}", path.display());
            std::process::ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: cannot write {}: {error}", path.display());
            std::process::ExitCode::FAILURE
        }
    }
}
