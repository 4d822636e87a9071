-- Reporting: the theme taxonomy and de-identified session records.
-- A record holds no employee, consultant or booking id and no exact time:
-- org, month, a per-org-and-month pseudonym (to count distinct people),
-- theme codes, a scrubbed summary, and consented cohort attributes.

CREATE TABLE reporting_themes (
    code      TEXT PRIMARY KEY,
    label_ja  TEXT NOT NULL,
    label_en  TEXT NOT NULL,
    sensitive BIGINT NOT NULL              -- 1: never in HR reports (operator only)
);

INSERT INTO reporting_themes (code, label_ja, label_en, sensitive) VALUES
    ('career_direction', 'キャリアの方向性', 'Career direction', 0),
    ('skills', 'スキル・学び直し', 'Skills and learning', 0),
    ('workload', '業務量・働き方', 'Workload and ways of working', 0),
    ('manager_relationship', '上司との関係', 'Relationship with the manager', 0),
    ('team_relationships', '職場の人間関係', 'Team relationships', 0),
    ('evaluation', '評価・昇進', 'Evaluation and promotion', 0),
    ('pay', '給与・処遇', 'Pay and conditions', 0),
    ('transfer', '異動・配置', 'Transfer and placement', 0),
    ('life_events', '育児・介護・ライフイベント', 'Life events (childcare, care)', 0),
    ('job_change', '転職・社外の選択肢', 'Leaving or outside options', 0),
    ('second_career', 'セカンドキャリア', 'Second career', 0),
    ('health', '心身の健康', 'Health', 1),
    ('harassment', 'ハラスメント', 'Harassment', 1);

CREATE TABLE reporting_records (
    id          TEXT PRIMARY KEY,          -- the hand-off event's id (idempotent intake)
    org_id      TEXT NOT NULL,
    period      TEXT NOT NULL,             -- YYYY-MM
    pseudonym   TEXT NOT NULL,             -- keyed hash of the person within org and month
    themes      TEXT NOT NULL,             -- JSON array of codes
    summary     TEXT NOT NULL,             -- scrubbed by booking; never shown verbatim to HR
    cohort      TEXT,                      -- JSON object of consented attributes, or NULL
    received_at BIGINT NOT NULL
);
CREATE INDEX reporting_records_org_period ON reporting_records (org_id, period);
