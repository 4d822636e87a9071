//! `taiwa serve`: run the services this process is given until a signal.

use shared::config::Config;

use crate::app::{Application, ServiceSelection};

/// Serves until Ctrl-C or SIGTERM, then finishes the requests in flight.
pub async fn serve(config: Config, service: ServiceSelection) -> anyhow::Result<()> {
    let public_url = config.public_url.clone();
    let app = Application::build(config, service).await?;
    let port = app.port();
    print_banner(&public_url, port, service, app.created_demo_data());
    app.run_until_stopped(shutdown_signal()).await?;
    tracing::info!("stopped");
    Ok(())
}

fn print_banner(public_url: &str, port: u16, service: ServiceSelection, created_demo: bool) {
    let url = if public_url.ends_with(":0") {
        format!("http://127.0.0.1:{port}")
    } else {
        public_url.to_owned()
    };
    println!("\nTaiwa (対話) is serving {service:?} at {url}");
    println!(
        "  API description: {url}/api/openapi.json   health: {url}/healthz   ready: {url}/readyz"
    );
    if !matches!(service, ServiceSelection::All | ServiceSelection::Gateway) {
        println!("  Reached through the gateway only (service tokens). Stop with Ctrl-C.\n");
        return;
    }
    #[cfg(feature = "demo")]
    demo_accounts(created_demo);
    #[cfg(not(feature = "demo"))]
    let _ = created_demo;
    println!("  Stop with Ctrl-C.\n");
}

/// The demo accounts, for a build that has demo data.
#[cfg(feature = "demo")]
fn demo_accounts(created_demo: bool) {
    use crate::demo;
    if created_demo {
        println!(
            "  Demo data created. Demo accounts (password \"{}\"):",
            demo::DEMO_PASSWORD
        );
    } else {
        println!(
            "  Demo accounts, if this database has the demo data (password \"{}\"):",
            demo::DEMO_PASSWORD
        );
    }
    println!(
        "    employee    employee1@demo.taiwa.test … employee{}@demo.taiwa.test",
        demo::EMPLOYEES
    );
    println!(
        "    consultant  consultant1@demo.taiwa.test … consultant{}@demo.taiwa.test",
        demo::CONSULTANTS
    );
    println!("    hr          hr@demo.taiwa.test");
    println!(
        "    operator    operator@demo.taiwa.test (sets up two-step sign-in first, with enrolment code {})",
        demo::OPERATOR_ENROLMENT_CODE
    );
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
    tracing::info!("shutting down: finishing requests in flight");
}
