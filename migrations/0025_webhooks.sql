CREATE TABLE `webhook_attempts` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`delivery_id` text NOT NULL,
	`attempted_at` integer NOT NULL,
	`status_code` integer,
	`duration_ms` integer NOT NULL,
	`response_body` text,
	`error` text
);
--> statement-breakpoint
CREATE INDEX `webhook_attempts_delivery_idx` ON `webhook_attempts` (`org_id`,`delivery_id`,`attempted_at`);--> statement-breakpoint
CREATE TABLE `webhook_deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`endpoint_id` text NOT NULL,
	`event_id` text NOT NULL,
	`event_type` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer,
	`leased_until` integer,
	`last_status_code` integer,
	`last_attempt_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `webhook_deliveries_event_endpoint_uq` ON `webhook_deliveries` (`org_id`,`event_id`,`endpoint_id`);--> statement-breakpoint
CREATE INDEX `webhook_deliveries_endpoint_idx` ON `webhook_deliveries` (`org_id`,`endpoint_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `webhook_deliveries_due_idx` ON `webhook_deliveries` (`next_attempt_at`) WHERE status = 'pending';--> statement-breakpoint
CREATE TABLE `webhook_endpoints` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`url` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`event_types` text,
	`enabled` integer DEFAULT true NOT NULL,
	`disabled_reason` text,
	`secret_sealed` text NOT NULL,
	`previous_secret_sealed` text,
	`previous_until` integer,
	`failing_since` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `webhook_endpoints_org_idx` ON `webhook_endpoints` (`org_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `webhook_endpoints_org_id_uq` ON `webhook_endpoints` (`org_id`,`id`);--> statement-breakpoint
CREATE TABLE `webhook_events` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`type` text NOT NULL,
	`payload` text NOT NULL,
	`fanned_out_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `webhook_events_org_created_idx` ON `webhook_events` (`org_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `webhook_events_pending_idx` ON `webhook_events` (`org_id`,`created_at`) WHERE fanned_out_at is null;--> statement-breakpoint
UPDATE roles SET permissions = json_insert(permissions, '$[#]', 'webhooks:manage') WHERE id IN ('rol_builtin_owner', 'rol_builtin_admin');--> statement-breakpoint
-- Tenant tables are guarded while their organization moves between databases (see 0020).
CREATE TRIGGER `webhook_endpoints_moving_insert` BEFORE INSERT ON `webhook_endpoints`
WHEN EXISTS (SELECT 1 FROM `tenant_write_locks` WHERE `org_id` = NEW.`org_id`)
BEGIN
  SELECT RAISE(ABORT, 'tenant_moving');
END;--> statement-breakpoint
CREATE TRIGGER `webhook_endpoints_moving_update` BEFORE UPDATE ON `webhook_endpoints`
WHEN EXISTS (SELECT 1 FROM `tenant_write_locks` WHERE `org_id` = OLD.`org_id`)
BEGIN
  SELECT RAISE(ABORT, 'tenant_moving');
END;--> statement-breakpoint
CREATE TRIGGER `webhook_endpoints_moving_delete` BEFORE DELETE ON `webhook_endpoints`
WHEN EXISTS (SELECT 1 FROM `tenant_write_locks` WHERE `org_id` = OLD.`org_id` AND `allow_delete` = 0)
BEGIN
  SELECT RAISE(ABORT, 'tenant_moving');
END;--> statement-breakpoint
CREATE TRIGGER `webhook_events_moving_insert` BEFORE INSERT ON `webhook_events`
WHEN EXISTS (SELECT 1 FROM `tenant_write_locks` WHERE `org_id` = NEW.`org_id`)
BEGIN
  SELECT RAISE(ABORT, 'tenant_moving');
END;--> statement-breakpoint
CREATE TRIGGER `webhook_events_moving_update` BEFORE UPDATE ON `webhook_events`
WHEN EXISTS (SELECT 1 FROM `tenant_write_locks` WHERE `org_id` = OLD.`org_id`)
BEGIN
  SELECT RAISE(ABORT, 'tenant_moving');
END;--> statement-breakpoint
CREATE TRIGGER `webhook_events_moving_delete` BEFORE DELETE ON `webhook_events`
WHEN EXISTS (SELECT 1 FROM `tenant_write_locks` WHERE `org_id` = OLD.`org_id` AND `allow_delete` = 0)
BEGIN
  SELECT RAISE(ABORT, 'tenant_moving');
END;--> statement-breakpoint
CREATE TRIGGER `webhook_deliveries_moving_insert` BEFORE INSERT ON `webhook_deliveries`
WHEN EXISTS (SELECT 1 FROM `tenant_write_locks` WHERE `org_id` = NEW.`org_id`)
BEGIN
  SELECT RAISE(ABORT, 'tenant_moving');
END;--> statement-breakpoint
CREATE TRIGGER `webhook_deliveries_moving_update` BEFORE UPDATE ON `webhook_deliveries`
WHEN EXISTS (SELECT 1 FROM `tenant_write_locks` WHERE `org_id` = OLD.`org_id`)
BEGIN
  SELECT RAISE(ABORT, 'tenant_moving');
END;--> statement-breakpoint
CREATE TRIGGER `webhook_deliveries_moving_delete` BEFORE DELETE ON `webhook_deliveries`
WHEN EXISTS (SELECT 1 FROM `tenant_write_locks` WHERE `org_id` = OLD.`org_id` AND `allow_delete` = 0)
BEGIN
  SELECT RAISE(ABORT, 'tenant_moving');
END;--> statement-breakpoint
CREATE TRIGGER `webhook_attempts_moving_insert` BEFORE INSERT ON `webhook_attempts`
WHEN EXISTS (SELECT 1 FROM `tenant_write_locks` WHERE `org_id` = NEW.`org_id`)
BEGIN
  SELECT RAISE(ABORT, 'tenant_moving');
END;--> statement-breakpoint
CREATE TRIGGER `webhook_attempts_moving_update` BEFORE UPDATE ON `webhook_attempts`
WHEN EXISTS (SELECT 1 FROM `tenant_write_locks` WHERE `org_id` = OLD.`org_id`)
BEGIN
  SELECT RAISE(ABORT, 'tenant_moving');
END;--> statement-breakpoint
CREATE TRIGGER `webhook_attempts_moving_delete` BEFORE DELETE ON `webhook_attempts`
WHEN EXISTS (SELECT 1 FROM `tenant_write_locks` WHERE `org_id` = OLD.`org_id` AND `allow_delete` = 0)
BEGIN
  SELECT RAISE(ABORT, 'tenant_moving');
END;
