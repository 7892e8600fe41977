CREATE TABLE `sso_assertions` (
	`id_hash` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sso_assertions_expires_idx` ON `sso_assertions` (`expires_at`);--> statement-breakpoint
CREATE TABLE `sso_certificate_notices` (
	`org_id` text NOT NULL,
	`fingerprint` text NOT NULL,
	`days_before` integer NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	PRIMARY KEY(`org_id`, `fingerprint`, `days_before`),
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `sso_connections` ADD `saml_idp_entity_id` text;--> statement-breakpoint
ALTER TABLE `sso_connections` ADD `saml_sso_url` text;--> statement-breakpoint
ALTER TABLE `sso_connections` ADD `saml_metadata_url` text;--> statement-breakpoint
ALTER TABLE `sso_connections` ADD `saml_certificates` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `sso_connections` ADD `saml_signed` text DEFAULT 'assertion' NOT NULL;--> statement-breakpoint
ALTER TABLE `sso_connections` ADD `saml_idp_initiated` integer DEFAULT false NOT NULL;