CREATE TABLE `retention_offer_events` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`reason` text NOT NULL,
	`kind` text NOT NULL,
	`outcome` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `retention_offer_events_created_idx` ON `retention_offer_events` (`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `retention_offer_events_one_accept_uq` ON `retention_offer_events` (`org_id`) WHERE outcome = 'accepted';--> statement-breakpoint
CREATE TABLE `retention_offers` (
	`reason` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`percent_off` integer,
	`months` integer,
	`plan_id` text,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL,
	FOREIGN KEY (`plan_id`) REFERENCES `plans`(`id`) ON UPDATE no action ON DELETE no action
);
