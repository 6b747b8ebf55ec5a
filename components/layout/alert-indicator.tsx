import { Bell } from "lucide-react";
import { HeaderCountLink } from "./header-count-link";

/** Header bell linking to alerts. */
export function AlertIndicator({ count, href = "/monitoring" }: { count: number; href?: string }) {
  return (
    <HeaderCountLink
      href={href}
      label={count === 0 ? "Alerts: none firing" : `Alerts: ${count} firing`}
      count={count}
      tone="danger"
      icon={<Bell aria-hidden="true" className="size-4" />}
    />
  );
}
