-- CreateEnum
CREATE TYPE "campaign_status" AS ENUM ('queued', 'running', 'completed', 'failed', 'cancelled');

-- CreateEnum
CREATE TYPE "round_status" AS ENUM ('running', 'completed', 'failed');

-- CreateEnum
CREATE TYPE "trial_status" AS ENUM ('pending', 'completed', 'failed');

-- CreateTable
CREATE TABLE "campaigns" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "status" "campaign_status" NOT NULL DEFAULT 'queued',
    "search_space" TEXT NOT NULL,
    "evaluator" JSONB NOT NULL,
    "evaluator_fingerprint" TEXT NOT NULL,
    "strategy" JSONB NOT NULL,
    "budget_evaluations" INTEGER NOT NULL,
    "round_size" INTEGER NOT NULL,
    "seed" INTEGER NOT NULL,
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "campaigns_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rounds" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "campaign_id" UUID NOT NULL,
    "index" INTEGER NOT NULL,
    "status" "round_status" NOT NULL DEFAULT 'running',
    "strategy" TEXT NOT NULL,
    "proposed" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "rounds_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "architectures" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "search_space" TEXT NOT NULL,
    "canonical_hash" TEXT NOT NULL,
    "arch_string" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "architectures_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "evaluations" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "architecture_id" UUID NOT NULL,
    "evaluator_fingerprint" TEXT NOT NULL,
    "evaluator" JSONB NOT NULL,
    "validation_accuracy" DOUBLE PRECISION NOT NULL,
    "test_accuracy" DOUBLE PRECISION NOT NULL,
    "flops" DOUBLE PRECISION NOT NULL,
    "params" DOUBLE PRECISION NOT NULL,
    "metrics" JSONB NOT NULL DEFAULT '{}',
    "worker" TEXT NOT NULL,
    "duration_ms" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "evaluations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "trials" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "campaign_id" UUID NOT NULL,
    "round_id" UUID NOT NULL,
    "architecture_id" UUID NOT NULL,
    "arch_string" TEXT NOT NULL,
    "status" "trial_status" NOT NULL DEFAULT 'pending',
    "evaluation_id" UUID,
    "cached" BOOLEAN NOT NULL DEFAULT false,
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "trials_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "campaigns_status_created_at_idx" ON "campaigns"("status", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "rounds_campaign_id_index_key" ON "rounds"("campaign_id", "index");

-- CreateIndex
CREATE UNIQUE INDEX "architectures_search_space_canonical_hash_key" ON "architectures"("search_space", "canonical_hash");

-- CreateIndex
CREATE UNIQUE INDEX "evaluations_architecture_id_evaluator_fingerprint_key" ON "evaluations"("architecture_id", "evaluator_fingerprint");

-- CreateIndex
CREATE INDEX "trials_round_id_idx" ON "trials"("round_id");

-- CreateIndex
CREATE INDEX "trials_evaluation_id_idx" ON "trials"("evaluation_id");

-- CreateIndex
CREATE UNIQUE INDEX "trials_campaign_id_architecture_id_key" ON "trials"("campaign_id", "architecture_id");

-- AddForeignKey
ALTER TABLE "rounds" ADD CONSTRAINT "rounds_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "evaluations" ADD CONSTRAINT "evaluations_architecture_id_fkey" FOREIGN KEY ("architecture_id") REFERENCES "architectures"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trials" ADD CONSTRAINT "trials_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trials" ADD CONSTRAINT "trials_round_id_fkey" FOREIGN KEY ("round_id") REFERENCES "rounds"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trials" ADD CONSTRAINT "trials_architecture_id_fkey" FOREIGN KEY ("architecture_id") REFERENCES "architectures"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trials" ADD CONSTRAINT "trials_evaluation_id_fkey" FOREIGN KEY ("evaluation_id") REFERENCES "evaluations"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- CreateView (not modelled in schema.prisma): one row per architecture a campaign evaluated,
-- with everything a user asks of it in psql.
CREATE VIEW "campaign_evaluations" AS
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
    e."id" AS "evaluation_id"
FROM "trials" t
JOIN "campaigns" c ON c."id" = t."campaign_id"
JOIN "rounds" r ON r."id" = t."round_id"
JOIN "architectures" a ON a."id" = t."architecture_id"
JOIN "evaluations" e ON e."id" = t."evaluation_id"
WHERE t."status" = 'completed';
