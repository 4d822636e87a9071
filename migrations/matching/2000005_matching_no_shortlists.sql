-- Pages of matches are derived again on each request from what the employee
-- set (assessment, preferences) instead of being stored on every read: the
-- stored shortlists go.
DROP TABLE IF EXISTS matching_shortlists;
