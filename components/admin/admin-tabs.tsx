import { Tabs } from "@/components/ui/tabs";

const sections = [
  { href: "/admin", label: "Promotion policies" },
  { href: "/admin/alerts", label: "Alert defaults and channels" },
  { href: "/admin/roles", label: "Roles" },
];

/** The Admin area's sections, each its own URL. */
export function AdminTabs({ current }: { current: (typeof sections)[number]["href"] }) {
  return <Tabs label="Admin sections" items={sections} currentHref={current} />;
}
