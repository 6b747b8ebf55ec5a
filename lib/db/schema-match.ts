import { get_dmmf } from "@prisma/prisma-schema-wasm";
import type pg from "pg";

/**
 * Proves a migrated PostgreSQL schema is the one `schema.prisma` describes: both sides are reduced
 * to the same shape (tables, columns, enums, keys, indexes, foreign keys with their actions), the
 * expected one from Prisma's own parser (DMMF), the actual one from pg_catalog, then compared.
 * Only what Prisma renders for this schema's features is modelled; anything else throws, so a new
 * schema feature fails loudly here instead of being skipped.
 */

export interface ColumnShape {
  /** As pg_catalog's format_type() prints it, e.g. `timestamp(3) without time zone`, `"Role"[]`. */
  type: string;
  notNull: boolean;
  /** As pg_get_expr() prints the column default, or null. */
  default: string | null;
}

export interface IndexShape {
  name: string;
  columns: string[];
}

export interface ForeignKeyShape extends IndexShape {
  referencedTable: string;
  referencedColumns: string[];
  onDelete: ReferentialAction;
  onUpdate: ReferentialAction;
}

export type ReferentialAction = "Cascade" | "Restrict" | "NoAction" | "SetNull" | "SetDefault";

export interface TableShape {
  columns: Record<string, ColumnShape>;
  primaryKey: IndexShape | null;
  uniqueIndexes: IndexShape[];
  indexes: IndexShape[];
  foreignKeys: ForeignKeyShape[];
}

export interface SchemaShape {
  enums: Record<string, string[]>;
  tables: Record<string, TableShape>;
}

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: "scalar" | "object" | "enum" | "unsupported";
  isList: boolean;
  isRequired: boolean;
  isUpdatedAt: boolean;
  type: string;
  nativeType?: [string, string[]] | null;
  default?: unknown;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: ReferentialAction;
  relationOnUpdate?: ReferentialAction;
}

interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}

interface DmmfIndex {
  model: string;
  type: "id" | "unique" | "normal" | "fulltext";
  dbName?: string | null;
  algorithm?: string;
  fields: { name: string; sortOrder?: string; length?: number; operatorClass?: string }[];
}

interface Dmmf {
  datamodel: {
    enums: { name: string; dbName: string | null; values: { name: string; dbName: string | null }[] }[];
    models: DmmfModel[];
    indexes: DmmfIndex[];
  };
}

/** PostgreSQL truncates identifiers to 63 bytes; Prisma shortens generated names to fit first. */
const MAX_IDENTIFIER_LENGTH = 63;

const SCALAR_TYPES: Record<string, string> = {
  String: "text",
  Int: "integer",
  BigInt: "bigint",
  Float: "double precision",
  Decimal: "numeric(65,30)",
  Boolean: "boolean",
  DateTime: "timestamp(3) without time zone",
  Json: "jsonb",
  Bytes: "bytea",
};

const NATIVE_TYPES: Record<string, (args: string[]) => string> = {
  Uuid: () => "uuid",
  Text: () => "text",
  VarChar: ([length]) => (length ? `character varying(${length})` : "character varying"),
  Char: ([length]) => `character(${length ?? 1})`,
  Integer: () => "integer",
  SmallInt: () => "smallint",
  BigInt: () => "bigint",
  DoublePrecision: () => "double precision",
  Real: () => "real",
  Decimal: ([precision, scale]) => (precision ? `numeric(${precision},${scale ?? 0})` : "numeric"),
  Timestamp: ([precision]) => `timestamp(${precision ?? 3}) without time zone`,
  Timestamptz: ([precision]) => `timestamp(${precision ?? 3}) with time zone`,
  Date: () => "date",
  JsonB: () => "jsonb",
  Json: () => "json",
  Boolean: () => "boolean",
  ByteA: () => "bytea",
};

