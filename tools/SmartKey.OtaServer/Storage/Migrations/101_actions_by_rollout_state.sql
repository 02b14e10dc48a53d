-- The driver's every run asks which of a rollout's locks wait for an offer, and how many are in flight:
-- without this index each of those read all of the rollout's actions.
CREATE INDEX actions_by_rollout_state ON actions (rollout_id, state);
