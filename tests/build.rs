//! Turns on the PostgreSQL, SMTP and distributed halves of the suite when their servers are
//! configured (the distributed half needs nats-server and PostgreSQL's
//! binaries: `TAIWA_TEST_DISTRIBUTED=1`); otherwise those tests are reported as ignored, with the reason.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(taiwa_pg)");
    println!("cargo::rustc-check-cfg=cfg(taiwa_smtp)");
    println!("cargo::rustc-check-cfg=cfg(taiwa_distributed)");
    println!("cargo::rerun-if-env-changed=TAIWA_TEST_DISTRIBUTED");
    println!("cargo::rerun-if-env-changed=TAIWA_TEST_DATABASE_URL");
    println!("cargo::rerun-if-env-changed=TAIWA_TEST_SMTP_URL");
    if std::env::var("TAIWA_TEST_DATABASE_URL").is_ok_and(|v| !v.is_empty()) {
        println!("cargo::rustc-cfg=taiwa_pg");
    }
    if std::env::var("TAIWA_TEST_DISTRIBUTED").is_ok_and(|v| !v.is_empty() && v != "0") {
        println!("cargo::rustc-cfg=taiwa_distributed");
    }
    if std::env::var("TAIWA_TEST_SMTP_URL").is_ok_and(|v| !v.is_empty()) {
        println!("cargo::rustc-cfg=taiwa_smtp");
    }
}
