ALTER TABLE `domains` ADD `disabled_at` integer;--> statement-breakpoint
ALTER TABLE `domains` ADD `last_checked_at` integer;--> statement-breakpoint
ALTER TABLE `domains` ADD `last_check_problem` text;--> statement-breakpoint
ALTER TABLE `domains` ADD `provider_id` text;--> statement-breakpoint
ALTER TABLE `organizations` ADD `favicon_url` text;--> statement-breakpoint
ALTER TABLE `organizations` ADD `support_email` text;--> statement-breakpoint
ALTER TABLE `organizations` ADD `help_links` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `organizations` ADD `mail_from_name` text;--> statement-breakpoint
ALTER TABLE `organizations` ADD `mail_from_address` text;--> statement-breakpoint
ALTER TABLE `organizations` ADD `mail_domain` text;--> statement-breakpoint
ALTER TABLE `organizations` ADD `mail_domain_verified_at` integer;