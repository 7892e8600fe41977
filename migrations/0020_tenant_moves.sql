CREATE TABLE `tenant_write_locks` (
	`org_id` text PRIMARY KEY NOT NULL,
	`allow_delete` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `organizations` ADD `database_auth_token` text;--> statement-breakpoint
ALTER TABLE `organizations` ADD `database_moving_at` integer;--> statement-breakpoint
ALTER TABLE `organizations` ADD `moving_database_url` text;--> statement-breakpoint
ALTER TABLE `organizations` ADD `moving_database_token` text;
--> statement-breakpoint
-- Writes of an organization whose tenant data is moving (or has moved) out of this database are refused.
CREATE TRIGGER `audit_events_moving_insert` BEFORE INSERT ON `audit_events`
WHEN EXISTS (SELECT 1 FROM `tenant_write_locks` WHERE `org_id` = NEW.`org_id`)
BEGIN
  SELECT RAISE(ABORT, 'tenant_moving');
END;
--> statement-breakpoint
CREATE TRIGGER `audit_events_moving_update` BEFORE UPDATE ON `audit_events`
WHEN EXISTS (SELECT 1 FROM `tenant_write_locks` WHERE `org_id` = OLD.`org_id`)
BEGIN
  SELECT RAISE(ABORT, 'tenant_moving');
END;
--> statement-breakpoint
CREATE TRIGGER `audit_events_moving_delete` BEFORE DELETE ON `audit_events`
WHEN EXISTS (SELECT 1 FROM `tenant_write_locks` WHERE `org_id` = OLD.`org_id` AND `allow_delete` = 0)
BEGIN
  SELECT RAISE(ABORT, 'tenant_moving');
END;
--> statement-breakpoint
CREATE TRIGGER `notifications_moving_insert` BEFORE INSERT ON `notifications`
WHEN EXISTS (SELECT 1 FROM `tenant_write_locks` WHERE `org_id` = NEW.`org_id`)
BEGIN
  SELECT RAISE(ABORT, 'tenant_moving');
END;
--> statement-breakpoint
CREATE TRIGGER `notifications_moving_update` BEFORE UPDATE ON `notifications`
WHEN EXISTS (SELECT 1 FROM `tenant_write_locks` WHERE `org_id` = OLD.`org_id`)
BEGIN
  SELECT RAISE(ABORT, 'tenant_moving');
END;
--> statement-breakpoint
CREATE TRIGGER `notifications_moving_delete` BEFORE DELETE ON `notifications`
WHEN EXISTS (SELECT 1 FROM `tenant_write_locks` WHERE `org_id` = OLD.`org_id` AND `allow_delete` = 0)
BEGIN
  SELECT RAISE(ABORT, 'tenant_moving');
END;
--> statement-breakpoint
CREATE TRIGGER `notification_preferences_moving_insert` BEFORE INSERT ON `notification_preferences`
WHEN EXISTS (SELECT 1 FROM `tenant_write_locks` WHERE `org_id` = NEW.`org_id`)
BEGIN
  SELECT RAISE(ABORT, 'tenant_moving');
END;
--> statement-breakpoint
CREATE TRIGGER `notification_preferences_moving_update` BEFORE UPDATE ON `notification_preferences`
WHEN EXISTS (SELECT 1 FROM `tenant_write_locks` WHERE `org_id` = OLD.`org_id`)
BEGIN
  SELECT RAISE(ABORT, 'tenant_moving');
END;
--> statement-breakpoint
CREATE TRIGGER `notification_preferences_moving_delete` BEFORE DELETE ON `notification_preferences`
WHEN EXISTS (SELECT 1 FROM `tenant_write_locks` WHERE `org_id` = OLD.`org_id` AND `allow_delete` = 0)
BEGIN
  SELECT RAISE(ABORT, 'tenant_moving');
END;
--> statement-breakpoint
CREATE TRIGGER `data_exports_moving_insert` BEFORE INSERT ON `data_exports`
WHEN EXISTS (SELECT 1 FROM `tenant_write_locks` WHERE `org_id` = NEW.`org_id`)
BEGIN
  SELECT RAISE(ABORT, 'tenant_moving');
END;
--> statement-breakpoint
CREATE TRIGGER `data_exports_moving_update` BEFORE UPDATE ON `data_exports`
WHEN EXISTS (SELECT 1 FROM `tenant_write_locks` WHERE `org_id` = OLD.`org_id`)
BEGIN
  SELECT RAISE(ABORT, 'tenant_moving');
END;
--> statement-breakpoint
CREATE TRIGGER `data_exports_moving_delete` BEFORE DELETE ON `data_exports`
WHEN EXISTS (SELECT 1 FROM `tenant_write_locks` WHERE `org_id` = OLD.`org_id` AND `allow_delete` = 0)
BEGIN
  SELECT RAISE(ABORT, 'tenant_moving');
END;
--> statement-breakpoint
CREATE TRIGGER `invoice_cache_moving_insert` BEFORE INSERT ON `invoice_cache`
WHEN EXISTS (SELECT 1 FROM `tenant_write_locks` WHERE `org_id` = NEW.`org_id`)
BEGIN
  SELECT RAISE(ABORT, 'tenant_moving');
END;
--> statement-breakpoint
CREATE TRIGGER `invoice_cache_moving_update` BEFORE UPDATE ON `invoice_cache`
WHEN EXISTS (SELECT 1 FROM `tenant_write_locks` WHERE `org_id` = OLD.`org_id`)
BEGIN
  SELECT RAISE(ABORT, 'tenant_moving');
END;
--> statement-breakpoint
CREATE TRIGGER `invoice_cache_moving_delete` BEFORE DELETE ON `invoice_cache`
WHEN EXISTS (SELECT 1 FROM `tenant_write_locks` WHERE `org_id` = OLD.`org_id` AND `allow_delete` = 0)
BEGIN
  SELECT RAISE(ABORT, 'tenant_moving');
END;
--> statement-breakpoint
CREATE TRIGGER `usage_events_moving_insert` BEFORE INSERT ON `usage_events`
WHEN EXISTS (SELECT 1 FROM `tenant_write_locks` WHERE `org_id` = NEW.`org_id`)
BEGIN
  SELECT RAISE(ABORT, 'tenant_moving');
END;
--> statement-breakpoint
CREATE TRIGGER `usage_events_moving_update` BEFORE UPDATE ON `usage_events`
WHEN EXISTS (SELECT 1 FROM `tenant_write_locks` WHERE `org_id` = OLD.`org_id`)
BEGIN
  SELECT RAISE(ABORT, 'tenant_moving');
END;
--> statement-breakpoint
CREATE TRIGGER `usage_events_moving_delete` BEFORE DELETE ON `usage_events`
WHEN EXISTS (SELECT 1 FROM `tenant_write_locks` WHERE `org_id` = OLD.`org_id` AND `allow_delete` = 0)
BEGIN
  SELECT RAISE(ABORT, 'tenant_moving');
END;
--> statement-breakpoint
CREATE TRIGGER `usage_rollups_moving_insert` BEFORE INSERT ON `usage_rollups`
WHEN EXISTS (SELECT 1 FROM `tenant_write_locks` WHERE `org_id` = NEW.`org_id`)
BEGIN
  SELECT RAISE(ABORT, 'tenant_moving');
END;
--> statement-breakpoint
CREATE TRIGGER `usage_rollups_moving_update` BEFORE UPDATE ON `usage_rollups`
WHEN EXISTS (SELECT 1 FROM `tenant_write_locks` WHERE `org_id` = OLD.`org_id`)
BEGIN
  SELECT RAISE(ABORT, 'tenant_moving');
END;
--> statement-breakpoint
CREATE TRIGGER `usage_rollups_moving_delete` BEFORE DELETE ON `usage_rollups`
WHEN EXISTS (SELECT 1 FROM `tenant_write_locks` WHERE `org_id` = OLD.`org_id` AND `allow_delete` = 0)
BEGIN
  SELECT RAISE(ABORT, 'tenant_moving');
END;
--> statement-breakpoint
CREATE TRIGGER `usage_watermarks_moving_insert` BEFORE INSERT ON `usage_watermarks`
WHEN EXISTS (SELECT 1 FROM `tenant_write_locks` WHERE `org_id` = NEW.`org_id`)
BEGIN
  SELECT RAISE(ABORT, 'tenant_moving');
END;
--> statement-breakpoint
CREATE TRIGGER `usage_watermarks_moving_update` BEFORE UPDATE ON `usage_watermarks`
WHEN EXISTS (SELECT 1 FROM `tenant_write_locks` WHERE `org_id` = OLD.`org_id`)
BEGIN
  SELECT RAISE(ABORT, 'tenant_moving');
END;
--> statement-breakpoint
CREATE TRIGGER `usage_watermarks_moving_delete` BEFORE DELETE ON `usage_watermarks`
WHEN EXISTS (SELECT 1 FROM `tenant_write_locks` WHERE `org_id` = OLD.`org_id` AND `allow_delete` = 0)
BEGIN
  SELECT RAISE(ABORT, 'tenant_moving');
END;
--> statement-breakpoint
CREATE TRIGGER `usage_alerts_moving_insert` BEFORE INSERT ON `usage_alerts`
WHEN EXISTS (SELECT 1 FROM `tenant_write_locks` WHERE `org_id` = NEW.`org_id`)
BEGIN
  SELECT RAISE(ABORT, 'tenant_moving');
END;
--> statement-breakpoint
CREATE TRIGGER `usage_alerts_moving_update` BEFORE UPDATE ON `usage_alerts`
WHEN EXISTS (SELECT 1 FROM `tenant_write_locks` WHERE `org_id` = OLD.`org_id`)
BEGIN
  SELECT RAISE(ABORT, 'tenant_moving');
END;
--> statement-breakpoint
CREATE TRIGGER `usage_alerts_moving_delete` BEFORE DELETE ON `usage_alerts`
WHEN EXISTS (SELECT 1 FROM `tenant_write_locks` WHERE `org_id` = OLD.`org_id` AND `allow_delete` = 0)
BEGIN
  SELECT RAISE(ABORT, 'tenant_moving');
END;
--> statement-breakpoint
CREATE TRIGGER `audit_chain_heads_moving_insert` BEFORE INSERT ON `audit_chain_heads`
WHEN EXISTS (SELECT 1 FROM `tenant_write_locks` WHERE `org_id` = NEW.`org_id`)
BEGIN
  SELECT RAISE(ABORT, 'tenant_moving');
END;
--> statement-breakpoint
CREATE TRIGGER `audit_chain_heads_moving_update` BEFORE UPDATE ON `audit_chain_heads`
WHEN EXISTS (SELECT 1 FROM `tenant_write_locks` WHERE `org_id` = OLD.`org_id`)
BEGIN
  SELECT RAISE(ABORT, 'tenant_moving');
END;
--> statement-breakpoint
CREATE TRIGGER `audit_chain_heads_moving_delete` BEFORE DELETE ON `audit_chain_heads`
WHEN EXISTS (SELECT 1 FROM `tenant_write_locks` WHERE `org_id` = OLD.`org_id` AND `allow_delete` = 0)
BEGIN
  SELECT RAISE(ABORT, 'tenant_moving');
END;
--> statement-breakpoint
CREATE TRIGGER `tickets_moving_insert` BEFORE INSERT ON `tickets`
WHEN EXISTS (SELECT 1 FROM `tenant_write_locks` WHERE `org_id` = NEW.`org_id`)
BEGIN
  SELECT RAISE(ABORT, 'tenant_moving');
END;
--> statement-breakpoint
CREATE TRIGGER `tickets_moving_update` BEFORE UPDATE ON `tickets`
WHEN EXISTS (SELECT 1 FROM `tenant_write_locks` WHERE `org_id` = OLD.`org_id`)
BEGIN
  SELECT RAISE(ABORT, 'tenant_moving');
END;
--> statement-breakpoint
CREATE TRIGGER `tickets_moving_delete` BEFORE DELETE ON `tickets`
WHEN EXISTS (SELECT 1 FROM `tenant_write_locks` WHERE `org_id` = OLD.`org_id` AND `allow_delete` = 0)
BEGIN
  SELECT RAISE(ABORT, 'tenant_moving');
END;
--> statement-breakpoint
CREATE TRIGGER `ticket_messages_moving_insert` BEFORE INSERT ON `ticket_messages`
WHEN EXISTS (SELECT 1 FROM `tenant_write_locks` WHERE `org_id` = NEW.`org_id`)
BEGIN
  SELECT RAISE(ABORT, 'tenant_moving');
END;
--> statement-breakpoint
CREATE TRIGGER `ticket_messages_moving_update` BEFORE UPDATE ON `ticket_messages`
WHEN EXISTS (SELECT 1 FROM `tenant_write_locks` WHERE `org_id` = OLD.`org_id`)
BEGIN
  SELECT RAISE(ABORT, 'tenant_moving');
END;
--> statement-breakpoint
CREATE TRIGGER `ticket_messages_moving_delete` BEFORE DELETE ON `ticket_messages`
WHEN EXISTS (SELECT 1 FROM `tenant_write_locks` WHERE `org_id` = OLD.`org_id` AND `allow_delete` = 0)
BEGIN
  SELECT RAISE(ABORT, 'tenant_moving');
END;
--> statement-breakpoint
CREATE TRIGGER `ticket_attachments_moving_insert` BEFORE INSERT ON `ticket_attachments`
WHEN EXISTS (SELECT 1 FROM `tenant_write_locks` WHERE `org_id` = NEW.`org_id`)
BEGIN
  SELECT RAISE(ABORT, 'tenant_moving');
END;
--> statement-breakpoint
CREATE TRIGGER `ticket_attachments_moving_update` BEFORE UPDATE ON `ticket_attachments`
WHEN EXISTS (SELECT 1 FROM `tenant_write_locks` WHERE `org_id` = OLD.`org_id`)
BEGIN
  SELECT RAISE(ABORT, 'tenant_moving');
END;
--> statement-breakpoint
CREATE TRIGGER `ticket_attachments_moving_delete` BEFORE DELETE ON `ticket_attachments`
WHEN EXISTS (SELECT 1 FROM `tenant_write_locks` WHERE `org_id` = OLD.`org_id` AND `allow_delete` = 0)
BEGIN
  SELECT RAISE(ABORT, 'tenant_moving');
END;
--> statement-breakpoint
CREATE TRIGGER `portal_events_moving_insert` BEFORE INSERT ON `portal_events`
WHEN EXISTS (SELECT 1 FROM `tenant_write_locks` WHERE `org_id` = NEW.`org_id`)
BEGIN
  SELECT RAISE(ABORT, 'tenant_moving');
END;
--> statement-breakpoint
CREATE TRIGGER `portal_events_moving_update` BEFORE UPDATE ON `portal_events`
WHEN EXISTS (SELECT 1 FROM `tenant_write_locks` WHERE `org_id` = OLD.`org_id`)
BEGIN
  SELECT RAISE(ABORT, 'tenant_moving');
END;
--> statement-breakpoint
CREATE TRIGGER `portal_events_moving_delete` BEFORE DELETE ON `portal_events`
WHEN EXISTS (SELECT 1 FROM `tenant_write_locks` WHERE `org_id` = OLD.`org_id` AND `allow_delete` = 0)
BEGIN
  SELECT RAISE(ABORT, 'tenant_moving');
END;