/** The schema `schema.prisma` (its text) asks PostgreSQL for, as Prisma Migrate renders it. */
export function expectedSchemaShape(prismaSchema: string): SchemaShape {
  const dmmf = JSON.parse(
    get_dmmf(JSON.stringify({ prismaSchema: [["schema.prisma", prismaSchema]], noColor: true })),
  ) as Dmmf;
  const { enums, models, indexes } = dmmf.datamodel;
  const enumDbName = new Map(enums.map((e) => [e.name, e.dbName ?? e.name]));
  const modelByName = new Map(models.map((model) => [model.name, model]));
  const tableOf = (model: DmmfModel) => model.dbName ?? model.name;
  const columnOf = (model: DmmfModel, fieldName: string) => {
    const field = model.fields.find((f) => f.name === fieldName);
    if (!field) throw new Error(`${model.name}.${fieldName} is not a field`);
    return field.dbName ?? field.name;
  };

  const shape: SchemaShape = {
    enums: Object.fromEntries(
      enums.map((e) => [e.dbName ?? e.name, e.values.map((v) => v.dbName ?? v.name)]),
    ),
    tables: {},
  };

  for (const model of models) {
    const table = tableOf(model);
    const columns: Record<string, ColumnShape> = {};
    const foreignKeys: ForeignKeyShape[] = [];
    for (const field of model.fields) {
      if (field.kind === "object") {
        if (!field.relationFromFields?.length) continue;
        const related = modelByName.get(field.type)!;
        const fromColumns = field.relationFromFields.map((name) => columnOf(model, name));
        const isOptional = field.relationFromFields.some(
          (name) => !model.fields.find((f) => f.name === name)?.isRequired,
        );
        foreignKeys.push({
          name: constraintName(table, fromColumns, "fkey"),
          columns: fromColumns,
          referencedTable: tableOf(related),
          referencedColumns: (field.relationToFields ?? []).map((name) => columnOf(related, name)),
          // Prisma's defaults: Restrict (SetNull when optional) on delete, Cascade on update.
          onDelete: field.relationOnDelete ?? (isOptional ? "SetNull" : "Restrict"),
          onUpdate: field.relationOnUpdate ?? "Cascade",
        });
        continue;
      }
      if (field.kind === "unsupported")
        throw new Error(`${model.name}.${field.name}: Unsupported() types are not modelled`);
      const column = field.dbName ?? field.name;
      const baseType =
        field.kind === "enum"
          ? quoteIdentifierIfNeeded(enumDbName.get(field.type)!)
          : scalarType(model, field);
      columns[column] = {
        type: field.isList ? `${baseType}[]` : baseType,
        // Prisma renders scalar lists as nullable columns even when the field is required.
        notNull: field.isRequired && !field.isList,
        default: expectedDefault(table, column, field, enumDbName),
      };
    }

    let primaryKey: IndexShape | null = null;
    const uniqueIndexes: IndexShape[] = [];
    const plainIndexes: IndexShape[] = [];
    for (const index of indexes.filter((i) => i.model === model.name)) {
      if (index.algorithm && index.algorithm !== "BTree")
        throw new Error(`${model.name}: ${index.algorithm} indexes are not modelled`);
      if (
        index.fields.some(
          (f) => f.sortOrder === "desc" || f.length !== undefined || f.operatorClass !== undefined,
        )
      ) {
        throw new Error(`${model.name}: index sort orders, lengths and operator classes are not modelled`);
      }
      const indexColumns = index.fields.map((f) => columnOf(model, f.name));
      if (index.type === "id") primaryKey = { name: index.dbName ?? `${table}_pkey`, columns: indexColumns };
      else if (index.type === "unique")
        uniqueIndexes.push({
          name: index.dbName ?? constraintName(table, indexColumns, "key"),
          columns: indexColumns,
        });
      else if (index.type === "normal")
        plainIndexes.push({
          name: index.dbName ?? constraintName(table, indexColumns, "idx"),
          columns: indexColumns,
        });
      else throw new Error(`${model.name}: ${index.type} indexes are not modelled`);
    }
    shape.tables[table] = {
      columns,
      primaryKey,
      uniqueIndexes: byName(uniqueIndexes),
      indexes: byName(plainIndexes),
      foreignKeys: byName(foreignKeys),
    };
  }
  return shape;
}

