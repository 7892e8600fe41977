CREATE TABLE `notification_preferences` (
	`org_id` text NOT NULL,
	`user_id` text NOT NULL,
	`category` text NOT NULL,
	`email` integer NOT NULL,
	`in_app` integer NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `notification_preferences_uq` ON `notification_preferences` (`org_id`,`user_id`,`category`);--> statement-breakpoint
CREATE INDEX `notification_preferences_org_idx` ON `notification_preferences` (`org_id`);--> statement-breakpoint
CREATE TABLE `notifications` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`user_id` text NOT NULL,
	`category` text NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`link` text,
	`read_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `notifications_org_user_created_idx` ON `notifications` (`org_id`,`user_id`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `notifications_org_id_uq` ON `notifications` (`org_id`,`id`);--> statement-breakpoint
ALTER TABLE `memberships` ADD `tour_done_at` integer;--> statement-breakpoint
ALTER TABLE `memberships` ADD `checklist_dismissed_at` integer;