CREATE TABLE `notice` (
	`id` text PRIMARY KEY NOT NULL,
	`customer_type` text NOT NULL,
	`customer_id` text NOT NULL,
	`kind` text NOT NULL,
	`text` text NOT NULL,
	`link` text NOT NULL,
	`created_at` integer NOT NULL,
	`mailed_at` integer,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `notice_customer_idx` ON `notice` (`customer_type`,`customer_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `notice_unmailed_idx` ON `notice` (`mailed_at`,`next_attempt_at`);