-- Ranking models learned by `taiwa matching train` from session ratings.
-- The newest active one sets the default weights; before any, the hand-set
-- weights apply.

CREATE TABLE matching_models (
    id           TEXT PRIMARY KEY,
    created_at   BIGINT NOT NULL,
    weights      TEXT NOT NULL,                  -- JSON {values, specialty, availability, rating}
    auc_learned  DOUBLE PRECISION NOT NULL,      -- held-out AUC of the learned model
    auc_handset  DOUBLE PRECISION NOT NULL,      -- held-out AUC of the hand-set weights, same split
    train_rows   BIGINT NOT NULL,
    test_rows    BIGINT NOT NULL,
    active       BIGINT NOT NULL                 -- 1 when it beat the hand-set weights
);
