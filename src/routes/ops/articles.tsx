// Console: the knowledge-base editor. Articles are Markdown, rendered safely in the help centre;
// every change is in the operator log.
import { type Context, Hono } from "hono";
import * as z from "zod";
import type { AppEnv } from "../../context.ts";
import {
	deleteArticle,
	existingArticleIds,
	findArticleById,
	insertArticle,
	listAllArticles,
	slugTaken,
	updateArticle,
} from "../../db/kb.ts";
import { operatorAuditInsert } from "../../db/operators.ts";
import { KB_CATEGORIES } from "../../db/schema.ts";
import { AppError } from "../../lib/errors.ts";
import { formBody } from "../../lib/form-body.ts";
import { fieldErrors } from "../../lib/forms.ts";
import { singleLine } from "../../lib/text.ts";
import { validate } from "../../lib/validate.ts";
import { redirectTo } from "../../middleware/guards.ts";
import { type ArticleFormValues, OpsArticleForm, OpsArticles } from "../../views/pages/ops/articles.tsx";
import { consoleFormatter, operatorActor, opsPage } from "./shared.tsx";

export const opsArticleRoutes = new Hono<AppEnv>();

const articleSchema = z.object({
	title: singleLine(
		z.string().trim().min(3, { error: "Give the article a title of at least 3 characters." }).max(150, {
			error: "Keep the title under 150 characters.",
		}),
		"The title",
	),
	slug: z
		.string()
		.trim()
		.regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { error: "Use lowercase letters, digits and single dashes." })
		.max(80, { error: "Keep the address under 80 characters." }),
	category: z.enum(KB_CATEGORIES, { error: "Choose a category." }),
	body: z
		.string()
		.trim()
		.min(1, { error: "Write the article." })
		.max(50_000, { error: "Keep the article under 50,000 characters." }),
	status: z.enum(["draft", "published"], { error: "Choose draft or published." }),
	relatedIds: z.array(z.string().regex(/^art_[0-9a-z]{26}$/)).max(10, { error: "Choose at most 10 related articles." }),
});

const idParam = z.object({ id: z.string().regex(/^art_[0-9a-z]{26}$/, { error: "No such article." }) });

const NOTICES: Record<string, string> = {
	saved: "Saved.",
	deleted: "The article is deleted.",
};

async function formPage(
	c: Context<AppEnv>,
	id: string | null,
	values: ArticleFormValues,
	errors?: Record<string, string>,
) {
	const others = (await listAllArticles(c.get("db"))).filter((a) => a.id !== id);
	return opsPage(c, {
		title: id ? "Edit article" : "New article",
		status: errors ? 422 : 200,
		body: (
			<OpsArticleForm
				id={id}
				values={values}
				errors={errors}
				others={others}
				notice={NOTICES[c.req.query("notice") ?? ""]}
			/>
		),
	});
}

opsArticleRoutes.get("/articles", async (c) => {
	const format = consoleFormatter();
	const rows = await listAllArticles(c.get("db"));
	return opsPage(c, {
		title: "Knowledge base",
		body: (
			<OpsArticles
				notice={NOTICES[c.req.query("notice") ?? ""]}
				rows={rows.map((r) => ({
					id: r.id,
					title: r.title,
					category: r.category,
					status: r.status,
					helpful: `${r.helpfulYes} / ${r.helpfulNo}`,
					updated: format(r.updatedAt),
				}))}
			/>
		),
	});
});

const EMPTY: ArticleFormValues = {
	title: "",
	slug: "",
	category: "Getting started",
	body: "",
	status: "draft",
	relatedIds: [],
};

opsArticleRoutes.get("/articles/new", (c) => formPage(c, null, EMPTY));

opsArticleRoutes.get("/articles/:id", validate("param", idParam), async (c) => {
	const article = await findArticleById(c.get("db"), c.req.valid("param").id);
	if (!article) throw new AppError("not_found", "No such article.");
	return formPage(c, article.id, article);
});

/** Reads and checks the form; on failure, the form again with the messages (422) and nothing saved. */
async function readArticle(c: Context<AppEnv>, id: string | null) {
	const body = await formBody(c, { all: true });
	const text = (key: string) => (typeof body[key] === "string" ? (body[key] as string) : "");
	const related = body.relatedIds === undefined ? [] : ([] as unknown[]).concat(body.relatedIds);
	const values = {
		title: text("title"),
		slug: text("slug"),
		category: text("category"),
		body: text("body"),
		status: text("status") === "published" ? ("published" as const) : ("draft" as const),
		relatedIds: related.filter((v): v is string => typeof v === "string"),
	};
	const parsed = articleSchema.safeParse({ ...values, status: text("status") });
	const errors: Record<string, string> = parsed.success ? {} : fieldErrors(parsed.error);
	const db = c.get("db");
	if (parsed.success && (await slugTaken(db, parsed.data.slug, id))) errors.slug = "Another article has this address.";
	if (
		parsed.success &&
		(await existingArticleIds(db, parsed.data.relatedIds)).length !== parsed.data.relatedIds.length
	) {
		errors.relatedIds = "A related article no longer exists.";
	}
	if (!parsed.success || Object.keys(errors).length > 0)
		return { ok: false as const, page: await formPage(c, id, values, errors) };
	return { ok: true as const, input: { ...parsed.data, relatedIds: parsed.data.relatedIds.filter((r) => r !== id) } };
}

opsArticleRoutes.post("/articles", async (c) => {
	const read = await readArticle(c, null);
	if (!read.ok) return read.page;
	const db = c.get("db");
	const actor = operatorActor(c);
	const created = insertArticle(db, read.input, actor.id);
	await db.batch([
		created.query,
		operatorAuditInsert(db, {
			operator: actor,
			action: "kb.article_created",
			target: { type: "article", id: created.id },
			metadata: { slug: read.input.slug, status: read.input.status },
			ip: actor.ip ?? null,
		}),
	]);
	return redirectTo(c, `/ops/articles/${created.id}?notice=saved`);
});

opsArticleRoutes.post("/articles/:id", validate("param", idParam), async (c) => {
	const { id } = c.req.valid("param");
	const db = c.get("db");
	if (!(await findArticleById(db, id))) throw new AppError("not_found", "No such article.");
	const read = await readArticle(c, id);
	if (!read.ok) return read.page;
	const actor = operatorActor(c);
	await db.batch([
		updateArticle(db, id, read.input, actor.id),
		operatorAuditInsert(db, {
			operator: actor,
			action: "kb.article_updated",
			target: { type: "article", id },
			metadata: { slug: read.input.slug, status: read.input.status },
			ip: actor.ip ?? null,
		}),
	]);
	return redirectTo(c, `/ops/articles/${id}?notice=saved`);
});

opsArticleRoutes.post("/articles/:id/delete", validate("param", idParam), async (c) => {
	const { id } = c.req.valid("param");
	const db = c.get("db");
	const article = await findArticleById(db, id);
	if (!article) throw new AppError("not_found", "No such article.");
	const actor = operatorActor(c);
	await db.batch([
		deleteArticle(db, id),
		operatorAuditInsert(db, {
			operator: actor,
			action: "kb.article_deleted",
			target: { type: "article", id },
			metadata: { slug: article.slug, title: article.title },
			ip: actor.ip ?? null,
		}),
	]);
	return redirectTo(c, "/ops/articles?notice=deleted");
});
