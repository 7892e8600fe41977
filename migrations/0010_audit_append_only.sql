-- The audit log is append-only. Content can never change; the seal (prev_hash, hash) can be written once;
-- rows can be deleted only while the organization's retention gate is open (retention and purge).
CREATE TRIGGER `audit_events_no_update` BEFORE UPDATE ON `audit_events`
WHEN OLD.`hash` IS NOT NULL
  OR NEW.`id` IS NOT OLD.`id` OR NEW.`org_id` IS NOT OLD.`org_id` OR NEW.`actor_type` IS NOT OLD.`actor_type`
  OR NEW.`actor_id` IS NOT OLD.`actor_id` OR NEW.`actor_label` IS NOT OLD.`actor_label` OR NEW.`action` IS NOT OLD.`action`
  OR NEW.`target_type` IS NOT OLD.`target_type` OR NEW.`target_id` IS NOT OLD.`target_id` OR NEW.`metadata` IS NOT OLD.`metadata`
  OR NEW.`ip` IS NOT OLD.`ip` OR NEW.`user_agent` IS NOT OLD.`user_agent` OR NEW.`created_at` IS NOT OLD.`created_at`
BEGIN
  SELECT RAISE(ABORT, 'audit events are append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `audit_events_no_delete` BEFORE DELETE ON `audit_events`
WHEN NOT EXISTS (SELECT 1 FROM `audit_retention_gate` WHERE `org_id` = OLD.`org_id`)
BEGIN
  SELECT RAISE(ABORT, 'audit events are deleted only by retention');
END;
