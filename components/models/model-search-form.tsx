import { Search } from "lucide-react";
import { buttonClassName } from "@/components/ui/button";
import { Input } from "@/components/ui/field";

/** A plain GET form to /models?q=, so search works before (and without) JavaScript. */
export function ModelSearchForm({ query }: { query?: string }) {
  return (
    <form role="search" action="/models" method="get" className="flex max-w-2xl items-center gap-2">
      <label htmlFor="model-search" className="sr-only">
        Search registered models
      </label>
      <div className="relative flex-1">
        <Search
          aria-hidden="true"
          className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-fg-subtle"
        />
        <Input
          id="model-search"
          type="search"
          name="q"
          defaultValue={query}
          placeholder="Name, description or tag, e.g. churn or retention"
          className="pl-8"
          maxLength={200}
        />
      </div>
      <button type="submit" className={buttonClassName({ variant: "primary" })}>
        Search
      </button>
    </form>
  );
}
