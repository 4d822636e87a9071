//! `taiwa matching …`: matching's maintenance commands.

use clap::Subcommand;
use shared::config::Config;

use crate::app::Foundation;

#[derive(Subcommand)]
pub enum MatchingCommand {
    /// Learn ranking weights from session ratings (linfa logistic regression);
    /// they are used from the next start when they beat the hand-set weights.
    Train,
}

/// Runs a matching command.
pub async fn run(command: MatchingCommand, config: Config) -> anyhow::Result<()> {
    match command {
        MatchingCommand::Train => {
            let base = Foundation::prepare(Config {
                demo_data: false,
                ..config
            })
            .await?;
            let report = taiwa_matching::train::train(&base.db).await?;
            let m = &report.model;
            println!(
                "trained on {} ratings, evaluated on {} held-out ones",
                m.train_rows, m.test_rows
            );
            println!(
                "  logistic coefficients: values {:.3}, rating {:.3}, intercept {:.3}",
                report.coefficients.0, report.coefficients.1, report.coefficients.2
            );
            println!(
                "  held-out AUC (rated 4–5): learned {:.4}, hand-set {:.4}",
                m.auc_learned, m.auc_handset
            );
            if m.active {
                println!(
                    "  the learned weights are better and will be used from the next start: {:?}",
                    m.weights
                );
            } else {
                println!("  the hand-set weights stay: the learned model is not better");
            }
            Ok(())
        }
    }
}
