CREATE TABLE `activity_note` (
	`id` text PRIMARY KEY NOT NULL,
	`customer_type` text NOT NULL,
	`customer_id` text NOT NULL,
	`text` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `activity_note_customer_idx` ON `activity_note` (`customer_type`,`customer_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `purchase_change` (
	`id` text PRIMARY KEY NOT NULL,
	`purchase_id` text NOT NULL,
	`customer_type` text NOT NULL,
	`customer_id` text NOT NULL,
	`product_id` text NOT NULL,
	`change` text NOT NULL,
	`at` integer NOT NULL,
	`handled_at` integer,
	`leased_until` integer,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	FOREIGN KEY (`purchase_id`) REFERENCES `purchase`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `purchase_change_pending_idx` ON `purchase_change` (`handled_at`,`at`);