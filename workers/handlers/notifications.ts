import type { HandlerRegistry } from "../manager";
import type { WorkerDeps } from "../registry";

// Being written now (issue 5): post promotion requests and decisions to the team's webhook.
export const notificationHandlers: Pick<HandlerRegistry<WorkerDeps>, "webhook.notify"> = {
  "webhook.notify": async () => {
    throw new Error("webhook.notify is not implemented yet");
  },
};
