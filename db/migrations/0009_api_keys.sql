CREATE TABLE `api_key` (
	`id` text PRIMARY KEY NOT NULL,
	`team_id` text NOT NULL,
	`name` text NOT NULL,
	`prefix` text NOT NULL,
	`secret_hash` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_used_at` integer,
	`revoked_at` integer,
	FOREIGN KEY (`team_id`) REFERENCES `organization`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_key_secret_hash_unique` ON `api_key` (`secret_hash`);--> statement-breakpoint
CREATE INDEX `api_key_team_idx` ON `api_key` (`team_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `idempotency_key` (
	`team_id` text NOT NULL,
	`key` text NOT NULL,
	`request_hash` text NOT NULL,
	`response_status` integer,
	`response_body` text,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`team_id`, `key`)
);
--> statement-breakpoint
CREATE INDEX `idempotency_key_created_idx` ON `idempotency_key` (`created_at`);--> statement-breakpoint
ALTER TABLE `item_ledger` ADD `actor` text DEFAULT 'system' NOT NULL;