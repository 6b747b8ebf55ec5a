import { z } from "zod";
import {
  CloudApiError,
  createHttpClient,
  paginate,
  type TokenProvider,
  type TransportOptions,
} from "../http";

/**
 * Azure Blob Storage, the few operations a write-once container needs, over the Blob service REST
 * API with Entra ID (OAuth bearer) auth:
 * - Put Blob (https://learn.microsoft.com/rest/api/storageservices/put-blob) with `If-None-Match: *`,
 *   so an existing blob is never overwritten: 409 `BlobAlreadyExists`. In a container with a
 *   time-based retention (WORM) policy an overwrite or delete is refused anyway, 409
 *   `BlobImmutableDueToPolicy` (https://learn.microsoft.com/azure/storage/blobs/immutable-time-based-retention-policy-overview).
 * - Get Blob, and List Blobs (`?restype=container&comp=list&prefix=&marker=`), whose XML answer
 *   carries `<Name>` per blob and `<NextMarker>` while more remain.
 * Errors come as XML `<Error><Code>…</Code><Message>…</Message></Error>`.
 */

/** Bearer tokens need 2017-11-09 or later. */
export const BLOB_API_VERSION = "2024-11-04";
/** The app-only scope for Azure Storage. */
export const azureStorageScope = "https://storage.azure.com/.default";

export interface BlobContainerClientOptions extends TransportOptions {
  /** https://<account>.blob.core.windows.net/<container> (or the sandbox's emulation of it). */
  containerUrl: string;
  /** Required: every call needs an Entra ID token. */
  getToken: TokenProvider;
}

const xmlText = (xml: string, tag: string) => xml.match(new RegExp(`<${tag}>([^<]*)</${tag}>`))?.[1];
const unescapeXml = (text: string) =>
  text
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&quot;", '"')
    .replaceAll("&apos;", "'")
    .replaceAll("&amp;", "&");

/** Blob names in a List Blobs answer, and the marker for the next page (absent or empty: done). */
export function parseBlobList(xml: string): { names: string[]; nextMarker?: string } {
  const names = [...xml.matchAll(/<Blob>\s*<Name>([^<]*)<\/Name>/g)].map((m) => unescapeXml(m[1]));
  const nextMarker = xmlText(xml, "NextMarker");
  return { names, nextMarker: nextMarker ? unescapeXml(nextMarker) : undefined };
}

function parseStorageError(status: number, body: unknown) {
  const text = typeof body === "string" ? body : "";
  return { errorCode: xmlText(text, "Code"), message: xmlText(text, "Message")?.split("\n")[0] };
}

const blobPath = (name: string) => `/${name.split("/").map(encodeURIComponent).join("/")}`;

export function createBlobContainerClient(options: BlobContainerClientOptions) {
  const http = createHttpClient({
    service: "Azure Storage",
    baseUrl: options.containerUrl,
    getToken: options.getToken,
    timeoutMs: options.timeoutMs,
    retryBudgetMs: options.retryBudgetMs,
    maxAttempts: options.maxAttempts,
    parseError: parseStorageError,
    fetch: options.fetch,
    sleep: options.sleep,
  });
  const version = { "x-ms-version": BLOB_API_VERSION };

  return {
    /** Writes a JSON blob unless one of that name exists: "created", or "exists" (never overwritten). */
    async createJsonBlob(name: string, content: unknown): Promise<"created" | "exists"> {
      try {
        await http.request("PUT", blobPath(name), {
          body: content,
          headers: { ...version, "x-ms-blob-type": "BlockBlob", "if-none-match": "*" },
          schema: z.unknown(),
          // Conditional: a retry after an ambiguous failure at worst finds the blob it wrote.
          idempotent: true,
        });
        return "created";
      } catch (error) {
        if (
          error instanceof CloudApiError &&
          error.status === 409 &&
          (error.errorCode === "BlobAlreadyExists" || error.errorCode === "BlobImmutableDueToPolicy")
        )
          return "exists";
        throw error;
      }
    },

    async getJsonBlob<T>(name: string, schema: z.ZodType<T>): Promise<T> {
      return http.request("GET", blobPath(name), { headers: version, schema });
    },

    /** Every blob name under a prefix, following NextMarker (up to 5,000 per page). */
    listBlobNames(prefix: string, { pageSize }: { pageSize?: number } = {}): AsyncGenerator<string> {
      return paginate(async (marker) => {
        const xml = await http.request("GET", "", {
          query: { restype: "container", comp: "list", prefix, marker, maxresults: pageSize },
          headers: { ...version, accept: "application/xml" },
          schema: z.string(),
        });
        const page = parseBlobList(xml);
        return { items: page.names, nextPageToken: page.nextMarker };
      });
    },
  };
}

export type BlobContainerClient = ReturnType<typeof createBlobContainerClient>;
