import type { SandboxSystem } from "../systems";

export const system: SandboxSystem = {
  name: "oidc",
  async register() {},
};
