import {
  Activity,
  Boxes,
  Database,
  FlaskConical,
  Layers,
  House,
  Play,
  ScrollText,
  Settings,
  ShieldCheck,
  Workflow,
  type LucideIcon,
} from "lucide-react";
import type { NavIconName } from "@/lib/navigation";

const navIcons: Record<NavIconName, LucideIcon> = {
  home: House,
  datasets: Database,
  runs: Play,
  pipelines: Workflow,
  features: Layers,
  experiments: FlaskConical,
  models: Boxes,
  approvals: ShieldCheck,
  monitoring: Activity,
  audit: ScrollText,
  admin: Settings,
};

export function NavIcon({ name, className }: { name: NavIconName; className?: string }) {
  const Icon = navIcons[name];
  return <Icon aria-hidden="true" className={className} strokeWidth={1.75} />;
}
