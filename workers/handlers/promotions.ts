import type { HandlerRegistry } from "../manager";
import type { WorkerDeps } from "../registry";

type PromotionJobs = "mlflow.apply-promotion" | "kserve.apply-deployment" | "webhook.notify";

// Being written now (issue 5): apply approved transitions, roll out to KServe, notify.
export const promotionHandlers: Pick<HandlerRegistry<WorkerDeps>, PromotionJobs> = {
  "mlflow.apply-promotion": async () => {
    throw new Error("mlflow.apply-promotion is not implemented yet");
  },
  "kserve.apply-deployment": async () => {
    throw new Error("kserve.apply-deployment is not implemented yet");
  },
  "webhook.notify": async () => {
    throw new Error("webhook.notify is not implemented yet");
  },
};
