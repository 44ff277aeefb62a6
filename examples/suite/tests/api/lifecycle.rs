//! module:enable / module:disable / module:list against real libraries.

use crate::helpers::{Module, SuiteHome, error_lines};

#[tokio::test]
async fn enabling_an_unknown_module_is_one_line_and_records_nothing() {
    let home = SuiteHome::new().await;
    home.install(Module::Hello);
    let output = home.run(&["module:enable", "HelloModule", "Nope"]);
    assert!(!output.status.success());
    let errors = error_lines(&output);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("Nope: no such module"), "{errors:?}");
    // All or nothing: the valid module named alongside is not enabled either.
    assert!(home.recorded_modules().await.is_empty());
}

#[tokio::test]
async fn enabling_a_module_whose_requirement_is_not_enabled_is_refused() {
    let home = SuiteHome::new().await;
    home.install(Module::Hello);
    home.install(Module::Probe);
    let output = home.run(&["module:enable", "Probe"]);
    assert!(!output.status.success());
    assert_eq!(
        error_lines(&output),
        ["error: Probe requires HelloModule, which is not enabled: enable HelloModule first"]
    );
    assert!(home.recorded_modules().await.is_empty());

    // Enabled together, the requirement is met.
    home.run_ok(&["module:enable", "Probe", "HelloModule"]);
    assert_eq!(
        home.recorded_modules().await,
        [
            ("HelloModule".to_owned(), "enabled".to_owned()),
            ("Probe".to_owned(), "enabled".to_owned())
        ]
    );
}

#[tokio::test]
async fn a_module_folder_without_its_library_is_refused() {
    let home = SuiteHome::new().await;
    let folder = home.install(Module::Hello);
    std::fs::remove_file(folder.join("libhello_module.so")).unwrap();
    let output = home.run(&["module:enable", "HelloModule"]);
    assert!(!output.status.success());
    let errors = error_lines(&output);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("HelloModule: library"), "{errors:?}");
    assert!(errors[0].contains("is missing"), "{errors:?}");
    assert!(home.recorded_modules().await.is_empty());
}

#[tokio::test]
async fn a_corrupt_library_is_refused() {
    let home = SuiteHome::new().await;
    let folder = home.install(Module::Hello);
    std::fs::write(
        folder.join("libhello_module.so"),
        b"this is not an ELF file",
    )
    .unwrap();
    let output = home.run(&["module:enable", "HelloModule"]);
    assert!(!output.status.success());
    let errors = error_lines(&output);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("is not a loadable library"),
        "{errors:?}"
    );
    assert!(errors[0].contains("reinstall the module"), "{errors:?}");
    assert!(home.recorded_modules().await.is_empty());
}

#[tokio::test]
async fn a_module_name_that_is_a_path_is_refused_before_the_filesystem_is_touched() {
    let home = SuiteHome::new().await;
    home.install(Module::Hello);
    // A complete module outside the modules folder, reachable by a relative path.
    let outside = home.path().join("outside").join("HelloModule");
    std::fs::create_dir_all(&outside).unwrap();
    for file in ["module.toml", "libhello_module.so"] {
        std::fs::copy(
            home.module_dir("HelloModule").join(file),
            outside.join(file),
        )
        .unwrap();
    }
    for name in ["../outside/HelloModule", "/etc", "Hello Module", ""] {
        let output = home.run(&["module:enable", name]);
        assert!(!output.status.success(), "{name:?}");
        let errors = error_lines(&output);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].contains("is not a module name"), "{errors:?}");
    }
    assert!(home.recorded_modules().await.is_empty());
}

#[tokio::test]
async fn a_folder_without_module_toml_is_refused() {
    let home = SuiteHome::new().await;
    let folder = home.install(Module::Hello);
    std::fs::remove_file(folder.join("module.toml")).unwrap();
    let output = home.run(&["module:enable", "HelloModule"]);
    assert!(!output.status.success());
    let errors = error_lines(&output);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("no module.toml"), "{errors:?}");
    assert!(home.recorded_modules().await.is_empty());
}

#[tokio::test]
async fn a_module_toml_that_disagrees_with_its_library_is_refused() {
    let home = SuiteHome::new().await;
    let folder = home.install(Module::Hello);
    let manifest = std::fs::read_to_string(folder.join("module.toml")).unwrap();
    std::fs::write(
        folder.join("module.toml"),
        manifest.replace("version = \"0.1.0\"", "version = \"0.9.0\""),
    )
    .unwrap();
    let output = home.run(&["module:enable", "HelloModule"]);
    assert!(!output.status.success());
    assert_eq!(
        error_lines(&output),
        [
            "error: HelloModule: module.toml says version \"0.9.0\" but the library says \"0.1.0\": reinstall the module"
        ]
    );
}

#[tokio::test]
async fn disabling_a_module_others_require_is_refused() {
    let home = SuiteHome::new().await;
    home.install_enabled(&[Module::Hello, Module::Probe]);
    let output = home.run(&["module:disable", "HelloModule"]);
    assert!(!output.status.success());
    assert_eq!(
        error_lines(&output),
        ["error: HelloModule is required by Probe: disable Probe first"]
    );
    assert!(
        home.recorded_modules()
            .await
            .iter()
            .all(|(_, status)| status == "enabled")
    );
    let said = home.run_ok(&["module:disable", "Probe", "HelloModule"]);
    assert!(
        said.contains("keeps serving it until it is restarted"),
        "the operator learns when it takes effect: {said}"
    );
    assert!(
        home.recorded_modules()
            .await
            .iter()
            .all(|(_, status)| status == "disabled")
    );
    // Disabling keeps the data: the tables are still there, and the listing says so.
    assert!(
        home.database
            .tables()
            .await
            .contains(&"hello_greetings".to_owned())
    );
    let listing = home.run_ok(&["module:list"]);
    let hello = listing
        .lines()
        .find(|line| line.starts_with("HelloModule"))
        .unwrap_or_else(|| panic!("{listing}"));
    assert!(hello.contains("disabled"), "{listing}");
    assert!(hello.contains("migrated (1)"), "{listing}");
}

#[tokio::test]
async fn module_list_shows_enabled_migrated_and_failed_modules() {
    let home = SuiteHome::new().await;
    home.install_enabled(&[Module::OfflineTracking]);
    home.install(Module::Hello);
    std::fs::create_dir_all(home.module_dir("Broken")).unwrap();
    let listing = home.run_ok(&["module:list"]);
    let line = |name: &str| {
        listing
            .lines()
            .find(|line| line.starts_with(name))
            .unwrap_or_else(|| panic!("{name} missing from:\n{listing}"))
            .to_owned()
    };
    assert!(line("OfflineTracking").contains("enabled"), "{listing}");
    assert!(line("OfflineTracking").contains("migrated"), "{listing}");
    assert!(line("HelloModule").contains("disabled"), "{listing}");
    assert!(line("Broken").contains("failed"), "{listing}");
    assert!(line("Broken").contains("no module.toml"), "{listing}");
}

#[tokio::test]
async fn every_command_explains_itself() {
    let home = SuiteHome::new().await;
    for command in [
        "module:list",
        "module:enable",
        "module:disable",
        "migrate",
        "migrate:status",
        "module:migrate-rollback",
        "serve",
        "demo",
        "user:create",
    ] {
        let help = home.run_ok(&[command, "--help"]);
        assert!(help.contains("Usage: suite"), "{command}: {help}");
    }
    let output = home.run(&["module:migrate-rollback", "OfflineTracking", "--steps", "0"]);
    assert!(!output.status.success());
}
