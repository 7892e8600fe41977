// A real OpenID provider (`oidc-provider`, OpenID-certified) for development and the tests. Accounts
// are made up from the login typed at its sign-in form: "name@domain" signs in as that address, with
// groups from "+group" tags ("ana+admins@acme.test" is in the group "admins"). Consent is granted for
// the test client, so a sign-in is the login form and one redirect.
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";

export interface OidcProviderClient {
	id: string;
	secret: string;
	redirectUris: string[];
}

/**
 * Starts the provider on `port` (0: a free one) in this process; stops with the returned `stop`. With
 * `idTokenClaims: false` it keeps to OpenID Connect's default: the ID token says only who (`sub`), and
 * the email, name and groups are at the userinfo endpoint.
 */
export async function startOidcProvider(client: OidcProviderClient, port = 0, options = { idTokenClaims: true }) {
	const server = await new Promise<import("node:http").Server>((resolve) => {
		import("node:http").then(({ createServer }) => {
			const s = createServer();
			s.listen(port, "127.0.0.1", () => resolve(s));
		});
	});
	const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	const provider = new Provider(issuer, {
		clients: [
			{
				client_id: client.id,
				client_secret: client.secret,
				redirect_uris: client.redirectUris,
				response_types: ["code"],
				grant_types: ["authorization_code"],
				token_endpoint_auth_method: "client_secret_basic",
			},
		],
		pkce: { required: () => true },
		// As Okta, Entra ID and Google do: the scope's claims (email, name, groups) in the ID token itself.
		conformIdTokenClaims: !options.idTokenClaims,
		claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"], groups: ["groups"] },
		scopes: ["openid", "email", "profile", "groups"],
		cookies: { keys: ["portico-local-oidc-cookie-key"] },
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
