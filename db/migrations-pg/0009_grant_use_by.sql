DROP INDEX "item_grant_live_spend_order_idx";--> statement-breakpoint
ALTER TABLE "item_grant" ADD COLUMN "use_by" bigint;--> statement-breakpoint
-- Dated grants are used by their expiry; a live window that resets gets its next window's start when it is next granted.
UPDATE item_grant SET use_by = expires_at;--> statement-breakpoint
CREATE INDEX "item_grant_live_spend_order_idx" ON "item_grant" USING btree ("customer_type","customer_id","item_id",("use_by" is null),"use_by","id") WHERE remaining > 0;