import { readApiError } from "@/components/runs/run-format";

/** POSTs JSON to one of our routes; resolves with the body, or rejects with the route's own message. */
export async function postJson<T>(url: string, body?: unknown): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error((await readApiError(response)).message);
  return (await response.json()) as T;
}
