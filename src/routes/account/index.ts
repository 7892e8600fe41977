// The signed-in person's own pages: account, MFA, profile, notifications and the first-run guide.
import { Hono } from "hono";
import type { AppEnv } from "../../context.ts";
import { accountRoutes } from "./account.tsx";
import { mfaRoutes } from "./mfa.tsx";
import { notificationRoutes } from "./notifications.tsx";
import { onboardingRoutes } from "./onboarding.tsx";
import { profileRoutes } from "./profile.tsx";

/** Mounted at "/": /account, /switch and /notifications; MFA and the profile under /account. */
export const account = new Hono<AppEnv>()
	.route("/", accountRoutes)
	.route("/account/mfa", mfaRoutes)
	.route("/", notificationRoutes)
	.route("/onboarding", onboardingRoutes)
	.route("/account", profileRoutes);
