ALTER TABLE `emulator_object` ADD `due_at` integer;--> statement-breakpoint
CREATE INDEX `emulator_object_type_due_idx` ON `emulator_object` (`type`,`due_at`);