CREATE TABLE `scim_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`token_id` text,
	`method` text NOT NULL,
	`path` text NOT NULL,
	`status` integer NOT NULL,
	`error` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `scim_requests_org_created_idx` ON `scim_requests` (`org_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `scim_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`name` text NOT NULL,
	`token_hash` text NOT NULL,
	`last4` text NOT NULL,
	`created_by` text,
	`last_used_at` integer,
	`revoked_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `scim_tokens_token_hash_unique` ON `scim_tokens` (`token_hash`);--> statement-breakpoint
CREATE INDEX `scim_tokens_org_idx` ON `scim_tokens` (`org_id`);--> statement-breakpoint
ALTER TABLE `memberships` ADD `directory_external_id` text;--> statement-breakpoint
ALTER TABLE `memberships` ADD `directory_managed` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `memberships` ADD `deprovisioned_at` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `memberships_org_external_uq` ON `memberships` (`org_id`,`directory_external_id`) WHERE directory_external_id is not null;--> statement-breakpoint
CREATE TRIGGER `memberships_last_owner_deprovision` BEFORE UPDATE OF `deprovisioned_at` ON `memberships` WHEN OLD.`deprovisioned_at` IS NULL AND NEW.`deprovisioned_at` IS NOT NULL AND OLD.`role_id` = 'rol_builtin_owner' AND (SELECT count(*) FROM `memberships` WHERE `org_id` = OLD.`org_id` AND `role_id` = 'rol_builtin_owner' AND `deprovisioned_at` IS NULL) <= 1 BEGIN SELECT RAISE(ABORT, 'last_owner'); END;
