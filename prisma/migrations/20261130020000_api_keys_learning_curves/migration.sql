-- CreateTable
CREATE TABLE "api_keys" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "learning_curve_points" (
    "architecture_id" UUID NOT NULL,
    "evaluator_fingerprint" TEXT NOT NULL,
    "epoch" INTEGER NOT NULL,
    "train_loss" DOUBLE PRECISION,
    "train_accuracy" DOUBLE PRECISION,
    "validation_loss" DOUBLE PRECISION,
    "validation_accuracy" DOUBLE PRECISION,
    "learning_rate" DOUBLE PRECISION,
    "duration_ms" INTEGER NOT NULL,
    "worker" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "learning_curve_points_pkey" PRIMARY KEY ("architecture_id","evaluator_fingerprint","epoch")
);

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_key_hash_key" ON "api_keys"("key_hash");

-- AddForeignKey
ALTER TABLE "learning_curve_points" ADD CONSTRAINT "learning_curve_points_architecture_id_fkey" FOREIGN KEY ("architecture_id") REFERENCES "architectures"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
