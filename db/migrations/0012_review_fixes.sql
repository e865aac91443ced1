ALTER TABLE `idempotency_key` ADD `claim` text;--> statement-breakpoint
ALTER TABLE `invitation` ADD `token_hash` text;--> statement-breakpoint
CREATE UNIQUE INDEX `invitation_token_hash_unique` ON `invitation` (`token_hash`);