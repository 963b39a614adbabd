-- POST /campaigns in one round trip: takes the key's quota lock, checks its caps and inserts the
-- campaign, or inserts nothing and says which cap it would pass (`refused`, with the key's count).
-- It was an interactive transaction of five round trips (BEGIN, lock, count, insert, COMMIT), with
-- the per-key lock held across all of them: one key's concurrent POSTs queued behind each other's
-- round trips. In a VOLATILE plpgsql function each statement takes a new snapshot, so the count,
-- taken after the lock, sees every campaign committed by the request that held the lock before.
-- Pending evaluations are summed exactly (a count of completed trials per active campaign) only
-- when the budgets of the active campaigns, their upper bound, do not already fit the cap.
CREATE FUNCTION "create_campaign_within_quota"(
  p_owner_key_hash TEXT,
  p_name TEXT,
  p_search_space TEXT,
  p_evaluator JSONB,
  p_evaluator_fingerprint TEXT,
  p_strategy JSONB,
  p_budget_evaluations INTEGER,
  p_round_size INTEGER,
  p_seed INTEGER,
  p_max_active_campaigns INTEGER,
  p_max_pending_evaluations INTEGER
)
RETURNS TABLE ("refused" TEXT, "current" INTEGER, "id" UUID, "created_at" TIMESTAMPTZ(3))
LANGUAGE plpgsql
VOLATILE
SET search_path FROM CURRENT
AS $$
#variable_conflict use_column
DECLARE
  v_active INTEGER;
  v_budgets BIGINT;
  v_pending BIGINT;
  v_id UUID;
  v_created_at TIMESTAMPTZ(3);
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('campaign-quota:' || p_owner_key_hash, 0));
  SELECT count(*)::INTEGER, COALESCE(sum(c.budget_evaluations), 0)
    INTO v_active, v_budgets
    FROM campaigns c
   WHERE c.owner_key_hash = p_owner_key_hash
     AND c.status IN ('queued', 'running', 'paused');
  IF v_active + 1 > p_max_active_campaigns THEN
    RETURN QUERY SELECT 'MAX_ACTIVE_CAMPAIGNS_PER_KEY'::TEXT, v_active, NULL::UUID, NULL::TIMESTAMPTZ(3);
    RETURN;
  END IF;
  IF v_budgets + p_budget_evaluations > p_max_pending_evaluations THEN
    SELECT COALESCE(sum(GREATEST(c.budget_evaluations - (
             SELECT count(*) FROM trials t WHERE t.campaign_id = c.id AND t.status = 'completed'
           ), 0)), 0)
      INTO v_pending
      FROM campaigns c
     WHERE c.owner_key_hash = p_owner_key_hash
       AND c.status IN ('queued', 'running', 'paused');
    IF v_pending + p_budget_evaluations > p_max_pending_evaluations THEN
      RETURN QUERY SELECT 'MAX_PENDING_EVALUATIONS_PER_KEY'::TEXT, v_pending::INTEGER, NULL::UUID,
        NULL::TIMESTAMPTZ(3);
      RETURN;
    END IF;
  END IF;
  INSERT INTO campaigns AS c (name, search_space, evaluator, evaluator_fingerprint, strategy,
                              budget_evaluations, round_size, seed, owner_key_hash)
  VALUES (p_name, p_search_space, p_evaluator, p_evaluator_fingerprint, p_strategy,
          p_budget_evaluations, p_round_size, p_seed, p_owner_key_hash)
  RETURNING c.id, c.created_at INTO v_id, v_created_at;
  RETURN QUERY SELECT NULL::TEXT, NULL::INTEGER, v_id, v_created_at;
END
$$;
