import { z } from "zod";
import { policyRulesSchema, policyTargetSchema } from "@/lib/domain/promotion/policy";

export const savePolicyBody = policyRulesSchema.extend({
  modelName: z.string().trim().min(1, "modelName: name the registered model.").max(255),
  target: policyTargetSchema,
  /** ISO time; omitted means now. A version cannot take effect in the past: history stays what it was. */
  effectiveFrom: z.iso.datetime({ offset: true }).optional(),
  note: z.string().trim().min(3, "note: say why the policy changes, in a few words.").max(1000),
});

export type SavePolicyInput = z.input<typeof savePolicyBody>;

export const listPoliciesQuery = z.object({ modelName: z.string().trim().min(1).max(255).optional() });
