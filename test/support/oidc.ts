// A real OpenID provider for the tests (`oidc-provider`, OpenID-certified), on a free port. Accounts
// are made up from the login typed at its sign-in form: "name@domain" signs in as that address, with
// groups from "+group" tags ("ana+admins@acme.test" is in the group "admins"). Consent is granted for
// the test client, so a sign-in is the login form and one redirect.
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";
import { OIDC_CLIENT } from "./oidc-client.ts";

export async function startOidcProvider(redirectUris: string[]) {
	const server = await new Promise<import("node:http").Server>((resolve) => {
		import("node:http").then(({ createServer }) => {
			const s = createServer();
			s.listen(0, "127.0.0.1", () => resolve(s));
		});
	});
	const { port } = server.address() as AddressInfo;
	const issuer = `http://127.0.0.1:${port}`;
	const provider = new Provider(issuer, {
		clients: [
			{
				client_id: OIDC_CLIENT.id,
				client_secret: OIDC_CLIENT.secret,
				redirect_uris: redirectUris,
				response_types: ["code"],
				grant_types: ["authorization_code"],
				token_endpoint_auth_method: "client_secret_basic",
			},
		],
		pkce: { required: () => true },
		// As Okta, Entra ID and Google do: the scope's claims (email, name, groups) in the ID token itself.
		conformIdTokenClaims: false,
		claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"], groups: ["groups"] },
		scopes: ["openid", "email", "profile", "groups"],
		cookies: { keys: ["portico-test-oidc-cookie-key"] },
		async findAccount(_ctx, id) {
			const [local = "", domain = ""] = id.split("@");
			const [name = "", ...tags] = local.split("+");
			return {
				accountId: id,
				claims: () => ({
					sub: id,
					email: `${name}@${domain}`,
					email_verified: !tags.includes("unverified"),
					name: name.replace(/[._]/g, " "),
					groups: tags.filter((t) => t !== "unverified"),
				}),
			};
		},
		async loadExistingGrant(ctx) {
			const session = ctx.oidc.session;
			const client = ctx.oidc.client;
			if (!session?.accountId || !client) return undefined;
			const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
			grant.addOIDCScope("openid email profile groups");
			await grant.save();
			return grant;
		},
	});
	provider.proxy = false;
	server.on("request", provider.callback());
	return {
		issuer,
		stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
