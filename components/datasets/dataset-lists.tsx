import { Database, FolderTree, Table2 } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { DataTable, type DataTableColumn } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { RelativeTime } from "@/components/ui/relative-time";
import type { DatasetKind, TableDetails, TableSummary } from "@/lib/dal/datasets";
import { datasetHref } from "@/lib/navigation";

/** "MATERIALIZED_VIEW" → "Materialized view". */
export const humanizeTableType = (type: string | null) =>
  type ? type.charAt(0) + type.slice(1).toLowerCase().replaceAll("_", " ") : "—";

const comment = (text: string | null) =>
  text ? <span className="text-fg-muted">{text}</span> : <span className="text-fg-subtle">No comment</span>;

export function TablesTable({ tables, caption }: { tables: TableSummary[]; caption: string }) {
  const columns: DataTableColumn<TableSummary>[] = [
    {
      key: "name",
      header: "Table",
      cell: (t) => <span className="font-mono text-xs">{t.name}</span>,
      isRowHeader: true,
    },
    { key: "type", header: "Type", cell: (t) => <Badge size="sm">{humanizeTableType(t.tableType)}</Badge> },
    { key: "format", header: "Format", cell: (t) => t.format ?? "—", hideBelow: "md" },
    { key: "comment", header: "Comment", cell: (t) => comment(t.comment), canWrap: true },
    { key: "owner", header: "Owner", cell: (t) => t.owner ?? "—", hideBelow: "lg" },
    {
      key: "updated",
      header: "Updated",
      cell: (t) => (t.updatedAt ? <RelativeTime date={t.updatedAt} /> : "—"),
      hideBelow: "md",
    },
  ];
  return (
    <DataTable
      caption={caption}
      columns={columns}
      rows={tables}
      rowKey={(t) => t.fullName}
      rowHref={(t) => datasetHref(t.fullName)}
      empty={
        <EmptyState
          size="compact"
          title="No tables in this schema"
          description="Tables you are allowed to see will be listed here."
        />
      }
    />
  );
}

export interface SchemaRow {
  name: string;
  fullName: string;
  comment: string | null;
  owner: string | null;
}

export function SchemasTable({ schemas, caption }: { schemas: SchemaRow[]; caption: string }) {
  const columns: DataTableColumn<SchemaRow>[] = [
    {
      key: "name",
      header: "Schema",
      cell: (s) => <span className="font-mono text-xs">{s.name}</span>,
      isRowHeader: true,
    },
    { key: "comment", header: "Comment", cell: (s) => comment(s.comment), canWrap: true },
    { key: "owner", header: "Owner", cell: (s) => s.owner ?? "—", hideBelow: "md" },
  ];
  return (
    <DataTable
      caption={caption}
      columns={columns}
      rows={schemas}
      rowKey={(s) => s.fullName}
      rowHref={(s) => datasetHref(s.fullName)}
      empty={<EmptyState size="compact" title="No schemas in this catalog" />}
    />
  );
}

type Column = TableDetails["columns"][number];

export function ColumnsTable({ columns: tableColumns, fullName }: { columns: Column[]; fullName: string }) {
  const columns: DataTableColumn<Column>[] = [
    {
      key: "name",
      header: "Column",
      cell: (c) => <span className="font-mono text-xs">{c.name}</span>,
      isRowHeader: true,
    },
    {
      key: "type",
      header: "Type",
      cell: (c) => <span className="font-mono text-xs text-fg-muted">{c.typeText}</span>,
    },
    {
      key: "nullable",
      header: "Nullable",
      cell: (c) => (c.isNullable ? "Yes" : <span className="text-fg-muted">Not null</span>),
    },
    {
      key: "partition",
      header: "Partition",
      cell: (c) =>
        c.partitionIndex === null ? (
          ""
        ) : (
          <Badge tone="info" size="sm">
            Partition {c.partitionIndex + 1}
          </Badge>
        ),
      hideBelow: "md",
    },
    { key: "comment", header: "Comment", cell: (c) => comment(c.comment), canWrap: true },
  ];
  return (
    <DataTable
      caption={`Columns of ${fullName}`}
      columns={columns}
      rows={tableColumns}
      rowKey={(c) => c.name}
      density="compact"
      empty={
        <EmptyState
          size="compact"
          title="No columns reported"
          description="Unity Catalog returned no column list for this table."
        />
      }
    />
  );
}

export interface SearchResultRow {
  kind: DatasetKind;
  fullName: string;
  comment: string | null;
  tableType: string | null;
  href: string;
}

const kindIcon = { catalog: Database, schema: FolderTree, table: Table2 } as const;

export function SearchResultsTable({ results, query }: { results: SearchResultRow[]; query: string }) {
  const columns: DataTableColumn<SearchResultRow>[] = [
    {
      key: "name",
      header: "Name",
      isRowHeader: true,
      cell: (r) => {
        const Icon = kindIcon[r.kind];
        return (
          <span className="inline-flex items-center gap-2">
            <Icon aria-hidden="true" className="size-4 text-fg-subtle" />
            <span className="font-mono text-xs">{r.fullName}</span>
          </span>
        );
      },
    },
    {
      key: "kind",
      header: "Kind",
      cell: (r) => (
        <Badge size="sm">
          {r.kind === "table" ? humanizeTableType(r.tableType) : humanizeTableType(r.kind.toUpperCase())}
        </Badge>
      ),
    },
    { key: "comment", header: "Comment", cell: (r) => comment(r.comment), canWrap: true },
  ];
  return (
    <DataTable
      caption={`Catalogs, schemas and tables matching “${query}”, best match first`}
      columns={columns}
      rows={results}
      rowKey={(r) => `${r.kind}:${r.fullName}`}
      rowHref={(r) => r.href}
      empty={
        <EmptyState
          size="compact"
          title={`Nothing matches “${query}”`}
          description="Search looks at catalog, schema and table names and their comments. Try fewer or shorter words."
        />
      }
    />
  );
}
