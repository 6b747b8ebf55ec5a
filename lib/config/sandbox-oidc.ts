/**
 * Switchboard's registration at the sandbox identity provider, like its Entra app registration in
 * the cloud. Product code owns it and the sandbox reads it, so the web app never imports the sandbox.
 * Not a secret: the sandbox runs only on developers' machines and in tests.
 */
export const sandboxOidcClient = { clientId: "switchboard-local", clientSecret: "switchboard-local-secret" };
