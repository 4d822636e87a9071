//! `taiwa bench …`: the benchmarks whose figures BENCHMARKS.md records.

use clap::Subcommand;
use shared::config::Config;

#[derive(Subcommand)]
pub enum BenchCommand {
    /// The match index against the memory-bandwidth floor, FAISS, numpy and PostgreSQL.
    Matching {
        /// Consultants in the index.
        #[arg(long, default_value_t = 100_000)]
        consultants: usize,
        /// Catalogues to measure on: uniform, clustered, near-duplicate, assessments.
        #[arg(
            long,
            value_delimiter = ',',
            default_value = "uniform,clustered,near-duplicate,assessments"
        )]
        data: Vec<taiwa_matching::bench::DataSet>,
        /// Queries timed per engine.
        #[arg(long, default_value_t = 1000)]
        queries: usize,
        /// PostgreSQL for the SQL peer (e.g. postgres://postgres@127.0.0.1:5432/test).
        #[arg(long)]
        postgres_url: Option<String>,
        /// Simulated employees for the fairness measurement.
        #[arg(long, default_value_t = 10_000)]
        employees: usize,
        /// Consultants in the fairness simulation.
        #[arg(long, default_value_t = 1000)]
        fairness_consultants: usize,
    },
    /// Bookings/s on PostgreSQL against pgbench, the 100-way race, a 90-day slot list.
    Booking {
        /// PostgreSQL server (a scratch database is created and dropped on it).
        #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432/test")]
        postgres_url: String,
        /// Bookings for the throughput figure.
        #[arg(long, default_value_t = 3000)]
        bookings: usize,
        /// Concurrent clients.
        #[arg(long, default_value_t = 8)]
        clients: usize,
        /// Client orgs the bookings are spread over (each has one credit
        /// balance row, as each of TPC-B's branches has one row).
        #[arg(long, default_value_t = 1)]
        orgs: usize,
        /// Seconds pgbench runs.
        #[arg(long, default_value_t = 15)]
        pgbench_seconds: u64,
    },
    /// The outboxes under steady writes: backlog, and the time to drain it.
    Outbox {
        /// Writes a second (bookings and their cancellations, half each).
        #[arg(long, default_value_t = 100)]
        rate: u32,
        /// Seconds of load.
        #[arg(long, default_value_t = 60)]
        seconds: u64,
    },
    /// The ten most used web pages: time per page and bytes of a first visit.
    Web {
        /// Requests per page (the median and p95 are printed).
        #[arg(long, default_value_t = 200)]
        runs: usize,
        /// Concurrent connections: above 1, each page and the matches API
        /// are loaded by wrk beside an axum hello-world.
        #[arg(long, default_value_t = 1)]
        connections: usize,
        /// Seconds of wrk's load per target (with --connections above 1).
        #[arg(long, default_value_t = 10)]
        seconds: u64,
    },
    /// Start to ready of `taiwa serve` on a fresh folder and at a large catalogue, and its memory under load.
    Startup {
        /// Consultants in the catalogue (the demo's plus simulated ones).
        #[arg(long, default_value_t = 10_000)]
        consultants: usize,
        /// Starts timed at that size.
        #[arg(long, default_value_t = 5)]
        runs: usize,
    },
    /// The theme report's time over 100k and 1M records on PostgreSQL.
    Reporting {
        /// PostgreSQL server (a scratch database is created and dropped on it).
        #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432/test")]
        postgres_url: String,
        /// Record counts to measure at, ascending.
        #[arg(long, value_delimiter = ',', default_value = "100000,1000000")]
        sizes: Vec<usize>,
        /// Timed runs per size (the median is printed).
        #[arg(long, default_value_t = 5)]
        runs: usize,
    },
}

/// Runs a benchmark.
pub async fn run(command: BenchCommand, config: Config) -> anyhow::Result<()> {
    match command {
        BenchCommand::Matching {
            consultants,
            data,
            queries,
            postgres_url,
            employees,
            fairness_consultants,
        } => {
            let options = taiwa_matching::bench::BenchOptions {
                consultants,
                queries: queries.max(30),
                postgres_url,
                employees,
                fairness_consultants: fairness_consultants.max(20),
                data,
            };
            taiwa_matching::bench::run(&options).await
        }
        BenchCommand::Booking {
            postgres_url,
            bookings,
            clients,
            orgs,
            pgbench_seconds,
        } => {
            let options = taiwa_booking::bench::BenchOptions {
                postgres_url,
                bookings: bookings.max(100),
                clients: clients.max(1),
                orgs: orgs.max(1),
                pgbench_seconds,
            };
            taiwa_booking::bench::run(&options).await
        }
        BenchCommand::Web {
            runs,
            connections,
            seconds,
        } => crate::bench_web::run(config, runs, connections, seconds).await,
        BenchCommand::Startup { consultants, runs } => {
            crate::bench_startup::run(consultants, runs).await
        }
        BenchCommand::Outbox { rate, seconds } => {
            crate::bench_outbox::run(config, rate, seconds).await
        }
        BenchCommand::Reporting {
            postgres_url,
            mut sizes,
            runs,
        } => {
            sizes.sort_unstable();
            sizes.dedup();
            let options = taiwa_reporting::bench::BenchOptions {
                postgres_url,
                sizes,
                runs,
            };
            taiwa_reporting::bench::run(&options).await
        }
    }
}
