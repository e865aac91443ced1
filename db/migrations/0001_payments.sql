CREATE TABLE `item_balance` (
	`customer_type` text NOT NULL,
	`customer_id` text NOT NULL,
	`item_id` text NOT NULL,
	`quantity` integer NOT NULL,
	`debt` integer NOT NULL,
	`next_event_at` integer,
	`settled_at` integer NOT NULL,
	PRIMARY KEY(`customer_type`, `customer_id`, `item_id`)
);
--> statement-breakpoint
CREATE TABLE `item_grant` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`customer_type` text NOT NULL,
	`customer_id` text NOT NULL,
	`item_id` text NOT NULL,
	`purchase_id` text,
	`window_index` integer,
	`quantity` integer NOT NULL,
	`remaining` integer NOT NULL,
	`granted_at` integer NOT NULL,
	`expires_at` integer,
	`revoked_at` integer,
	FOREIGN KEY (`purchase_id`) REFERENCES `purchase`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `item_grant_customer_item_idx` ON `item_grant` (`customer_type`,`customer_id`,`item_id`,`expires_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `item_grant_purchase_window_uidx` ON `item_grant` (`purchase_id`,`item_id`,`window_index`);--> statement-breakpoint
CREATE TABLE `item_ledger` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`customer_type` text NOT NULL,
	`customer_id` text NOT NULL,
	`item_id` text NOT NULL,
	`delta` integer NOT NULL,
	`balance_after` integer NOT NULL,
	`reason` text NOT NULL,
	`purchase_id` text,
	`grant_id` integer,
	`stripe_event_id` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `item_ledger_customer_idx` ON `item_ledger` (`customer_type`,`customer_id`,`id`);--> statement-breakpoint
CREATE TABLE `purchase` (
	`id` text PRIMARY KEY NOT NULL,
	`customer_type` text NOT NULL,
	`customer_id` text NOT NULL,
	`product_id` text NOT NULL,
	`product_line` text,
	`product` text NOT NULL,
	`quantity` integer NOT NULL,
	`source` text NOT NULL,
	`status` text NOT NULL,
	`started_at` integer NOT NULL,
	`paid_through` integer,
	`cancel_at_period_end` integer DEFAULT false NOT NULL,
	`ended_at` integer,
	`stripe_subscription_id` text,
	`stripe_payment_intent_id` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `purchase_stripe_subscription_id_unique` ON `purchase` (`stripe_subscription_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `purchase_stripe_payment_intent_id_unique` ON `purchase` (`stripe_payment_intent_id`);--> statement-breakpoint
CREATE INDEX `purchase_customer_idx` ON `purchase` (`customer_type`,`customer_id`);