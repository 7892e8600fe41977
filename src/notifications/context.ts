// Builds the context `notify()` needs from a request on a tenant host.

import type { Context } from "hono";
import type { AppEnv } from "../context.ts";
import { tenantOf } from "../middleware/guards.ts";
import { portalAddress } from "../tenancy/address.ts";
import { siteBrand } from "../views/render.tsx";
import type { NotifyContext } from "./notify.ts";

export function notifyContext(c: Context<AppEnv>): NotifyContext {
	return {
		main: c.get("db"),
		tenant: tenantOf(c).tenant,
		bindings: c.env,
		brand: siteBrand(c),
		origin: portalAddress(c).origin,
	};
}
