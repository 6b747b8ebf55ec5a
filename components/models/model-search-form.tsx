import { SearchForm } from "@/components/ui/search-form";

/** Search registered models: /models?q=. */
export function ModelSearchForm({ query }: { query?: string }) {
  return (
    <SearchForm
      action="/models"
      id="model-search"
      label="Search registered models"
      placeholder="Name, description or tag, e.g. churn or retention"
      query={query}
      className="max-w-2xl"
    />
  );
}
