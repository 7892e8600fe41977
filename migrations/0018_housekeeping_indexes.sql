CREATE INDEX `auth_throttles_window_idx` ON `auth_throttles` (`window_started_at`);--> statement-breakpoint
CREATE INDEX `api_key_rate_window_idx` ON `api_key_rate` (`window_start`);--> statement-breakpoint
CREATE INDEX `stripe_events_processed_idx` ON `stripe_events` (`processed_at`);