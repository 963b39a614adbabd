-- AlterTable
ALTER TABLE "rounds" ADD COLUMN     "info" JSONB NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "trials" ADD COLUMN     "predicted_accuracy" DOUBLE PRECISION,
ADD COLUMN     "predicted_flops" DOUBLE PRECISION;

-- CreateTable
CREATE TABLE "model_snapshots" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "campaign_id" UUID NOT NULL,
    "round_id" UUID NOT NULL,
    "round_index" INTEGER NOT NULL,
    "strategy" TEXT NOT NULL,
    "backend" TEXT,
    "state" BYTEA NOT NULL,
    "size_bytes" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "model_snapshots_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "model_snapshots_round_id_key" ON "model_snapshots"("round_id");

-- CreateIndex
CREATE INDEX "model_snapshots_campaign_id_round_index_idx" ON "model_snapshots"("campaign_id", "round_index");

-- AddForeignKey
ALTER TABLE "model_snapshots" ADD CONSTRAINT "model_snapshots_round_id_fkey" FOREIGN KEY ("round_id") REFERENCES "rounds"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The view gains the model's predictions (a view's new columns must come last).
CREATE OR REPLACE VIEW "campaign_evaluations" AS
SELECT
    t."campaign_id",
    c."name" AS "campaign_name",
    r."index" AS "round",
    a."arch_string",
    e."validation_accuracy",
    e."test_accuracy",
    e."flops",
    e."params",
    e."worker",
    t."cached",
    e."duration_ms",
    t."created_at" AS "proposed_at",
    e."created_at" AS "evaluated_at",
    t."finished_at" AS "recorded_at",
    a."canonical_hash",
    t."id" AS "trial_id",
    e."id" AS "evaluation_id",
    r."strategy",
    t."predicted_accuracy",
    t."predicted_flops"
FROM "trials" t
JOIN "campaigns" c ON c."id" = t."campaign_id"
JOIN "rounds" r ON r."id" = t."round_id"
JOIN "architectures" a ON a."id" = t."architecture_id"
JOIN "evaluations" e ON e."id" = t."evaluation_id"
WHERE t."status" = 'completed';
