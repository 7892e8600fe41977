// Support tickets in the portal (`support:use`). A member sees their own tickets; `support:manage`
// (Owners, Admins) sees the organization's. Another member's or organization's ticket is 404.
import { Hono } from "hono";
import * as z from "zod";
import { can } from "../../auth/permissions.ts";
import type { AppEnv } from "../../context.ts";
import { TICKET_CATEGORIES } from "../../db/schema.ts";
import { findAttachment, listTickets, loadTicketThread } from "../../db/support.ts";
import { AppError } from "../../lib/errors.ts";
import { fieldErrors } from "../../lib/forms.ts";
import { validate } from "../../lib/validate.ts";
import { me, redirectTo, requirePermission, tenantOf, tenantWithDetails } from "../../middleware/guards.ts";
import { unitOf } from "../../middleware/unit.ts";
import { checkAttachments } from "../../support/attachments.ts";
import { openTicket } from "../../support/service.ts";
import { apexOrigin } from "../../tenancy/address.ts";
import { Suggestions } from "../../views/components/search-hits.tsx";
import { NewTicketForm, SupportList } from "../../views/pages/support/support.tsx";
import { renderPage } from "../../views/render.tsx";
import { searchHelp } from "./help.tsx";
import { formatter, serveAttachment, text, ticketIdParam, ticketPage, visibleTo } from "./shared.tsx";
import { supportTicketRoutes } from "./thread.tsx";

export const supportRoutes = new Hono<AppEnv>();
supportRoutes.use("*", requirePermission("support:use"));

const PAGE_SIZE = 25;

const ticketSchema = z.object({
	subject: text("subject", 3, 150),
	category: z.enum(TICKET_CATEGORIES, { error: "Choose a category." }),
	description: text("description", 10, 10_000),
});

supportRoutes.get(
	"/",
	validate(
		"query",
		z.object({
			scope: z.enum(["mine", "all"]).default("mine"),
			before: z
				.string()
				.regex(/^tix_[0-9a-z]{26}$/, { error: "That page link is not valid." })
				.optional(),
		}),
	),
	async (c) => {
		const viewer = me(c);
		const { tenant } = tenantOf(c);
		const canSeeAll = can(viewer.membership, "support:manage");
		const { before } = c.req.valid("query");
		const scope = canSeeAll ? c.req.valid("query").scope : "mine";
		// One more than a page tells whether there is an older page.
		const found = await listTickets(tenant, {
			requesterId: scope === "all" ? null : viewer.userId,
			before,
			limit: PAGE_SIZE + 1,
		});
		const rows = found.slice(0, PAGE_SIZE);
		const last = rows.at(-1);
		const older = found.length > PAGE_SIZE && last ? `/support?scope=${scope}&before=${last.id}` : null;
		const when = formatter(viewer);
		return renderPage(c, {
			title: "Support",
			body: (
				<SupportList
					scope={scope}
					canSeeAll={canSeeAll}
					older={older}
					tickets={rows.map((t) => ({
						id: t.id,
						subject: t.subject,
						category: t.category,
						status: t.status,
						requester: t.requesterLabel,
						updated: when(t.lastActivityAt),
					}))}
				/>
			),
		});
	},
);

supportRoutes.get("/new", (c) =>
	renderPage(c, { title: "New support ticket", body: <NewTicketForm suggestions={[]} searched={false} /> }),
);

/** Articles matching what the person has typed so far (subject first, then the description). */
supportRoutes.get(
	"/suggest",
	validate(
		"query",
		z.object({ subject: z.string().max(500).default(""), description: z.string().max(20_000).default("") }),
	),
	async (c) => {
		const { subject, description } = c.req.valid("query");
		const typed = `${subject} ${description.slice(0, 400)}`.trim();
		const hits = (await searchHelp(c, typed)) ?? [];
		return c.html(<Suggestions hits={hits.slice(0, 5)} searched={typed.length > 0} />);
	},
);

supportRoutes.post("/tickets", async (c) => {
	const { org } = tenantWithDetails(c);
	const body = await c.req.parseBody({ all: true }).catch(() => ({}) as Record<string, unknown>);
	const values = {
		subject: typeof body.subject === "string" ? body.subject : "",
		category: typeof body.category === "string" ? body.category : "",
		description: typeof body.description === "string" ? body.description : "",
	};
	const parsed = ticketSchema.safeParse(values);
	const files = await checkAttachments(body.attachments);
	if (!parsed.success || !files.ok) {
		const errors = {
			...(parsed.success ? {} : fieldErrors(parsed.error)),
			...(files.ok ? {} : { attachments: files.message }),
		};
		const hits = (await searchHelp(c, values.subject)) ?? [];
		return renderPage(c, {
			title: "New support ticket",
			status: 422,
			body: <NewTicketForm values={values} errors={errors} suggestions={hits.slice(0, 5)} searched />,
		});
	}
	const ticketId = await openTicket(unitOf(c), org, parsed.data, files.files, apexOrigin(c));
	return redirectTo(c, `/support/tickets/${ticketId}?notice=created`);
});

supportRoutes.get("/tickets/:id", validate("param", ticketIdParam), async (c) => {
	const viewer = me(c);
	const { tenant } = tenantOf(c);
	const thread = await loadTicketThread(tenant, c.req.valid("param").id, false);
	if (!thread || !visibleTo(viewer, thread.ticket)) throw new AppError("not_found", "No such ticket.");
	return ticketPage(c, thread);
});

supportRoutes.get(
	"/attachments/:id",
	validate("param", z.object({ id: z.string().regex(/^att_[0-9a-z]{26}$/, { error: "No such file." }) })),
	async (c) => {
		const viewer = me(c);
		const { tenant } = tenantOf(c);
		const found = await findAttachment(tenant, c.req.valid("param").id);
		if (!found || !visibleTo(viewer, found.ticket)) throw new AppError("not_found", "No such file.");
		return serveAttachment(c, found.attachment);
	},
);

supportRoutes.route("/", supportTicketRoutes);
