CREATE TABLE "item_debt" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"customer_type" text NOT NULL,
	"customer_id" text NOT NULL,
	"item_id" text NOT NULL,
	"remaining" bigint NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "item_debt_open_idx" ON "item_debt" USING btree ("customer_type","customer_id","item_id","created_at","id") WHERE remaining > 0;--> statement-breakpoint
-- Debt from before this table: one row per balance, as old as can be, so any grant may pay it.
INSERT INTO item_debt (customer_type, customer_id, item_id, remaining, created_at) SELECT customer_type, customer_id, item_id, debt, 0 FROM item_balance WHERE debt > 0;
