CREATE TABLE `data_exports` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`kind` text NOT NULL,
	`requested_by` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`object_key` text,
	`size_bytes` integer,
	`expires_at` integer,
	`completed_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `data_exports_org_created_idx` ON `data_exports` (`org_id`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `data_exports_org_id_uq` ON `data_exports` (`org_id`,`id`);--> statement-breakpoint
CREATE TABLE `deletion_records` (
	`org_id` text PRIMARY KEY NOT NULL,
	`requested_at` integer,
	`purged_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `organizations` ADD `billing_email` text;--> statement-breakpoint
ALTER TABLE `organizations` ADD `billing_address` text;--> statement-breakpoint
ALTER TABLE `organizations` ADD `tax_id_type` text;--> statement-breakpoint
ALTER TABLE `organizations` ADD `tax_id_value` text;--> statement-breakpoint
ALTER TABLE `organizations` ADD `deletion_requested_at` integer;--> statement-breakpoint
ALTER TABLE `organizations` ADD `purge_after` integer;--> statement-breakpoint
ALTER TABLE `users` ADD `avatar_key` text;