//! The module author's README, run literally: its install steps and its `curl` examples
//! on a fresh installation, in the order it gives them.

use crate::helpers::{SuiteHome, build_dir, workspace_root};
use std::{path::Path, process::Command};

/// The `sh` blocks after `heading`, each as commands (continuation lines joined).
fn sh_blocks(markdown: &str, heading: &str) -> Vec<Vec<String>> {
    let section = &markdown[markdown.find(heading).expect("the README's section")..];
    let mut blocks = Vec::new();
    let mut rest = section;
    while let Some(start) = rest.find("```sh\n") {
        let body = &rest[start + 6..];
        let end = body.find("```").expect("a closed code block");
        let joined = body[..end].replace("\\\n", " ");
        blocks.push(
            joined
                .lines()
                .map(str::trim)
                .filter(|line| !line.is_empty())
                .map(str::to_owned)
                .collect(),
        );
        rest = &body[end + 3..];
    }
    blocks
}

/// A shell in the installation's folder, with the installation's configuration.
fn shell(home: &SuiteHome, line: &str) -> Command {
    let configured = home.command(&[]);
    let mut command = Command::new("sh");
    command.arg("-c").arg(line).current_dir(home.path());
    for (key, value) in configured.get_envs() {
        match value {
            Some(value) => command.env(key, value),
            None => command.env_remove(key),
        };
    }
    command
}

fn link(target: &Path, link: &Path) {
    std::os::unix::fs::symlink(target, link).expect("symlink into the installation");
}

#[tokio::test]
async fn hello_module_readme_steps_work_on_a_fresh_installation() {
    let readme = std::fs::read_to_string(workspace_root().join("examples/hello-module/README.md"))
        .expect("the README");
    let blocks = sh_blocks(&readme, "## Build, install, enable");
    assert!(
        blocks.len() >= 2,
        "install steps and curl examples: {blocks:?}"
    );

    // The README runs from the workspace root; the installation sees the same paths.
    let home = SuiteHome::unmigrated().await;
    link(
        &workspace_root().join("examples"),
        &home.path().join("examples"),
    );
    std::fs::create_dir_all(home.path().join("target")).unwrap();
    link(&build_dir(), &home.path().join("target/debug"));
    std::fs::remove_dir_all(home.path().join("modules")).unwrap();

    let mut suite = None;
    for line in &blocks[0] {
        if let Some(package) = line.strip_prefix("cargo build -p ") {
            // The test command built the workspace already.
            assert_eq!(package, "hello-module");
            continue;
        }
        if line.ends_with("suite serve") {
            suite = Some(home.serve());
            continue;
        }
        let output = shell(&home, line).output().unwrap();
        assert!(
            output.status.success(),
            "`{line}` failed:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let suite = suite.expect("the README serves the suite");

    let (admin_token, employee_token) = home.demo_tokens();
    let mut answers = Vec::new();
    for line in &blocks[1] {
        let line = line.replace("http://127.0.0.1:8080", &suite.base_url);
        let output = shell(
            &home,
            &format!("curl -sS {}", line.trim_start_matches("curl ")),
        )
        .env("TOKEN", &employee_token)
        .env("ADMIN_TOKEN", &admin_token)
        .output()
        .unwrap();
        assert!(output.status.success(), "`{line}`: {output:?}");
        answers.push(String::from_utf8_lossy(&output.stdout).into_owned());
    }
    assert!(answers[0].contains("Hello, Ada!"), "{answers:?}");
    assert!(
        !answers[1].contains("\"code\""),
        "the settings change is accepted: {answers:?}"
    );
    let greeted = suite
        .get("/api/modules/hello/greet?name=Ada", &employee_token)
        .await;
    assert_eq!(greeted.body["message"], "Howdy, Ada!", "{:?}", greeted.body);
}
