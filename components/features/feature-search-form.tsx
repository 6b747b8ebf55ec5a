import { SearchForm } from "@/components/ui/search-form";

/** Search feature views, optionally stale ones only: /features?q=&stale=1. */
export function FeatureSearchForm({ query, isStaleOnly }: { query?: string; isStaleOnly: boolean }) {
  return (
    <SearchForm
      action="/features"
      id="feature-search"
      label="Search feature views by name, entity or description"
      placeholder="Search views, e.g. usage or customer"
      query={query}
      className="mb-4"
    >
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="stale" value="1" defaultChecked={isStaleOnly} className="size-4" />
        Stale only
      </label>
    </SearchForm>
  );
}
