import type { FastifyReply, FastifyRequest } from "fastify";
import { sendStorageError, xmlEscape } from "../lib/dialect";
import type { SandboxSystem } from "../systems";

/**
 * Azure Blob Storage for containers under a locked time-based retention (WORM) policy, the store
 * of the audit chain's checkpoints: under /blob/<account>/<container>/<blob>, Put Blob (BlockBlob,
 * honouring `If-None-Match: *`), Get Blob, List Blobs and Delete Blob, with Azure's status codes
 * and XML errors. Like the real policy, an existing blob is never overwritten or deleted.
 */
export const system: SandboxSystem = {
  name: "azure-blob",
  async register(app, context) {
    await context.pool.query(`
      CREATE TABLE IF NOT EXISTS blob_objects (
        account text NOT NULL,
        container text NOT NULL,
        name text NOT NULL,
        content text NOT NULL,
        content_type text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (account, container, name)
      )`);
    const pool = context.pool;

    await app.register(async (scope) => {
      // Blob content is stored as sent, whatever its type.
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser("*", { parseAs: "string" }, (_request, body, done) => done(null, body));

      scope.get<{ Params: { account: string; container: string }; Querystring: Record<string, string> }>(
        "/blob/:account/:container",
        async (request, reply) => {
          if (!hasVersion(request, reply)) return;
          const { restype, comp, prefix = "", marker = "", maxresults } = request.query;
          if (restype !== "container" || comp !== "list")
            return sendStorageError(
              reply,
              400,
              "InvalidQueryParameterValue",
              "Only List Blobs (restype=container&comp=list) is emulated on a container.",
            );
          const limit = Math.min(Math.max(Number(maxresults) || 5000, 1), 5000);
          const { rows } = await pool.query<{ name: string }>(
            `SELECT name FROM blob_objects WHERE account = $1 AND container = $2 AND starts_with(name, $3) AND name > $4 ORDER BY name LIMIT $5`,
            [request.params.account, request.params.container, prefix, marker, limit + 1],
          );
          const page = rows.slice(0, limit);
          const next = rows.length > limit ? page.at(-1)!.name : "";
          const blobs = page
            .map(
              (r) =>
                `<Blob><Name>${xmlEscape(r.name)}</Name><Properties><BlobType>BlockBlob</BlobType></Properties></Blob>`,
            )
            .join("");
          return reply
            .type("application/xml")
            .send(
              `<?xml version="1.0" encoding="utf-8"?><EnumerationResults ContainerName="${xmlEscape(request.params.container)}"><Prefix>${xmlEscape(prefix)}</Prefix><Blobs>${blobs}</Blobs><NextMarker>${xmlEscape(next)}</NextMarker></EnumerationResults>`,
            );
        },
      );

      type BlobRequest = FastifyRequest<{
        Params: { account: string; container: string; "*": string };
        Body: string | undefined;
      }>;
      const key = (request: BlobRequest) => [
        request.params.account,
        request.params.container,
        request.params["*"],
      ];

      scope.put("/blob/:account/:container/*", async (request: BlobRequest, reply) => {
        if (!hasVersion(request, reply)) return;
        if (request.headers["x-ms-blob-type"] !== "BlockBlob")
          return sendStorageError(
            reply,
            400,
            "MissingRequiredHeader",
            "x-ms-blob-type must be BlockBlob here.",
          );
        const contentType = request.headers["content-type"] ?? "application/octet-stream";
        const { rowCount } = await pool.query(
          `INSERT INTO blob_objects (account, container, name, content, content_type) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
          [...key(request), request.body ?? "", contentType],
        );
        if (rowCount === 0) {
          return request.headers["if-none-match"] === "*"
            ? sendStorageError(reply, 409, "BlobAlreadyExists", "The specified blob already exists.")
            : sendStorageError(
                reply,
                409,
                "BlobImmutableDueToPolicy",
                "This operation is not permitted as the blob is immutable due to a policy.",
              );
        }
        return reply.code(201).header("x-ms-request-server-encrypted", "true").send();
      });

      scope.get("/blob/:account/:container/*", async (request: BlobRequest, reply) => {
        if (!hasVersion(request, reply)) return;
        const { rows } = await pool.query<{ content: string; content_type: string }>(
          `SELECT content, content_type FROM blob_objects WHERE account = $1 AND container = $2 AND name = $3`,
          key(request),
        );
        if (!rows[0])
          return sendStorageError(reply, 404, "BlobNotFound", "The specified blob does not exist.");
        return reply.type(rows[0].content_type).header("x-ms-blob-type", "BlockBlob").send(rows[0].content);
      });

      scope.delete("/blob/:account/:container/*", async (request: BlobRequest, reply) => {
        if (!hasVersion(request, reply)) return;
        const { rows } = await pool.query(
          `SELECT 1 FROM blob_objects WHERE account = $1 AND container = $2 AND name = $3`,
          key(request),
        );
        if (!rows[0])
          return sendStorageError(reply, 404, "BlobNotFound", "The specified blob does not exist.");
        return sendStorageError(
          reply,
          409,
          "BlobImmutableDueToPolicy",
          "This operation is not permitted as the blob is immutable due to a policy.",
        );
      });
    });
  },
};

function hasVersion(request: FastifyRequest, reply: FastifyReply): boolean {
  if (request.headers["x-ms-version"]) return true;
  void sendStorageError(
    reply,
    400,
    "MissingRequiredHeader",
    "An HTTP header that's mandatory for this request is not specified: x-ms-version.",
  );
  return false;
}
