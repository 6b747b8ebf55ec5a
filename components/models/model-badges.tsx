import { Badge } from "@/components/ui/badge";
import type { Tone } from "@/components/ui/tone";

const stageTone: Record<string, Tone> = {
  Production: "success",
  Staging: "info",
  Archived: "neutral",
  None: "neutral",
};

export function RegistryBadge({ registry }: { registry: "WORKSPACE" | "UNITY_CATALOG" }) {
  return (
    <Badge size="sm" tone={registry === "UNITY_CATALOG" ? "info" : "neutral"}>
      {registry === "UNITY_CATALOG" ? "Unity Catalog" : "Workspace registry"}
    </Badge>
  );
}

export function StageBadge({ stage }: { stage: string }) {
  return (
    <Badge size="sm" tone={stageTone[stage] ?? "neutral"}>
      {stage}
    </Badge>
  );
}

export function AliasBadge({ alias }: { alias: string }) {
  return (
    <Badge size="sm" tone={alias === "champion" ? "success" : "progress"}>
      @{alias}
    </Badge>
  );
}

export function TagList({ tags }: { tags: Record<string, string> }) {
  const entries = Object.entries(tags).filter(([key]) => !key.startsWith("mlflow."));
  if (!entries.length) return null;
  return (
    <ul aria-label="Tags" className="flex flex-wrap gap-1">
      {entries.map(([key, value]) => (
        <li key={key}>
          <Badge size="sm">
            {key}
            {value ? `: ${value}` : ""}
          </Badge>
        </li>
      ))}
    </ul>
  );
}
