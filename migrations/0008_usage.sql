CREATE TABLE `usage_alerts` (
	`org_id` text NOT NULL,
	`metric` text NOT NULL,
	`period_start` integer NOT NULL,
	`threshold` integer NOT NULL,
	`sent_at` integer NOT NULL,
	PRIMARY KEY(`org_id`, `metric`, `period_start`, `threshold`)
);
--> statement-breakpoint
CREATE TABLE `usage_events` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`org_id` text NOT NULL,
	`metric` text NOT NULL,
	`quantity` real NOT NULL,
	`timestamp_ms` integer NOT NULL,
	`idempotency_key` text NOT NULL,
	`key_id` text DEFAULT '' NOT NULL,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `usage_events_org_idem_uq` ON `usage_events` (`org_id`,`idempotency_key`);--> statement-breakpoint
CREATE INDEX `usage_events_org_seq_idx` ON `usage_events` (`org_id`,`seq`);--> statement-breakpoint
CREATE TABLE `usage_rollups` (
	`org_id` text NOT NULL,
	`metric` text NOT NULL,
	`key_id` text DEFAULT '' NOT NULL,
	`granularity` text NOT NULL,
	`bucket_start` integer NOT NULL,
	`value` real NOT NULL,
	`gauge_at` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`org_id`, `metric`, `key_id`, `granularity`, `bucket_start`)
);
--> statement-breakpoint
CREATE TABLE `usage_watermarks` (
	`org_id` text PRIMARY KEY NOT NULL,
	`last_seq` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL
);
