import type { SandboxSystem } from "../systems";

export const system: SandboxSystem = {
  name: "prometheus",
  async register() {},
};
