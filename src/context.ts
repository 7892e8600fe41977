// The request context every handler sees. Tenant resolution fills it once; nothing re-derives it.
import type { DatabaseConfig, Db } from "./db/client.ts";
import type { DashboardReads } from "./db/dashboard.ts";
import type { OrganizationDetails, SiteOrganization, SwitcherOrganization } from "./db/site.ts";
import type { TenantData } from "./db/tenant-data.ts";
import type { Bindings, Config } from "./env.ts";
import type { ScimContext } from "./scim/users.ts";

export type Site =
	| { kind: "apex" }
	| {
			kind: "tenant";
			org: SiteOrganization;
			/** The rest of the organization's row when the page declared it; `withDetails` reads it otherwise. */
			details: OrganizationDetails | null;
			tenant: TenantData;
	  };

export interface Viewer {
	sessionId: string;
	userId: string;
	email: string;
	name: string;
	timeZone: string;
	locale: string;
	emailVerified: boolean;
	/** Path of the user's picture on this host, or null. */
	avatarUrl: string | null;
	expiresAt: number;
	lastSeenAt: number;
	/** When the user last proved who they are (password, link, OAuth, MFA): step-up checks use it. */
	authenticatedAt: number;
	mfaEnabled: boolean;
	/** Password accepted but the TOTP code not yet: signed in for the MFA step only. */
	mfaPending: boolean;
	/** An operator viewing the portal as this member: read-only, time-limited, audited. */
	viewAs: { operatorId: string; operatorLabel: string } | null;
	/** Present on a tenant host when the user is a member there. */
	membership: { id: string; roleId: string; roleName: string; permissions: readonly string[] } | null;
	/** Every organization the user belongs to, for the switcher. */
	organizations: SwitcherOrganization[];
	/** Unread notifications, or null where it is not read with the page (dedicated tier: the bell asks). */
	unread: number | null;
	onboarding: { tourDone: boolean; checklistDismissed: boolean; teamSize: number };
}

/** A signed-in viewer who is a member of this organization: what `me(c)` returns behind the guards. */
export type Member = Viewer & { membership: NonNullable<Viewer["membership"]> };

export interface Operator {
	id: string;
	email: string;
	name: string;
	sessionId: string;
}

export interface AppEnv {
	Bindings: Bindings;
	Variables: {
		/** On /scim/v2: the directory token's organization, set by the SCIM API's authentication. */
		scim?: ScimContext;
		requestId: string;
		startedAt: number;
		cspNonce: string;
		config: Config;
		db: Db;
		dbConfig: DatabaseConfig;
		host: string;
		site: Site;
		viewer: Viewer | null;
		/** The viewer as a member, set by `requireMember` and `requirePermission`; read it with `me(c)`. */
		member: Member | undefined;
		/** The overview's reads from the site batch (shared tier, GET /), or null. */
		overview: DashboardReads | null;
		/**
		 * Dedicated tier: the main-database rows a page declared for the site batch (the overview's, or
		 * /usage's and /billing's), so the page asks only its organization's database. Null otherwise.
		 */
		pageMain: unknown[] | null;
		/** The signed-in operator on the apex console (past MFA), set by the console's guard. */
		operator: Operator | null;
	};
}
