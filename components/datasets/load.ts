import { notFound } from "next/navigation";
import { isAppError } from "@/lib/errors";

export { decodeSegment } from "@/lib/validation/text";

export type Loaded<T> = { ok: true; value: T } | { ok: false; code: string; message: string };

/**
 * Reads for a page or section: an AppError (a cloud failure already turned into a safe message)
 * becomes a value to render as an error state; anything else is a bug and goes to the boundary.
 */
export async function load<T>(read: () => Promise<T>, { isNotFoundFatal = false } = {}): Promise<Loaded<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (error) {
    if (!isAppError(error)) throw error;
    if (isNotFoundFatal && error.code === "NOT_FOUND") notFound();
    return { ok: false, code: error.code, message: error.message };
  }
}
