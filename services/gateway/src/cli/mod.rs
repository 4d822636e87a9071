//! The command line: `taiwa [serve] | migrate | demo-data | matching … |
//! bench … | operator …`, one file per command. Every setting is a flag and a
//! `TAIWA_*` environment variable; with none set, Taiwa runs on its embedded
//! default.

#[cfg(feature = "bench")]
mod bench;
mod matching;
mod operator;
mod serve;
mod settings;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use shared::config::Config;

use crate::app::{Foundation, ServiceSelection};

/// Taiwa (対話): confidential career consultations with external certified consultants.
#[derive(Parser)]
#[command(name = "taiwa", version, about, long_about = None)]
pub struct Cli {
    #[command(flatten)]
    settings: settings::Settings,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve HTTP (the default).
    Serve {
        /// Which service(s) this process runs.
        #[arg(long, value_enum, env = "TAIWA_SERVICE", default_value = "all")]
        service: ServiceSelection,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Create the demo org, accounts and data (never in production).
    DemoData,
    /// Matching's maintenance commands.
    #[command(subcommand)]
    Matching(matching::MatchingCommand),
    /// Benchmarks (figures for BENCHMARKS.md).
    #[cfg(feature = "bench")]
    #[command(subcommand)]
    Bench(bench::BenchCommand),
    /// Operators' accounts.
    #[command(subcommand)]
    Operator(operator::OperatorCommand),
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = cli.settings.into_config();
    shared::telemetry::init_tracing(config.log_format);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(err) => {
            eprintln!("taiwa: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    let command = cli.command.unwrap_or(Command::Serve {
        service: ServiceSelection::All,
    });
    match runtime.block_on(run(command, config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("taiwa: {err:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command, config: Config) -> anyhow::Result<()> {
    match command {
        Command::Serve { service } => serve::serve(config, service).await,
        Command::Migrate => {
            Foundation::prepare(Config {
                demo_data: false,
                ..config
            })
            .await?;
            println!("migrations applied");
            Ok(())
        }
        Command::DemoData => demo_data(config).await,
        Command::Matching(command) => matching::run(command, config).await,
        #[cfg(feature = "bench")]
        Command::Bench(command) => bench::run(command, config).await,
        Command::Operator(command) => operator::run(command, config).await,
    }
}

#[cfg(feature = "demo")]
async fn demo_data(config: Config) -> anyhow::Result<()> {
    use crate::demo;
    anyhow::ensure!(
        config.environment == shared::config::Environment::Development,
        "demo data is never created in production"
    );
    let base = Foundation::prepare(config).await?;
    if demo::create_if_empty(&base.db, &base.hasher, &base.master_secret).await? {
        println!(
            "demo data created; every demo account's password is {}",
            demo::DEMO_PASSWORD
        );
    } else {
        println!("demo data already present (org \"{}\")", demo::ORG_NAME);
    }
    Ok(())
}

/// A build without the `demo` feature (a production image) has none to make.
#[cfg(not(feature = "demo"))]
async fn demo_data(_: Config) -> anyhow::Result<()> {
    anyhow::bail!("this build has no demo data (built without the `demo` feature)")
}
