import { z } from "zod";

export const listNotificationsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(30),
  unreadOnly: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
});

export type ListNotificationsQuery = z.output<typeof listNotificationsQuery>;

export const markNotificationsReadBody = z.union([
  z.object({ ids: z.array(z.uuid()).min(1).max(100) }),
  z.object({ all: z.literal(true) }),
]);

export type MarkNotificationsReadBody = z.output<typeof markNotificationsReadBody>;
