-- Evaluators without a test figure (the enas-6-table evaluator: D-VAE's table holds a
-- weight-sharing validation accuracy only) record test_accuracy as NULL rather than a number
-- that could pass for a held-out result.
ALTER TABLE "evaluations" ALTER COLUMN "test_accuracy" DROP NOT NULL;

-- Ties on validation accuracy go to test accuracy; a missing one ranks last (PostgreSQL puts
-- NULLs first in DESC order otherwise). Same columns as before.
CREATE OR REPLACE VIEW "campaign_leaderboard" AS
SELECT
    ce."campaign_id",
    ce."campaign_name",
    rank() OVER (
        PARTITION BY ce."campaign_id"
        ORDER BY ce."validation_accuracy" DESC, ce."test_accuracy" DESC NULLS LAST
    ) AS "rank",
    ce."arch_string",
    ce."validation_accuracy",
    ce."test_accuracy",
    ce."flops",
    ce."params",
    ce."round",
    ce."recorded_at"
FROM "campaign_evaluations" ce;

-- Two search spaces now share evaluator kinds and datasets (train on cifar10 scores NAS-Bench-201
-- and ENAS-6 cells): the best architecture is per search space too, named in a new last column.
DROP VIEW "best_architecture_per_dataset";
CREATE VIEW "best_architecture_per_dataset" AS
SELECT DISTINCT ON (e."evaluator" ->> 'kind', e."evaluator" ->> 'dataset', a."search_space")
    e."evaluator" ->> 'kind' AS "evaluator",
    e."evaluator" ->> 'dataset' AS "dataset",
    a."arch_string",
    e."validation_accuracy",
    e."test_accuracy",
    e."flops",
    e."params",
    e."created_at" AS "evaluated_at",
    (SELECT count(*) FROM "evaluations" same
     WHERE same."evaluator_fingerprint" = e."evaluator_fingerprint") AS "evaluations",
    a."search_space"
FROM "evaluations" e
JOIN "architectures" a ON a."id" = e."architecture_id"
ORDER BY e."evaluator" ->> 'kind', e."evaluator" ->> 'dataset', a."search_space",
         e."validation_accuracy" DESC, e."test_accuracy" DESC NULLS LAST;
