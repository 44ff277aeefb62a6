//! A module built against another host-sdk version, compiled for real in the test.

use crate::helpers::{Module, SuiteHome, build_probe_against_sdk, error_lines};

#[tokio::test]
async fn a_library_built_against_another_host_sdk_is_refused_with_one_line() {
    let foreign_library = build_probe_against_sdk("0.4.0");
    let home = SuiteHome::new().await;
    home.install_enabled(&[Module::Hello]);
    let folder = home.install(Module::Probe);
    // The packager left module.toml claiming the suite's SDK: the library itself is what
    // gives the mismatch away.
    std::fs::copy(&foreign_library, folder.join("libprobe_module.so")).unwrap();

    let output = home.run(&["module:enable", "Probe"]);
    assert!(!output.status.success());
    assert_eq!(
        error_lines(&output),
        [
            "error: Probe 0.1.0 was built against host-sdk 0.4; this suite has 0.3: rebuild the module"
        ]
    );
    assert_eq!(
        home.recorded_modules().await.len(),
        1,
        "only HelloModule is recorded"
    );

    // A module.toml that states the foreign SDK is refused before the library is opened.
    let manifest = std::fs::read_to_string(folder.join("module.toml")).unwrap();
    std::fs::write(
        folder.join("module.toml"),
        manifest.replace("host_sdk = \"0.3\"", "host_sdk = \"0.4\""),
    )
    .unwrap();
    let output = home.run(&["module:enable", "Probe"]);
    assert_eq!(
        error_lines(&output),
        [
            "error: Probe 0.1.0 was built against host-sdk 0.4; this suite has 0.3: rebuild the module"
        ]
    );
}
