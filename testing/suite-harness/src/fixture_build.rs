use super::install::workspace_root;
use std::{
    path::{Path, PathBuf},
    process::Command,
};

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create folder");
    for entry in std::fs::read_dir(from).expect("read folder") {
        let entry = entry.expect("folder entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// Builds the Probe module against a copy of this workspace's host-sdk whose version is
/// `sdk_version`, and answers the library. This is the real thing an operator meets: a
/// module compiled by someone else against another release of the SDK.
///
/// The build happens in `target/abi-fixture/` (kept between runs so only the first is
/// slow), offline, with this workspace's lock file.
pub fn build_probe_against_sdk(sdk_version: &str) -> PathBuf {
    let root = workspace_root();
    let work = root.join("target/abi-fixture");
    let sources = work.join(format!("sdk-{sdk_version}"));
    let _ = std::fs::remove_dir_all(&sources);
    copy_tree(&root.join("host-sdk/src"), &sources.join("host-sdk/src"));
    copy_tree(
        &root.join("fixtures/probe-module/src"),
        &sources.join("fixtures/probe-module/src"),
    );
    std::fs::copy(
        root.join("fixtures/probe-module/Cargo.toml"),
        sources.join("fixtures/probe-module/Cargo.toml"),
    )
    .expect("copy the probe's manifest");
    let sdk_manifest = std::fs::read_to_string(root.join("host-sdk/Cargo.toml")).expect("read");
    let current = sdk_manifest
        .lines()
        .find_map(|line| line.strip_prefix("version = "))
        .expect("host-sdk's version line")
        .to_owned();
    std::fs::write(
        sources.join("host-sdk/Cargo.toml"),
        sdk_manifest.replacen(
            &format!("version = {current}"),
            &format!("version = \"{sdk_version}\""),
            1,
        ),
    )
    .expect("write the SDK copy's manifest");
    let workspace_manifest = std::fs::read_to_string(root.join("Cargo.toml")).expect("read");
    let members_start = workspace_manifest.find("members = [").expect("members");
    let members_end = members_start
        + workspace_manifest[members_start..]
            .find(']')
            .expect("end of members");
    std::fs::write(
        sources.join("Cargo.toml"),
        format!(
            "{}members = [\"host-sdk\", \"fixtures/probe-module\"{}",
            &workspace_manifest[..members_start],
            &workspace_manifest[members_end..]
        ),
    )
    .expect("write the fixture workspace");
    std::fs::copy(root.join("Cargo.lock"), sources.join("Cargo.lock")).expect("copy Cargo.lock");

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args(["build", "--offline", "-p", "probe-module"])
        .current_dir(&sources)
        .env("CARGO_TARGET_DIR", work.join("target"))
        .env("LIBSQLITE3_SYS_USE_PKG_CONFIG", "1")
        // `scripts/test-at` runs the tests under libfaketime; rustc hangs under it, and a
        // build has no business with a moved clock.
        .env_remove("LD_PRELOAD")
        .output()
        .expect("run cargo");
    assert!(
        output.status.success(),
        "building the probe against host-sdk {sdk_version} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    work.join("target/debug/libprobe_module.so")
}
