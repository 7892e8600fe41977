// The test OpenID provider's client (shared by the Node-side provider and the workerd tests, which must
// not import oidc-provider itself).
export const OIDC_CLIENT = { id: "portico-test", secret: "portico-test-client-secret-0123456789" };
