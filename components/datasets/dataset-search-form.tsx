import { SearchForm } from "@/components/ui/search-form";

/** Search across catalogs, schemas and tables: /datasets?q=. */
export function DatasetSearchForm({ query }: { query?: string }) {
  return (
    <SearchForm
      action="/datasets"
      id="dataset-search"
      label="Search catalogs, schemas and tables"
      placeholder="Search names and comments, e.g. churn training"
      query={query}
      className="max-w-2xl"
    />
  );
}
