import type { SandboxSystem } from "../systems";

export const system: SandboxSystem = {
  name: "unity-catalog",
  async register() {},
};
