-- Views for the questions users ask in psql (not modelled in schema.prisma).

-- Every evaluated architecture of a campaign with its rank by validation accuracy (the search
-- signal; ties go to test accuracy).
CREATE VIEW "campaign_leaderboard" AS
SELECT
    ce."campaign_id",
    ce."campaign_name",
    rank() OVER (
        PARTITION BY ce."campaign_id"
        ORDER BY ce."validation_accuracy" DESC, ce."test_accuracy" DESC
    ) AS "rank",
    ce."arch_string",
    ce."validation_accuracy",
    ce."test_accuracy",
    ce."flops",
    ce."params",
    ce."round",
    ce."recorded_at"
FROM "campaign_evaluations" ce;

-- The accuracy-vs-FLOPs Pareto front of each campaign: evaluations that no other evaluation of
-- the same campaign beats on one of validation accuracy (higher) and FLOPs (lower) while at
-- least matching it on the other.
CREATE VIEW "campaign_pareto_front" AS
SELECT
    ce."campaign_id",
    ce."campaign_name",
    ce."arch_string",
    ce."validation_accuracy",
    ce."test_accuracy",
    ce."flops",
    ce."params",
    ce."round"
FROM "campaign_evaluations" ce
WHERE NOT EXISTS (
    SELECT 1
    FROM "campaign_evaluations" other
    WHERE other."campaign_id" = ce."campaign_id"
      AND other."validation_accuracy" >= ce."validation_accuracy"
      AND other."flops" <= ce."flops"
      AND (other."validation_accuracy" > ce."validation_accuracy" OR other."flops" < ce."flops")
);

-- Evaluations over time: the n-th recorded evaluation of each campaign, and the best validation
-- accuracy so far (what a "best vs evaluations spent" plot draws).
CREATE VIEW "campaign_progress" AS
SELECT
    ce."campaign_id",
    ce."campaign_name",
    row_number() OVER w AS "evaluation",
    ce."recorded_at",
    ce."round",
    ce."arch_string",
    ce."validation_accuracy",
    max(ce."validation_accuracy") OVER w AS "best_validation_accuracy"
FROM "campaign_evaluations" ce
WINDOW w AS (
    PARTITION BY ce."campaign_id"
    ORDER BY ce."recorded_at", ce."trial_id"
    ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
);

-- The best architecture evaluated so far for each evaluator kind and dataset, across campaigns.
CREATE VIEW "best_architecture_per_dataset" AS
SELECT DISTINCT ON (e."evaluator" ->> 'kind', e."evaluator" ->> 'dataset')
    e."evaluator" ->> 'kind' AS "evaluator",
    e."evaluator" ->> 'dataset' AS "dataset",
    a."arch_string",
    e."validation_accuracy",
    e."test_accuracy",
    e."flops",
    e."params",
    e."created_at" AS "evaluated_at",
    (SELECT count(*) FROM "evaluations" same
     WHERE same."evaluator_fingerprint" = e."evaluator_fingerprint") AS "evaluations"
FROM "evaluations" e
JOIN "architectures" a ON a."id" = e."architecture_id"
ORDER BY e."evaluator" ->> 'kind', e."evaluator" ->> 'dataset',
         e."validation_accuracy" DESC, e."test_accuracy" DESC;
