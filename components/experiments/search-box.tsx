import { Search } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/field";

/** A GET search form: works without JavaScript and keeps the query in the URL. */
export function SearchBox({
  name,
  label,
  defaultValue,
  action,
}: {
  name: string;
  label: string;
  defaultValue?: string;
  action: string;
}) {
  return (
    <form role="search" action={action} className="flex items-center gap-2">
      <label htmlFor={`search-${name}`} className="sr-only">
        {label}
      </label>
      <Input
        id={`search-${name}`}
        name={name}
        type="search"
        defaultValue={defaultValue}
        placeholder="Name contains…"
        className="w-56"
      />
      <Button
        type="submit"
        variant="secondary"
        size="sm"
        icon={<Search aria-hidden="true" className="size-4" />}
      >
        Search
      </Button>
    </form>
  );
}
