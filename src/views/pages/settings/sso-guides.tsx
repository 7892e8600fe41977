// What to paste where, per identity provider and protocol, on the single sign-on setup page.

export const OIDC_GUIDES = [
	[
		"Okta",
		"Applications → Create App Integration → OIDC, Web Application. Sign-in redirect URI: the address above. Assign the people or groups who may sign in. Issuer: https://<your-okta-domain> (or your authorization server's issuer).",
	],
	[
		"Microsoft Entra ID",
		"App registrations → New registration, Web platform, redirect URI: the address above. Certificates & secrets → New client secret. Issuer: https://login.microsoftonline.com/<tenant-id>/v2.0. For groups, Token configuration → Add groups claim.",
	],
	[
		"Google Workspace",
		"Google Cloud console → APIs & Services → Credentials → OAuth client ID, Web application, authorized redirect URI: the address above. Issuer: https://accounts.google.com.",
	],
	[
		"Other",
		"Any OpenID Connect provider: register a web application with the redirect URI above, scopes openid email profile, and copy its issuer URL, client ID and secret. The ID token must carry email and email_verified.",
	],
] as const;

export const SAML_GUIDES = [
	[
		"Okta",
		"Applications → Create App Integration → SAML 2.0. Single sign-on URL: the ACS URL above (\u201cUse this for Recipient URL and Destination URL\u201d checked). Audience URI: the entity ID above. Name ID format EmailAddress, application username Email. Attribute statements: email = user.email, name = user.displayName; group attribute statement groups (filter: matches regex .*). Then copy the \u201cMetadata URL\u201d from the Sign On tab into step 3.",
	],
	[
		"Microsoft Entra ID",
		"Enterprise applications → New application → Create your own → Non-gallery. Single sign-on → SAML. Identifier (Entity ID): the entity ID above; Reply URL: the ACS URL above. Or upload the SP metadata XML with \u201cUpload metadata file\u201d. For groups, Attributes & Claims → Add a group claim. Copy the \u201cApp Federation Metadata Url\u201d into step 3 and set the groups attribute to http://schemas.microsoft.com/ws/2008/06/identity/claims/groups.",
	],
	[
		"Google Workspace",
		"Admin console → Apps → Web and mobile apps → Add custom SAML app. Download the IdP metadata (step 2 there) and upload it in step 3 here. ACS URL and Entity ID: the addresses above; Name ID format EMAIL, Name ID Basic Information > Primary email. Attribute mapping: email, name; Group membership → groups.",
	],
	[
		"Other",
		"Any SAML 2.0 identity provider: import the SP metadata XML (or enter the ACS URL and entity ID above), send the email as the NameID or an email attribute, sign the assertion (or the response) with RSA-SHA256 or stronger, do not encrypt the assertion, and give step 3 its metadata URL or file.",
	],
] as const;
