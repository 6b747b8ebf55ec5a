import { z } from "zod";
import { promotionTargetSchema } from "@/lib/domain/promotion/evidence";

export const requestPromotionBody = z.object({
  modelName: z.string().trim().min(1).max(255),
  version: z.string().regex(/^\d+$/, "A version is a number."),
  target: promotionTargetSchema,
  justification: z.string().trim().min(10, "Say why in at least 10 characters.").max(4000),
});

export type RequestPromotionInput = z.input<typeof requestPromotionBody>;

export const decidePromotionBody = z.object({
  decision: z.enum(["APPROVE", "REJECT"]),
  comment: z.string().trim().min(3, "A decision needs a comment.").max(4000),
});

export const commentBody = z.object({ body: z.string().trim().min(1).max(4000) });

export const refreshBody = z.object({});

/** One officer proposes an override of the failed gates with a reason; a second confirms it. */
export const overrideBody = z.discriminatedUnion("step", [
  z.object({
    step: z.literal("propose"),
    reason: z
      .string()
      .trim()
      .min(10, "reason: say why the failed gates may be overridden, in at least 10 characters.")
      .max(4000),
  }),
  z.object({ step: z.literal("confirm") }),
]);

export const listPromotionsQuery = z.object({
  scope: z.enum(["queue", "mine", "all"]).default("queue"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export type ListPromotionsQuery = z.output<typeof listPromotionsQuery>;

/** GET /api/promotions/version: one request's change token, or (without an id) the whole queue's. */
export const promotionVersionQuery = z.object({ id: z.uuid().optional() });
export type DecidePromotionInput = z.output<typeof decidePromotionBody>;
export type OverrideInput = z.output<typeof overrideBody>;
