import type { SandboxSystem } from "../systems";

export const system: SandboxSystem = {
  name: "databricks",
  async register() {},
};
