-- Admin keys (`nasvae keys create --admin`, or `admin:` entries of API_KEYS) may use the queue
-- dashboard's actions (retry, clean, pause, empty, obliterate...); other keys may not.
ALTER TABLE "api_keys" ADD COLUMN "admin" BOOLEAN NOT NULL DEFAULT false;
