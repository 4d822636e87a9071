//! `taiwa operator …`: operators' accounts.

use clap::Subcommand;
use shared::config::Config;

use crate::app::Foundation;

#[derive(Subcommand)]
pub enum OperatorCommand {
    /// Print a one-time code (24 hours) with which an operator without a
    /// second factor sets one up — the first operator's way in, or after a
    /// lost authenticator was reset.
    EnrolmentCode {
        /// The operator's email.
        email: String,
    },
}

/// Runs an operator command.
pub async fn run(command: OperatorCommand, config: Config) -> anyhow::Result<()> {
    match command {
        OperatorCommand::EnrolmentCode { email } => {
            let base = Foundation::prepare(Config {
                demo_data: false,
                ..config
            })
            .await?;
            let (email, code, expires_at) =
                taiwa_identity::enrolment::issue_for_operator(&base.db, &email).await?;
            println!(
                "enrolment code for {}: {code} (until {}; works once)",
                email,
                shared::time::from_db(expires_at).to_rfc3339()
            );
            Ok(())
        }
    }
}
