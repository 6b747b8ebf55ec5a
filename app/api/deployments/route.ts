import {
  listDeploymentsForRequest,
  listDeploymentsForService,
  promoteDeployment,
  reconcileRegistry,
  rollbackDeployment,
} from "@/lib/dal/deployments";
import { deploymentActionInput, listDeploymentsQuery } from "@/lib/validation/deployments";
import { AppError } from "@/lib/errors";
import { apiRoute } from "@/lib/http/api-route";

// GET /api/deployments?promotionRequestId= | ?namespace=&serviceName= – rollouts, polled while they move.
export const GET = apiRoute({ access: "signed-in", query: listDeploymentsQuery }, ({ user, query }) => {
  if (query.promotionRequestId) return listDeploymentsForRequest(user, query.promotionRequestId);
  if (query.namespace && query.serviceName)
    return listDeploymentsForService(user, query.namespace, query.serviceName, query.limit).then(
      (deployments) => ({ deployments }),
    );
  throw new AppError("BAD_REQUEST", "Give promotionRequestId, or namespace and serviceName.");
});

// POST /api/deployments – {action: "promote", deploymentId} takes a canary to 100%; {action: "rollback", namespace, serviceName, reason} rolls a
// service back (and its registry target with it); {action: "reconcile-registry", deploymentId} retries a rollback's diverged registry step.
export const POST = apiRoute(
  { access: "signed-in", body: deploymentActionInput },
  async ({ user, body, request }) => {
    const requestId = request.headers.get("x-request-id") ?? undefined;
    const deployment =
      body.action === "promote"
        ? await promoteDeployment(user, body.deploymentId, requestId)
        : body.action === "reconcile-registry"
          ? await reconcileRegistry(user, body.deploymentId, requestId)
          : await rollbackDeployment(user, body, requestId);
    return Response.json({ deployment }, { status: 202 });
  },
);

export * from "@/lib/http/other-methods";
