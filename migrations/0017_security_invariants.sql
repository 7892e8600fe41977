CREATE TABLE `batch_assertions` (
	`ok` integer NOT NULL,
	`reason` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `pending_signups` (
	`id` text PRIMARY KEY NOT NULL,
	`token_hash` text NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`org_name` text NOT NULL,
	`slug` text NOT NULL,
	`password_hash` text NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pending_signups_token_hash_unique` ON `pending_signups` (`token_hash`);--> statement-breakpoint
CREATE INDEX `pending_signups_expires_idx` ON `pending_signups` (`expires_at`);--> statement-breakpoint
ALTER TABLE `login_tickets` ADD `issuer_host` text;--> statement-breakpoint
ALTER TABLE `login_tickets` ADD `issuer_binding_hash` text;--> statement-breakpoint
ALTER TABLE `login_tickets` ADD `bound_nonce_hash` text;--> statement-breakpoint
ALTER TABLE `organizations` ADD `mail_domain_token` text;--> statement-breakpoint
UPDATE `organizations` SET `mail_domain_token` = lower(hex(randomblob(16))) WHERE `mail_domain` IS NOT NULL;--> statement-breakpoint
UPDATE `organizations` SET `mail_domain_verified_at` = NULL, `mail_from_address` = NULL WHERE `mail_domain_verified_at` IS NOT NULL AND EXISTS (SELECT 1 FROM `organizations` AS `first` WHERE `first`.`mail_domain` = `organizations`.`mail_domain` AND `first`.`mail_domain_verified_at` IS NOT NULL AND (`first`.`mail_domain_verified_at` < `organizations`.`mail_domain_verified_at` OR (`first`.`mail_domain_verified_at` = `organizations`.`mail_domain_verified_at` AND `first`.`id` < `organizations`.`id`)));--> statement-breakpoint
CREATE UNIQUE INDEX `organizations_verified_mail_domain_uq` ON `organizations` (`mail_domain`) WHERE mail_domain_verified_at is not null;--> statement-breakpoint
ALTER TABLE `stripe_events` ADD `processed_at` integer;--> statement-breakpoint
ALTER TABLE `stripe_events` ADD `claimed_at` integer;--> statement-breakpoint
UPDATE `stripe_events` SET `processed_at` = `received_at`;--> statement-breakpoint
CREATE TRIGGER `batch_assertions_check` BEFORE INSERT ON `batch_assertions` BEGIN SELECT RAISE(ABORT, 'precondition_failed') WHERE NEW.`ok` = 0; SELECT RAISE(IGNORE); END;--> statement-breakpoint
CREATE TRIGGER `memberships_last_owner_update` BEFORE UPDATE OF `role_id` ON `memberships` WHEN OLD.`role_id` = 'rol_builtin_owner' AND NEW.`role_id` <> 'rol_builtin_owner' AND (SELECT count(*) FROM `memberships` WHERE `org_id` = OLD.`org_id` AND `role_id` = 'rol_builtin_owner') <= 1 BEGIN SELECT RAISE(ABORT, 'last_owner'); END;--> statement-breakpoint
CREATE TRIGGER `memberships_last_owner_delete` BEFORE DELETE ON `memberships` WHEN OLD.`role_id` = 'rol_builtin_owner' AND EXISTS (SELECT 1 FROM `organizations` WHERE `id` = OLD.`org_id`) AND (SELECT count(*) FROM `memberships` WHERE `org_id` = OLD.`org_id` AND `role_id` = 'rol_builtin_owner') <= 1 BEGIN SELECT RAISE(ABORT, 'last_owner'); END;--> statement-breakpoint
CREATE TRIGGER `memberships_nomination_ends_on_demotion` AFTER UPDATE OF `role_id` ON `memberships` WHEN OLD.`role_id` = 'rol_builtin_owner' AND NEW.`role_id` <> 'rol_builtin_owner' BEGIN UPDATE `organizations` SET `ownership_nominee_id` = NULL, `ownership_nominated_by` = NULL WHERE `id` = OLD.`org_id` AND `ownership_nominated_by` = OLD.`user_id`; END;--> statement-breakpoint
CREATE TRIGGER `memberships_nomination_ends_on_removal` AFTER DELETE ON `memberships` BEGIN UPDATE `organizations` SET `ownership_nominee_id` = NULL, `ownership_nominated_by` = NULL WHERE `id` = OLD.`org_id` AND (`ownership_nominated_by` = OLD.`user_id` OR `ownership_nominee_id` = OLD.`user_id`); END;