-- Campaign control (POST /campaigns/:id/pause, /resume, /cancel): a campaign can be paused.
-- A paused campaign plans no round and its evaluate jobs are held until it is resumed.
-- ADD VALUE may run inside the migration's transaction (PostgreSQL 12+), but the new value
-- cannot be used before that transaction commits: nothing below may use 'paused'.
-- Views read campaigns.status but do not depend on the type's values: none needs rebuilding.
ALTER TYPE "campaign_status" ADD VALUE IF NOT EXISTS 'paused' AFTER 'running';
