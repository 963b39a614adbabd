-- Training evaluators (issue 4): an evaluation may end early (a hopeless run stopped by the
-- campaign's early-stopping rule). It is recorded with its last figures and marked, so it is
-- never mistaken for a finished result. `epochs` is how many epochs were trained (NULL for
-- evaluators that do not train, such as the NAS-Bench-201 table).
ALTER TABLE "evaluations" ADD COLUMN "stopped_early" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "evaluations" ADD COLUMN "epochs" INTEGER;
