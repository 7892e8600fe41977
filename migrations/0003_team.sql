ALTER TABLE `organizations` ADD `invite_link_token` text;--> statement-breakpoint
ALTER TABLE `organizations` ADD `invite_link_domains` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `organizations` ADD `ownership_nominee_id` text;--> statement-breakpoint
ALTER TABLE `organizations` ADD `ownership_nominated_by` text;--> statement-breakpoint
CREATE UNIQUE INDEX `organizations_invite_link_token_unique` ON `organizations` (`invite_link_token`);