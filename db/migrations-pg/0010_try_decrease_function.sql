-- tryDecreaseQuantity in one round trip (lib/payments/items.ts `tryDecrease`), with the lock order of
-- lib/payments/ledger.ts: the balance row, then the grants, then the ledger row. Each statement of a
-- volatile function takes a fresh snapshot, so the grants are read after the balance row is held and
-- are current. The spend order is ledger.ts `spendOrder`; the PostgreSQL suite runs the spend-order,
-- model and torture tests through this function. Returns the quantity left, or null when nothing was
-- taken; `due` says whether something is due first (an expiry, a window), which the caller settles.
CREATE FUNCTION "tally_try_decrease"(
  p_type text, p_id text, p_item text, p_n bigint, p_at bigint, p_actor text, p_description text,
  OUT left_after bigint, OUT due boolean
) LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  live record;
  need bigint := p_n;
  take bigint;
BEGIN
  due := false;
  UPDATE "item_balance" SET "quantity" = "quantity" - p_n
    WHERE "customer_type" = p_type AND "customer_id" = p_id AND "item_id" = p_item
      AND "quantity" >= p_n AND ("next_event_at" IS NULL OR "next_event_at" > p_at)
    RETURNING "quantity" INTO left_after;
  IF NOT FOUND THEN
    SELECT coalesce(bool_or("next_event_at" <= p_at), true) INTO due FROM "item_balance"
      WHERE "customer_type" = p_type AND "customer_id" = p_id AND "item_id" = p_item;
    RETURN;
  END IF;
  FOR live IN
    SELECT "id", "remaining" FROM "item_grant"
      WHERE "customer_type" = p_type AND "customer_id" = p_id AND "item_id" = p_item AND "remaining" > 0
      ORDER BY ("use_by" IS NULL), "use_by", "id"
  LOOP
    take := least(need, live."remaining");
    UPDATE "item_grant" SET "remaining" = "remaining" - take WHERE "id" = live."id";
    need := need - take;
    EXIT WHEN need = 0;
  END LOOP;
  IF need <> 0 THEN
    RAISE EXCEPTION 'balance and grants disagree for %/%/%', p_type, p_id, p_item;
  END IF;
  INSERT INTO "item_ledger" ("customer_type", "customer_id", "item_id", "delta", "balance_after", "reason", "actor", "description", "created_at")
    VALUES (p_type, p_id, p_item, -p_n, left_after, 'consumption', p_actor, p_description, p_at);
END $$;
