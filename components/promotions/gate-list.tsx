import { Check, X } from "lucide-react";
import type { GateResult } from "@/lib/domain/promotion/gates";

/** Each policy gate as pass/fail with the numbers behind it. */
export function GateList({ gates }: { gates: GateResult[] }) {
  if (!gates.length) return <p className="text-sm text-fg-muted">This model's policy defines no gates.</p>;
  return (
    <ul className="divide-y divide-line" aria-label="Policy gates">
      {gates.map((gate) => (
        <li key={gate.id} className="flex items-start gap-3 py-2">
          {gate.passed ? (
            <Check aria-hidden className="mt-0.5 size-4 shrink-0 text-success" />
          ) : (
            <X aria-hidden className="mt-0.5 size-4 shrink-0 text-danger" />
          )}
          <div className="min-w-0">
            <p className="text-sm font-medium">
              <span className="sr-only">{gate.passed ? "Passed: " : "Failed: "}</span>
              {gate.label}
            </p>
            <p className="text-xs text-fg-muted">{gate.detail}</p>
          </div>
        </li>
      ))}
    </ul>
  );
}
