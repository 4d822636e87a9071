//! Turns on the browser half of the suite (`tests/web_e2e.rs`) when the
//! machine has Chromium and the e2e packages (`TAIWA_TEST_BROWSER=1`, as
//! `.ci/run` sets after installing them); otherwise it is reported as
//! ignored, with the reason.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(taiwa_browser)");
    println!("cargo::rerun-if-env-changed=TAIWA_TEST_BROWSER");
    if std::env::var("TAIWA_TEST_BROWSER").is_ok_and(|v| !v.is_empty() && v != "0") {
        println!("cargo::rustc-cfg=taiwa_browser");
    }
}
