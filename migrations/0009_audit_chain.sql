CREATE TABLE `audit_chain_heads` (
	`org_id` text PRIMARY KEY NOT NULL,
	`last_hash` text,
	`last_created_at` integer,
	`last_id` text,
	`checkpoint_hash` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `audit_retention_gate` (
	`org_id` text PRIMARY KEY NOT NULL
);
--> statement-breakpoint
ALTER TABLE `audit_events` ADD `prev_hash` text;--> statement-breakpoint
ALTER TABLE `audit_events` ADD `hash` text;--> statement-breakpoint
CREATE INDEX `audit_events_org_action_idx` ON `audit_events` (`org_id`,`action`,`created_at`);--> statement-breakpoint
CREATE INDEX `audit_events_org_actor_idx` ON `audit_events` (`org_id`,`actor_label`,`created_at`);