-- Built-in roles (shared by every organization) and the plan catalogue.
INSERT INTO roles (id, org_id, key, name, permissions, built_in, created_at) VALUES ('rol_builtin_owner', NULL, 'owner', 'Owner', '["org:read","settings:manage","members:manage","roles:manage","billing:read","billing:manage","keys:manage","usage:read","audit:read","support:use","domains:manage","danger:manage"]', 1, 0);
--> statement-breakpoint
INSERT INTO roles (id, org_id, key, name, permissions, built_in, created_at) VALUES ('rol_builtin_admin', NULL, 'admin', 'Admin', '["org:read","settings:manage","members:manage","roles:manage","billing:read","keys:manage","usage:read","audit:read","support:use","domains:manage"]', 1, 0);
--> statement-breakpoint
INSERT INTO roles (id, org_id, key, name, permissions, built_in, created_at) VALUES ('rol_builtin_member', NULL, 'member', 'Member', '["org:read","usage:read","support:use"]', 1, 0);
--> statement-breakpoint
INSERT INTO plans (id, key, name, price_minor, currency, interval, limits, sort_order, created_at) VALUES ('pln_free', 'free', 'Free', 0, 'usd', 'month', '{"api_calls":10000,"seats":3,"storage_gb":1}', 1, 0);
--> statement-breakpoint
INSERT INTO plans (id, key, name, price_minor, currency, interval, limits, sort_order, created_at) VALUES ('pln_pro', 'pro', 'Pro', 4900, 'usd', 'month', '{"api_calls":1000000,"seats":20,"storage_gb":100}', 2, 0);
--> statement-breakpoint
INSERT INTO plans (id, key, name, price_minor, currency, interval, limits, sort_order, created_at) VALUES ('pln_business', 'business', 'Business', 19900, 'usd', 'month', '{"api_calls":10000000,"seats":null,"storage_gb":1000}', 3, 0);
