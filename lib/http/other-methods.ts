import { methodNotAllowed } from "./api-route";

/**
 * Every route file ends with `export * from "@/lib/http/other-methods"`: a module's own exports win
 * over a star re-export, so these answer only the methods the route does not implement (HEAD
 * follows GET).
 */
export {
  methodNotAllowed as GET,
  methodNotAllowed as POST,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
  methodNotAllowed as OPTIONS,
};
