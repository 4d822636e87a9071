//! The web UI's end-to-end journeys (`tests/e2e/`, node's test runner with
//! playwright-core driving Debian's headless Chromium and axe-core on every
//! page) against this build's `taiwa`, so `cargo test --workspace` runs them
//! where the browser is installed. Each journey starts its own `taiwa serve`
//! on a free loopback port with its own data folder.

use std::path::Path;
use std::process::Command;

#[test]
#[cfg_attr(
    not(taiwa_browser),
    ignore = "needs /usr/bin/chromium and tests/e2e/node_modules (npm ci): set TAIWA_TEST_BROWSER=1, as .ci/run does"
)]
fn every_roles_journey_passes_in_chromium_with_no_serious_accessibility_violation() {
    let e2e = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/e2e");
    let status = Command::new("node")
        .args([
            "--test",
            "--test-concurrency=1",
            "--test-timeout=300000",
            "--test-reporter=spec",
            "journeys/",
        ])
        .current_dir(&e2e)
        .env("TAIWA_BIN", env!("CARGO_BIN_EXE_taiwa"))
        .status();
    match status {
        Ok(status) => assert!(
            status.success(),
            "the journeys failed (screenshots in tests/e2e/screenshots)"
        ),
        Err(e) => panic!("could not run node: {e}"),
    }
}
