-- The API key that created a campaign (sha256 of the key, as in api_keys.key_hash), so that the
-- API can cap each key's active campaigns and pending evaluations. NULL for campaigns created
-- before it was recorded, which count against no key.
ALTER TABLE "campaigns" ADD COLUMN "owner_key_hash" TEXT;

CREATE INDEX "campaigns_owner_key_hash_status_idx" ON "campaigns"("owner_key_hash", "status");
