CREATE TABLE `directory_group_members` (
	`group_id` text NOT NULL,
	`membership_id` text NOT NULL,
	`org_id` text NOT NULL,
	PRIMARY KEY(`group_id`, `membership_id`),
	FOREIGN KEY (`group_id`) REFERENCES `directory_groups`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`membership_id`) REFERENCES `memberships`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `directory_group_members_membership_idx` ON `directory_group_members` (`membership_id`);--> statement-breakpoint
CREATE TABLE `directory_groups` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`display_name` text NOT NULL,
	`external_id` text,
	`role_id` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`role_id`) REFERENCES `roles`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `directory_groups_org_name_uq` ON `directory_groups` (`org_id`,`display_name`);--> statement-breakpoint
CREATE UNIQUE INDEX `directory_groups_org_external_uq` ON `directory_groups` (`org_id`,`external_id`) WHERE external_id is not null;--> statement-breakpoint
ALTER TABLE `scim_tokens` ADD `failure_alerted_at` integer;--> statement-breakpoint
CREATE TRIGGER `directory_group_members_same_org` BEFORE INSERT ON `directory_group_members` WHEN (SELECT `org_id` FROM `directory_groups` WHERE `id` = NEW.`group_id`) IS NOT NEW.`org_id` OR (SELECT `org_id` FROM `memberships` WHERE `id` = NEW.`membership_id`) IS NOT NEW.`org_id` BEGIN SELECT RAISE(ABORT, 'cross_organization'); END;--> statement-breakpoint
CREATE TRIGGER `directory_groups_role_mapping` BEFORE UPDATE OF `role_id` ON `directory_groups` WHEN NEW.`role_id` IS NOT NULL AND (NEW.`role_id` = 'rol_builtin_owner' OR NOT EXISTS (SELECT 1 FROM `roles` WHERE `id` = NEW.`role_id` AND (`org_id` IS NULL OR `org_id` = NEW.`org_id`))) BEGIN SELECT RAISE(ABORT, 'invalid_role'); END;
