//! Recording an assessment: the scored values vector is stored; a
//! consultant's also goes into the match index at once, and the other
//! services learn that their profile changed.

use shared::auth::Caller;
use shared::contracts::ConsultantChanged;
use shared::error::ApiError;
use shared::time;

use crate::domain::instrument::{Answers, VERSION, ValuesVector};
use crate::domain::profile::ConsultantId;
use crate::policy::answers_as_consultant;
use crate::{MatchingState, OUTBOX, store};

/// Stores `caller`'s answers (access already decided) and returns the
/// assessment's id and its values vector.
#[tracing::instrument(name = "matching.submit_assessment", skip_all)]
pub async fn record_answers(
    state: &MatchingState,
    caller: &Caller,
    answers: &Answers,
) -> Result<(String, ValuesVector), ApiError> {
    let vector = answers.score();
    let id = uuid::Uuid::now_v7().to_string();
    let mut tx = state.db.begin_write().await?;
    store::insert_assessment(
        &mut tx,
        &id,
        caller.user_id,
        VERSION,
        &answers.pairs(),
        &vector,
        time::to_db(time::now()),
    )
    .await?;
    let consultant = answers_as_consultant(caller).then_some(ConsultantId(caller.user_id.0));
    if consultant.is_some() {
        OUTBOX
            .publish(
                &mut tx,
                &ConsultantChanged {
                    consultant_id: caller.user_id,
                    // A new vector changes nothing of who may book them.
                    standing: None,
                },
            )
            .await?;
    }
    state
        .employees
        .commit_then_forget(tx, caller.user_id)
        .await?;
    if let Some(consultant_id) = consultant {
        state
            .index
            .set_vector(consultant_id, vector.matching_form());
        state.wakeup.wake();
    }
    Ok((id, vector))
}
