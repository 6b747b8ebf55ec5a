import { Search } from "lucide-react";
import { buttonClassName } from "@/components/ui/button";
import { Input } from "@/components/ui/field";

/** A plain GET form to /datasets?q=, so search works before (and without) JavaScript. */
export function DatasetSearchForm({ query }: { query?: string }) {
  return (
    <form role="search" action="/datasets" method="get" className="flex max-w-2xl items-center gap-2">
      <label htmlFor="dataset-search" className="sr-only">
        Search catalogs, schemas and tables
      </label>
      <div className="relative flex-1">
        <Search
          aria-hidden="true"
          className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-fg-subtle"
        />
        <Input
          id="dataset-search"
          type="search"
          name="q"
          defaultValue={query}
          placeholder="Search names and comments, e.g. churn training"
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
