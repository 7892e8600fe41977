CREATE TABLE `job_cursors` (
	`name` text PRIMARY KEY NOT NULL,
	`position` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `portal_metrics_ticket_totals` (
	`day` text NOT NULL,
	`category` text NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`day`, `category`)
);
--> statement-breakpoint
CREATE TABLE `portal_metrics_totals` (
	`day` text PRIMARY KEY NOT NULL,
	`organizations` integer DEFAULT 0 NOT NULL,
	`adopted` integer DEFAULT 0 NOT NULL,
	`active_sessions` integer DEFAULT 0 NOT NULL,
	`self_served_sessions` integer DEFAULT 0 NOT NULL,
	`suggestion_sessions` integer DEFAULT 0 NOT NULL,
	`deflected_sessions` integer DEFAULT 0 NOT NULL,
	`updated_at` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `invitations_open_expires_idx` ON `invitations` (`expires_at`) WHERE accepted_at is null;--> statement-breakpoint
CREATE INDEX `organizations_reconcile_idx` ON `organizations` (coalesce(`stripe_synced_at`, 0),`id`) WHERE stripe_customer_id is not null and status = 'active';--> statement-breakpoint
CREATE INDEX `organizations_dedicated_idx` ON `organizations` (`id`) WHERE isolation_tier = 'dedicated' and status = 'active';--> statement-breakpoint
CREATE INDEX `organizations_mail_domain_checked_idx` ON `organizations` (`id`) WHERE mail_domain_verified_at is not null;--> statement-breakpoint
CREATE INDEX `portal_events_created_idx` ON `portal_events` (`created_at`);--> statement-breakpoint
CREATE INDEX `audit_events_unsealed_idx` ON `audit_events` (`org_id`,`created_at`,`id`) WHERE hash is null;--> statement-breakpoint
CREATE INDEX `notifications_created_idx` ON `notifications` (`created_at`);--> statement-breakpoint
CREATE INDEX `usage_events_received_idx` ON `usage_events` (`received_at`);--> statement-breakpoint
INSERT INTO `portal_metrics_totals` (`day`, `organizations`, `adopted`, `active_sessions`, `self_served_sessions`, `suggestion_sessions`, `deflected_sessions`, `updated_at`)
SELECT `day`, count(*), sum(`adopted`), sum(`active_sessions`), sum(`self_served_sessions`), sum(`suggestion_sessions`), sum(`deflected_sessions`), max(`computed_at`) FROM `portal_metrics_daily` GROUP BY `day`;--> statement-breakpoint
INSERT INTO `portal_metrics_ticket_totals` (`day`, `category`, `count`)
SELECT d.`day`, j.key, sum(j.value) FROM `portal_metrics_daily` d, json_each(d.`tickets`) j GROUP BY d.`day`, j.key;
