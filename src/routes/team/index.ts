// The team: members, invitations, the invite link, ownership and roles (under /team), and joining.
import { Hono } from "hono";
import type { AppEnv } from "../../context.ts";
import { invitationRoutes } from "./join.tsx";
import { teamMemberRoutes } from "./members.tsx";
import { roleRoutes } from "./roles.tsx";
import { teamRoutes } from "./team.tsx";

/** Mounted at /team. */
export const team = new Hono<AppEnv>().route("/", teamRoutes).route("/", teamMemberRoutes).route("/roles", roleRoutes);

/** Mounted at "/": /invitation and /join, for people who are not members yet. */
export const join = invitationRoutes;
