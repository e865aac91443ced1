PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_emulator_clock` (
	`owner` text PRIMARY KEY NOT NULL,
	`offset_ms` integer NOT NULL
);
--> statement-breakpoint
-- The old clock was one global offset: it belongs to no customer, so it is dropped.
DROP TABLE `emulator_clock`;--> statement-breakpoint
ALTER TABLE `__new_emulator_clock` RENAME TO `emulator_clock`;--> statement-breakpoint
PRAGMA foreign_keys=ON;