// Organization settings, each page under /settings with its own permission; exports also on /account.
import { Hono } from "hono";
import type { AppEnv } from "../../context.ts";
import { brandingRoutes } from "./branding.tsx";
import { brandingImageRoutes } from "./branding-images.tsx";
import { dangerRoutes } from "./danger.tsx";
import { directorySettingsRoutes } from "./directory.tsx";
import { domainRoutes } from "./domains.tsx";
import { exportRoutes } from "./exports.tsx";
import { settingsRoutes } from "./organization.tsx";
import { securitySettingsRoutes } from "./security.tsx";
import { ssoSettingsRoutes } from "./sso.tsx";
import { webhookSettingsRoutes } from "./webhooks.tsx";

/** Mounted at /settings. */
export const settings = new Hono<AppEnv>()
	.route("/security", securitySettingsRoutes)
	.route("/", settingsRoutes)
	.route("/branding", brandingRoutes)
	.route("/", brandingImageRoutes)
	.route("/domains", domainRoutes)
	.route("/danger", dangerRoutes)
	.route("/sso", ssoSettingsRoutes)
	.route("/directory", directorySettingsRoutes)
	.route("/webhooks", webhookSettingsRoutes);

/** Mounted at "/": /settings/export, /account/export and the download links. */
export const exportsArea = exportRoutes;
