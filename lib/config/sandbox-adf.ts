/**
 * The sandbox's Data Factory, named as ARM names a factory. Product code owns the ids and the sandbox
 * serves them, so the web app never imports the sandbox (like sandbox-oidc.ts).
 */
export const sandboxAdfFactory = {
  subscriptionId: "00000000-0000-4000-8000-00000000adf0",
  resourceGroup: "rg-switchboard-sandbox",
  factoryName: "adf-switchboard-sandbox",
};
