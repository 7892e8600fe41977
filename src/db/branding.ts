// An organization's branding (colours, support address, help links, sender name, favicon): writes to its
// row in the main database, always by the organization's id.
import { eq } from "drizzle-orm";
import type { Db } from "./client.ts";
import { type HelpLink, organizations } from "./schema.ts";

export interface BrandingInput {
	brandPrimary: string;
	brandSecondary: string;
	brandSurface: string;
	brandText: string;
	supportEmail: string | null;
	helpLinks: HelpLink[];
	mailFromName: string | null;
	mailFromAddress: string | null;
}

export function updateBranding(db: Db, orgId: string, input: BrandingInput) {
	return db
		.update(organizations)
		.set({ ...input, updatedAt: Date.now() })
		.where(eq(organizations.id, orgId));
}

export function setFavicon(db: Db, orgId: string, faviconUrl: string | null) {
	return db.update(organizations).set({ faviconUrl, updatedAt: Date.now() }).where(eq(organizations.id, orgId));
}
