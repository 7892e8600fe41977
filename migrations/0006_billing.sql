CREATE TABLE `invoice_cache` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`number` text,
	`status` text NOT NULL,
	`total_minor` integer NOT NULL,
	`amount_due_minor` integer NOT NULL,
	`amount_paid_minor` integer NOT NULL,
	`currency` text NOT NULL,
	`created_ms` integer NOT NULL,
	`hosted_url` text,
	`pdf_url` text,
	`billing_reason` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `invoice_cache_org_created_idx` ON `invoice_cache` (`org_id`,`created_ms`);--> statement-breakpoint
CREATE UNIQUE INDEX `invoice_cache_org_id_uq` ON `invoice_cache` (`org_id`,`id`);--> statement-breakpoint
CREATE TABLE `stripe_events` (
	`id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`org_id` text,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `organizations` ADD `cancel_at_period_end` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `organizations` ADD `next_amount_minor` integer;--> statement-breakpoint
ALTER TABLE `organizations` ADD `scheduled_plan_id` text;--> statement-breakpoint
ALTER TABLE `organizations` ADD `payment_method_summary` text;--> statement-breakpoint
ALTER TABLE `organizations` ADD `stripe_synced_at` integer;--> statement-breakpoint
ALTER TABLE `plans` ADD `features` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
UPDATE `plans` SET `stripe_price_id` = 'price_pro_monthly', `features` = '["Custom roles","Audit log","Email support"]' WHERE `key` = 'pro';--> statement-breakpoint
UPDATE `plans` SET `stripe_price_id` = 'price_business_monthly', `features` = '["Everything in Pro","Unlimited seats","Priority support","SSO"]' WHERE `key` = 'business';--> statement-breakpoint
UPDATE `plans` SET `features` = '["Up to 3 seats","Community support"]' WHERE `key` = 'free';
