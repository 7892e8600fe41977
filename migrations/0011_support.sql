CREATE TABLE `kb_articles` (
	`id` text PRIMARY KEY NOT NULL,
	`slug` text NOT NULL,
	`title` text NOT NULL,
	`category` text NOT NULL,
	`body` text NOT NULL,
	`related_ids` text DEFAULT '[]' NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`helpful_yes` integer DEFAULT 0 NOT NULL,
	`helpful_no` integer DEFAULT 0 NOT NULL,
	`updated_by` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `kb_articles_slug_unique` ON `kb_articles` (`slug`);--> statement-breakpoint
CREATE INDEX `kb_articles_status_category_idx` ON `kb_articles` (`status`,`category`);--> statement-breakpoint
CREATE TABLE `kb_votes` (
	`article_id` text NOT NULL,
	`user_id` text NOT NULL,
	`org_id` text NOT NULL,
	`helpful` integer NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	PRIMARY KEY(`article_id`, `user_id`),
	FOREIGN KEY (`article_id`) REFERENCES `kb_articles`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `portal_events` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`session_id` text NOT NULL,
	`user_id` text NOT NULL,
	`kind` text NOT NULL,
	`subject` text DEFAULT '' NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `portal_events_org_created_idx` ON `portal_events` (`org_id`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `portal_events_org_id_uq` ON `portal_events` (`org_id`,`id`);--> statement-breakpoint
CREATE TABLE `portal_metrics_daily` (
	`day` text NOT NULL,
	`org_id` text NOT NULL,
	`adopted` integer NOT NULL,
	`active_sessions` integer NOT NULL,
	`self_served_sessions` integer NOT NULL,
	`suggestion_sessions` integer NOT NULL,
	`deflected_sessions` integer NOT NULL,
	`tickets` text NOT NULL,
	`computed_at` integer NOT NULL,
	PRIMARY KEY(`day`, `org_id`)
);
--> statement-breakpoint
CREATE TABLE `ticket_attachments` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`ticket_id` text NOT NULL,
	`message_id` text NOT NULL,
	`object_key` text NOT NULL,
	`filename` text NOT NULL,
	`content_type` text NOT NULL,
	`size_bytes` integer NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `ticket_attachments_org_ticket_idx` ON `ticket_attachments` (`org_id`,`ticket_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `ticket_attachments_org_id_uq` ON `ticket_attachments` (`org_id`,`id`);--> statement-breakpoint
CREATE TABLE `ticket_messages` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`ticket_id` text NOT NULL,
	`author_type` text NOT NULL,
	`author_id` text NOT NULL,
	`author_label` text NOT NULL,
	`body` text NOT NULL,
	`internal` integer DEFAULT false NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `ticket_messages_org_ticket_idx` ON `ticket_messages` (`org_id`,`ticket_id`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `ticket_messages_org_id_uq` ON `ticket_messages` (`org_id`,`id`);--> statement-breakpoint
CREATE TABLE `tickets` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`requester_id` text NOT NULL,
	`requester_label` text NOT NULL,
	`requester_email` text NOT NULL,
	`subject` text NOT NULL,
	`category` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`context` text NOT NULL,
	`last_activity_at` integer NOT NULL,
	`resolved_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `tickets_org_created_idx` ON `tickets` (`org_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `tickets_org_requester_idx` ON `tickets` (`org_id`,`requester_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `tickets_status_activity_idx` ON `tickets` (`status`,`last_activity_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `tickets_org_id_uq` ON `tickets` (`org_id`,`id`);--> statement-breakpoint
CREATE TABLE `operator_audit_events` (
	`id` text PRIMARY KEY NOT NULL,
	`operator_id` text NOT NULL,
	`operator_label` text NOT NULL,
	`action` text NOT NULL,
	`org_id` text,
	`target_type` text,
	`target_id` text,
	`metadata` text DEFAULT '{}' NOT NULL,
	`ip` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `operator_audit_events_created_idx` ON `operator_audit_events` (`created_at`);--> statement-breakpoint
CREATE TABLE `operator_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`token_hash` text NOT NULL,
	`operator_id` text NOT NULL,
	`mfa_verified` integer DEFAULT false NOT NULL,
	`expires_at` integer NOT NULL,
	`absolute_expires_at` integer NOT NULL,
	`ip` text,
	`user_agent` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`operator_id`) REFERENCES `operators`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `operator_sessions_token_hash_unique` ON `operator_sessions` (`token_hash`);--> statement-breakpoint
CREATE INDEX `operator_sessions_operator_idx` ON `operator_sessions` (`operator_id`);--> statement-breakpoint
CREATE TABLE `operators` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`password_hash` text NOT NULL,
	`totp_secret` text,
	`totp_confirmed_at` integer,
	`totp_last_step` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `operators_email_unique` ON `operators` (`email`);--> statement-breakpoint
ALTER TABLE `login_tickets` ADD `view_as_operator_id` text;--> statement-breakpoint
ALTER TABLE `login_tickets` ADD `view_as_operator_label` text;--> statement-breakpoint
ALTER TABLE `sessions` ADD `view_as_operator_id` text;--> statement-breakpoint
ALTER TABLE `sessions` ADD `view_as_operator_label` text;--> statement-breakpoint
ALTER TABLE `users` DROP COLUMN `is_operator`;