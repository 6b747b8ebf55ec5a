import type { SandboxSystem } from "../systems";

export const system: SandboxSystem = {
  name: "mlflow",
  async register() {},
};