/** What the database behind `client` holds in its current schema, ignoring Prisma's bookkeeping table. */
export async function introspectSchemaShape(client: pg.Client | pg.PoolClient): Promise<SchemaShape> {
  const enumRows = await client.query<{ name: string; label: string }>(
    `SELECT t.typname AS name, e.enumlabel AS label
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = current_schema() ORDER BY t.typname, e.enumsortorder`,
  );
  const columnRows = await client.query<{
    table: string;
    column: string;
    type: string;
    not_null: boolean;
    default: string | null;
  }>(
    `SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
            a.attnotnull AS not_null, pg_get_expr(d.adbin, d.adrelid) AS default
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
       LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relname <> '_prisma_migrations'
      ORDER BY c.relname, a.attnum`,
  );
  const indexRows = await client.query<{
    table: string;
    name: string;
    is_primary: boolean;
    is_unique: boolean;
    method: string;
    columns: string[];
    is_plain: boolean;
  }>(
    `SELECT t.relname AS table, i.relname AS name, x.indisprimary AS is_primary, x.indisunique AS is_unique, am.amname AS method,
            ARRAY(SELECT a.attname FROM unnest(x.indkey) WITH ORDINALITY k(attnum, ord)
                   JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS columns,
            (x.indexprs IS NULL AND x.indpred IS NULL AND NOT (0 = ANY (x.indkey::int2[]))
             AND NOT EXISTS (SELECT 1 FROM unnest(x.indoption::int2[]) o WHERE o <> 0)) AS is_plain
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
       JOIN pg_am am ON am.oid = i.relam JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = current_schema() AND t.relname <> '_prisma_migrations'`,
  );
  const foreignKeyRows = await client.query<{
    table: string;
    name: string;
    columns: string[];
    referenced_table: string;
    referenced_columns: string[];
    on_delete: string;
    on_update: string;
  }>(
    `SELECT t.relname AS table, c.conname AS name,
            ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord)
                   JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS columns,
            r.relname AS referenced_table,
            ARRAY(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY k(attnum, ord)
                   JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS referenced_columns,
            c.confdeltype AS on_delete, c.confupdtype AS on_update
       FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class r ON r.oid = c.confrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = current_schema() AND c.contype = 'f'`,
  );

  const shape: SchemaShape = { enums: {}, tables: {} };
  for (const row of enumRows.rows) (shape.enums[row.name] ??= []).push(row.label);
  const tableShape = (name: string) =>
    (shape.tables[name] ??= {
      columns: {},
      primaryKey: null,
      uniqueIndexes: [],
      indexes: [],
      foreignKeys: [],
    });
  for (const row of columnRows.rows)
    tableShape(row.table).columns[row.column] = {
      type: row.type,
      notNull: row.not_null,
      default: row.default,
    };
  for (const row of indexRows.rows) {
    const table = tableShape(row.table);
    // Expression, partial, non-btree or DESC indexes are something Prisma did not render: keep them visible.
    const name =
      row.is_plain && row.method === "btree"
        ? row.name
        : `${row.name} (${row.method}, not a plain column index)`;
    if (row.is_primary) table.primaryKey = { name, columns: row.columns };
    else (row.is_unique ? table.uniqueIndexes : table.indexes).push({ name, columns: row.columns });
  }
  const actions: Record<string, ReferentialAction> = {
    a: "NoAction",
    r: "Restrict",
    c: "Cascade",
    n: "SetNull",
    d: "SetDefault",
  };
  for (const row of foreignKeyRows.rows) {
    tableShape(row.table).foreignKeys.push({
      name: row.name,
      columns: row.columns,
      referencedTable: row.referenced_table,
      referencedColumns: row.referenced_columns,
      onDelete: actions[row.on_delete],
      onUpdate: actions[row.on_update],
    });
  }
  for (const table of Object.values(shape.tables)) {
    table.uniqueIndexes = byName(table.uniqueIndexes);
    table.indexes = byName(table.indexes);
    table.foreignKeys = byName(table.foreignKeys);
  }
  return shape;
}

/** Every difference between the two shapes, one readable line each; empty when they match. */
export function diffSchemaShapes(expected: SchemaShape, actual: SchemaShape): string[] {
  const differences: string[] = [];
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

  for (const name of union(expected.enums, actual.enums)) {
    const want = expected.enums[name];
    const got = actual.enums[name];
    if (!got) differences.push(`enum ${name}: missing from the database`);
    else if (!want) differences.push(`enum ${name}: in the database but not in schema.prisma`);
    else if (!same(want, got))
      differences.push(`enum ${name}: values ${got.join(", ")} but schema.prisma has ${want.join(", ")}`);
  }

  for (const tableName of union(expected.tables, actual.tables)) {
    const want = expected.tables[tableName];
    const got = actual.tables[tableName];
    if (!got) {
      differences.push(`table ${tableName}: missing from the database`);
      continue;
    }
    if (!want) {
      differences.push(`table ${tableName}: in the database but not in schema.prisma`);
      continue;
    }
    for (const column of union(want.columns, got.columns)) {
      const w = want.columns[column];
      const g = got.columns[column];
      if (!g) differences.push(`column ${tableName}.${column}: missing from the database`);
      else if (!w)
        differences.push(`column ${tableName}.${column}: in the database but not in schema.prisma`);
      else {
        if (w.type !== g.type)
          differences.push(`column ${tableName}.${column}: type ${g.type} but schema.prisma needs ${w.type}`);
        if (w.notNull !== g.notNull)
          differences.push(
            `column ${tableName}.${column}: ${g.notNull ? "NOT NULL" : "nullable"} but schema.prisma needs ${w.notNull ? "NOT NULL" : "nullable"}`,
          );
        if (w.default !== g.default)
          differences.push(
            `column ${tableName}.${column}: default ${g.default ?? "none"} but schema.prisma needs ${w.default ?? "none"}`,
          );
      }
    }
    if (!same(want.primaryKey, got.primaryKey)) {
      differences.push(
        `table ${tableName}: primary key ${describeIndex(got.primaryKey)} but schema.prisma needs ${describeIndex(want.primaryKey)}`,
      );
    }
    for (const [kind, wantList, gotList] of [
      ["unique index", want.uniqueIndexes, got.uniqueIndexes],
      ["index", want.indexes, got.indexes],
      ["foreign key", want.foreignKeys, got.foreignKeys],
    ] as const) {
      const wanted = new Map<string, IndexShape>(wantList.map((item) => [item.name, item]));
      const found = new Map<string, IndexShape>(gotList.map((item) => [item.name, item]));
      for (const name of new Set([...wanted.keys(), ...found.keys()])) {
        const w = wanted.get(name);
        const g = found.get(name);
        if (!g)
          differences.push(
            `${kind} ${name} on ${tableName}: missing from the database (${describeIndex(w!)})`,
          );
        else if (!w)
          differences.push(
            `${kind} ${name} on ${tableName}: in the database but not in schema.prisma (${describeIndex(g)})`,
          );
        else if (!same(w, g))
          differences.push(
            `${kind} ${name} on ${tableName}: ${describeIndex(g)} but schema.prisma needs ${describeIndex(w)}`,
          );
      }
    }
  }
  return differences;
}

