CREATE TABLE "activity_note" (
	"id" text PRIMARY KEY NOT NULL,
	"customer_type" text NOT NULL,
	"customer_id" text NOT NULL,
	"text" text NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "purchase_change" (
	"id" text PRIMARY KEY NOT NULL,
	"purchase_id" text NOT NULL,
	"customer_type" text NOT NULL,
	"customer_id" text NOT NULL,
	"product_id" text NOT NULL,
	"change" text NOT NULL,
	"at" bigint NOT NULL,
	"handled_at" bigint,
	"leased_until" bigint,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text
);
--> statement-breakpoint
ALTER TABLE "purchase_change" ADD CONSTRAINT "purchase_change_purchase_id_purchase_id_fk" FOREIGN KEY ("purchase_id") REFERENCES "public"."purchase"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "activity_note_customer_idx" ON "activity_note" USING btree ("customer_type","customer_id","created_at");--> statement-breakpoint
CREATE INDEX "purchase_change_pending_idx" ON "purchase_change" USING btree ("handled_at","at");