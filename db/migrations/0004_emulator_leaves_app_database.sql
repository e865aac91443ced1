DROP TABLE `emulator_clock`;--> statement-breakpoint
DROP TABLE `emulator_delivery`;--> statement-breakpoint
DROP TABLE `emulator_object`;