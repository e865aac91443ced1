CREATE TABLE `emulator_clock` (
	`id` integer PRIMARY KEY NOT NULL,
	`offset_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `emulator_delivery` (
	`event_id` text PRIMARY KEY NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`delivered_at` integer,
	`last_error` text
);
--> statement-breakpoint
CREATE INDEX `emulator_delivery_pending_idx` ON `emulator_delivery` (`delivered_at`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `emulator_object` (
	`id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`customer` text,
	`data` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `emulator_object_type_customer_idx` ON `emulator_object` (`type`,`customer`);