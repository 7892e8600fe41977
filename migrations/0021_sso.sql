CREATE TABLE `sso_connections` (
	`org_id` text PRIMARY KEY NOT NULL,
	`protocol` text NOT NULL,
	`oidc_issuer` text,
	`oidc_client_id` text,
	`oidc_client_secret_enc` text,
	`oidc_scopes` text DEFAULT 'openid email profile' NOT NULL,
	`default_role_id` text DEFAULT 'rol_builtin_member' NOT NULL,
	`groups_claim` text,
	`group_roles` text DEFAULT '{}' NOT NULL,
	`tested_at` integer,
	`enabled` integer DEFAULT false NOT NULL,
	`require_sso` integer DEFAULT false NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `sso_domains` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`domain` text NOT NULL,
	`verification_token` text NOT NULL,
	`verified_at` integer,
	`last_checked_at` integer,
	`last_check_problem` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sso_domains_org_domain_uq` ON `sso_domains` (`org_id`,`domain`);--> statement-breakpoint
CREATE UNIQUE INDEX `sso_domains_verified_uq` ON `sso_domains` (`domain`) WHERE verified_at is not null;--> statement-breakpoint
CREATE INDEX `sso_domains_org_idx` ON `sso_domains` (`org_id`);--> statement-breakpoint
CREATE TABLE `sso_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`state_hash` text NOT NULL,
	`org_id` text NOT NULL,
	`host` text NOT NULL,
	`nonce` text NOT NULL,
	`code_verifier` text NOT NULL,
	`test` integer DEFAULT false NOT NULL,
	`started_by` text,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`result` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sso_requests_state_hash_unique` ON `sso_requests` (`state_hash`);--> statement-breakpoint
CREATE INDEX `sso_requests_expires_idx` ON `sso_requests` (`expires_at`);--> statement-breakpoint
ALTER TABLE `login_tickets` ADD `sign_in_method` text;--> statement-breakpoint
ALTER TABLE `sessions` ADD `sign_in_method` text;--> statement-breakpoint
-- Single sign-on is set up by Owners: the new permission goes to the built-in Owner role only.
UPDATE roles SET permissions = json_insert(permissions, '$[#]', 'sso:manage') WHERE id = 'rol_builtin_owner';
