import { Tabs } from "@/components/ui/tabs";

const items = [
  { href: "/features", label: "Feature views" },
  { href: "/features/entities", label: "Entities" },
  { href: "/features/services", label: "Feature services" },
];

export function FeatureTabs({ currentHref }: { currentHref: string }) {
  return <Tabs label="Feature store" items={items} currentHref={currentHref} className="mb-6" />;
}
