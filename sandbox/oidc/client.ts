/** Switchboard's registration at the sandbox identity provider (like its Entra app registration). */
export const sandboxOidcClient = { clientId: "switchboard-local", clientSecret: "switchboard-local-secret" };
