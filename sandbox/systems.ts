import type { FastifyInstance } from "fastify";
import type { SandboxContext } from "./lib/context";
import { system as adf } from "./adf";
import { system as airflow } from "./airflow";
import { system as azureBlob } from "./azure-blob";
import { system as databricks } from "./databricks";
import { system as feast } from "./feast";
import { system as graph } from "./graph";
import { system as kserve } from "./kserve";
import { system as mlflow } from "./mlflow";
import { system as oidc } from "./oidc";
import { system as prometheus } from "./prometheus";
import { system as unityCatalog } from "./unity-catalog";

/** One emulated service: creates its tables (idempotently), registers its routes, starts its simulations. */
export interface SandboxSystem {
  name: string;
  register(app: FastifyInstance, context: SandboxContext): Promise<void>;
  /** Stops timers and background work. */
  close?(): Promise<void>;
}

export const sandboxSystems: SandboxSystem[] = [
  mlflow,
  databricks,
  unityCatalog,
  kserve,
  prometheus,
  oidc,
  graph,
  airflow,
  adf,
  azureBlob,
  feast,
];
