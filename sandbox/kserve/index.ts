import type { SandboxSystem } from "../systems";

export const system: SandboxSystem = {
  name: "kserve",
  async register() {},
};
