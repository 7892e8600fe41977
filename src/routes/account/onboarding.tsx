// The first-run guide's two actions: finishing (or skipping) the tour and hiding the checklist.
import { Hono } from "hono";
import type { AppEnv } from "../../context.ts";
import { dismissChecklist, markTourDone } from "../../db/team.ts";
import { me, redirectTo, requireMember } from "../../middleware/guards.ts";

export const onboardingRoutes = new Hono<AppEnv>();
onboardingRoutes.use("/*", requireMember);

function membershipId(c: Parameters<typeof me>[0]): string {
	return me(c).membership.id;
}

onboardingRoutes.post("/tour/done", async (c) => {
	await markTourDone(c.get("db"), membershipId(c), Date.now());
	return redirectTo(c, "/");
});

onboardingRoutes.post("/checklist/dismiss", async (c) => {
	await dismissChecklist(c.get("db"), membershipId(c), Date.now());
	return redirectTo(c, "/");
});
