import type { FastifyInstance } from "fastify";
import type { SandboxContext } from "./lib/context";

/** One emulated service: creates its tables (idempotently), registers its routes, starts its simulations. */
export interface SandboxSystem {
  name: string;
  register(app: FastifyInstance, context: SandboxContext): Promise<void>;
  /** Stops timers and background work. */
  close?(): Promise<void>;
}

export const sandboxSystems: SandboxSystem[] = [];
