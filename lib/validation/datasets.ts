import { z } from "zod";

export const searchQuery = z.object({ q: z.string().trim().min(1, "Type something to search for").max(200) });

export const tablesQuery = z.object({ page: z.coerce.number().int().min(1).max(10_000).default(1) });