function scalarType(model: DmmfModel, field: DmmfField): string {
  if (field.nativeType) {
    const [name, args] = field.nativeType;
    const render = NATIVE_TYPES[name];
    if (!render) throw new Error(`${model.name}.${field.name}: native type @db.${name} is not modelled`);
    return render(args);
  }
  const type = SCALAR_TYPES[field.type];
  if (!type) throw new Error(`${model.name}.${field.name}: type ${field.type} is not modelled`);
  return type;
}

function expectedDefault(
  table: string,
  column: string,
  field: DmmfField,
  enumDbName: Map<string, string>,
): string | null {
  const value = field.default;
  if (value === undefined || field.isUpdatedAt) return null;
  if (typeof value === "object" && value !== null && "name" in value) {
    const { name } = value as { name: string };
    // uuid() and cuid() are generated by Prisma Client, so the column has no database default.
    if (name === "uuid" || name === "cuid" || name === "nanoid" || name === "ulid") return null;
    if (name === "now") return "CURRENT_TIMESTAMP";
    if (name === "autoincrement")
      return `nextval('${quoteIdentifierIfNeeded(`${table}_${column}_seq`)}'::regclass)`;
    throw new Error(`${table}.${column}: default ${name}() is not modelled`);
  }
  if (field.isList) throw new Error(`${table}.${column}: list defaults are not modelled`);
  if (field.kind === "enum")
    return `'${String(value)}'::${quoteIdentifierIfNeeded(enumDbName.get(field.type)!)}`;
  if (typeof value === "boolean") return String(value);
  if (typeof value === "number")
    return value < 0 ? `'${value}'::${field.type === "Int" ? "integer" : "double precision"}` : String(value);
  if (typeof value === "string" && field.type === "String" && !field.nativeType)
    return `'${value.replaceAll("'", "''")}'::text`;
  throw new Error(`${table}.${column}: default ${JSON.stringify(value)} is not modelled`);
}

/** Prisma's constraint naming convention: `{table}_{columns}_{suffix}`, shortened to fit 63 bytes. */
function constraintName(table: string, columns: string[], suffix: "key" | "idx" | "fkey"): string {
  const base = `${table}_${columns.join("_")}`;
  const room = MAX_IDENTIFIER_LENGTH - suffix.length - 1;
  return `${base.length > room ? base.slice(0, room) : base}_${suffix}`;
}

function quoteIdentifierIfNeeded(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`;
}

function describeIndex(index: IndexShape | ForeignKeyShape | null): string {
  if (!index) return "none";
  const columns = `(${index.columns.join(", ")})`;
  if (!("referencedTable" in index)) return `${index.name} ${columns}`;
  return `${columns} -> ${index.referencedTable}(${index.referencedColumns.join(", ")}) ON DELETE ${index.onDelete} ON UPDATE ${index.onUpdate}`;
}

function byName<T extends { name: string }>(items: T[]): T[] {
  return [...items].sort((a, b) => a.name.localeCompare(b.name));
}

function union(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
}
