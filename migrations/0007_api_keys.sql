CREATE TABLE `api_key_rate` (
	`key_hash` text NOT NULL,
	`window_start` integer NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`key_hash`, `window_start`)
);
--> statement-breakpoint
CREATE TABLE `api_key_usage_daily` (
	`org_id` text NOT NULL,
	`key_id` text NOT NULL,
	`day` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`org_id`, `key_id`, `day`)
);
--> statement-breakpoint
CREATE INDEX `api_key_usage_daily_org_day_idx` ON `api_key_usage_daily` (`org_id`,`day`);--> statement-breakpoint
CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`name` text NOT NULL,
	`hash` text NOT NULL,
	`prefix` text NOT NULL,
	`last4` text NOT NULL,
	`scopes` text NOT NULL,
	`created_by` text,
	`created_by_label` text NOT NULL,
	`expires_at` integer,
	`revoked_at` integer,
	`grace_until` integer,
	`replaced_by` text,
	`last_used_at` integer,
	`rate_limit_per_minute` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_hash_unique` ON `api_keys` (`hash`);--> statement-breakpoint
CREATE INDEX `api_keys_org_idx` ON `api_keys` (`org_id`,`created_at`);