import type { z } from "zod";
import { getTable } from "@/lib/dal/datasets";
import { apiRoute } from "@/lib/http/api-route";

// GET /api/datasets/tables/<catalog.schema.table> – a table's columns, format, owner, location and properties.
export const GET = apiRoute<z.ZodUndefined, z.ZodUndefined, { fullName: string }>(
  { access: "datasets:read" },
  ({ user, params }) => getTable(user, params.fullName),
);

export * from "@/lib/http/other-methods";
