import { Search } from "lucide-react";
import { buttonClassName } from "@/components/ui/button";
import { Input } from "@/components/ui/field";

/** A plain GET form to /features?q=&stale=1, so search works before (and without) JavaScript. */
export function FeatureSearchForm({ query, isStaleOnly }: { query?: string; isStaleOnly: boolean }) {
  return (
    <form role="search" action="/features" method="get" className="mb-4 flex flex-wrap items-center gap-3">
      <label htmlFor="feature-search" className="sr-only">
        Search feature views by name, entity or description
      </label>
      <div className="relative min-w-64 flex-1">
        <Search
          aria-hidden="true"
          className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-fg-subtle"
        />
        <Input
          id="feature-search"
          type="search"
          name="q"
          defaultValue={query}
          placeholder="Search views, e.g. usage or customer"
          className="pl-8"
          maxLength={200}
        />
      </div>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="stale" value="1" defaultChecked={isStaleOnly} className="size-4" />
        Stale only
      </label>
      <button type="submit" className={buttonClassName({ variant: "primary" })}>
        Search
      </button>
    </form>
  );
}
