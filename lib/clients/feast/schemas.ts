import { z } from "zod";

/**
 * The parts of Feast's registry server REST API (`feast serve_registry --rest-api`, served under
 * `/api/v1`) that Switchboard reads. Answers are the registry protos through protobuf's
 * MessageToDict (feast-dev/feast sdk/python/feast/api/registry/rest/rest_utils.py `grpc_call`), so:
 * fields are camelCase, a field at its default (false, 0, "", empty list) is left out, Durations are
 * strings such as "86400s", Timestamps RFC 3339 strings, and enums their names. Protos:
 * protos/feast/core/{FeatureView,Entity,DataSource,FeatureService,Project}.proto and
 * protos/feast/registry/RegistryServer.proto. Fields added in later releases (owner, description on
 * feature views) are optional; unknown fields pass through.
 */

const timestamp = z.string().optional();
const tags = z.record(z.string(), z.string()).optional();

const meta = z.looseObject({ createdTimestamp: timestamp, lastUpdatedTimestamp: timestamp }).optional();

/** PaginationMetadata; MessageToDict drops hasNext/hasPrevious when false and the object is `{}` when unpaged. */
export const pagination = z.looseObject({
  page: z.number().int().optional(),
  limit: z.number().int().optional(),
  totalCount: z.number().int().optional(),
  totalPages: z.number().int().optional(),
  hasNext: z.boolean().optional(),
  hasPrevious: z.boolean().optional(),
});
export type Pagination = z.infer<typeof pagination>;

/** FeatureSpecV2: a feature's name and value type (feast.types.ValueType.Enum name, e.g. INT64, DOUBLE, STRING). */
export const featureSpec = z.looseObject({
  name: z.string(),
  valueType: z.string().optional(),
  description: z.string().optional(),
  tags,
});
export type FeatureSpec = z.infer<typeof featureSpec>;

/** DataSource; `type` is the SourceType name (BATCH_FILE, BATCH_SPARK, BATCH_SNOWFLAKE, PUSH_SOURCE…). */
export const dataSource = z.looseObject({
  name: z.string(),
  project: z.string().optional(),
  type: z.string().optional(),
  description: z.string().optional(),
  owner: z.string().optional(),
  tags,
  timestampField: z.string().optional(),
  createdTimestampColumn: z.string().optional(),
  dataSourceClassType: z.string().optional(),
  /** SparkSource: a catalog table, a query, or a path with its format (e.g. Delta on abfss://). */
  sparkOptions: z
    .looseObject({
      table: z.string().optional(),
      query: z.string().optional(),
      path: z.string().optional(),
      fileFormat: z.string().optional(),
    })
    .optional(),
  fileOptions: z.looseObject({ uri: z.string().optional(), fileFormat: z.unknown().optional() }).optional(),
  meta,
});
export type DataSource = z.infer<typeof dataSource>;

export const materializationInterval = z.looseObject({ startTime: timestamp, endTime: timestamp });
export type MaterializationInterval = z.infer<typeof materializationInterval>;

export const featureView = z.looseObject({
  spec: z.looseObject({
    name: z.string(),
    project: z.string().optional(),
    entities: z.array(z.string()).optional(),
    features: z.array(featureSpec).optional(),
    entityColumns: z.array(featureSpec).optional(),
    description: z.string().optional(),
    owner: z.string().optional(),
    tags,
    /** A Duration string ("86400s"); absent (0) means features never expire. */
    ttl: z.string().optional(),
    batchSource: dataSource.optional(),
    streamSource: dataSource.optional(),
    /** Absent when false: the view is not served online. */
    online: z.boolean().optional(),
    offline: z.boolean().optional(),
  }),
  meta: z
    .looseObject({
      createdTimestamp: timestamp,
      lastUpdatedTimestamp: timestamp,
      /** One (start, end) pair per `feast materialize` run, oldest first. */
      materializationIntervals: z.array(materializationInterval).optional(),
    })
    .optional(),
});
export type FeatureView = z.infer<typeof featureView>;

/** AnyFeatureView: exactly one of the three kinds is present. */
export const anyFeatureView = z.looseObject({
  featureView: featureView.optional(),
  onDemandFeatureView: z.looseObject({ spec: z.looseObject({ name: z.string() }) }).optional(),
  streamFeatureView: featureView.optional(),
});

export const entity = z.looseObject({
  spec: z.looseObject({
    name: z.string(),
    project: z.string().optional(),
    valueType: z.string().optional(),
    description: z.string().optional(),
    joinKey: z.string().optional(),
    owner: z.string().optional(),
    tags,
  }),
  meta,
});
export type Entity = z.infer<typeof entity>;

/** FeatureViewProjection: the view a service uses and the columns it takes from it. */
export const featureViewProjection = z.looseObject({
  featureViewName: z.string(),
  featureViewNameAlias: z.string().optional(),
  featureColumns: z.array(featureSpec).optional(),
});

export const featureService = z.looseObject({
  spec: z.looseObject({
    name: z.string(),
    project: z.string().optional(),
    features: z.array(featureViewProjection).optional(),
    description: z.string().optional(),
    owner: z.string().optional(),
    tags,
  }),
  meta,
});
export type FeatureService = z.infer<typeof featureService>;

export const project = z.looseObject({
  spec: z.looseObject({
    name: z.string(),
    description: z.string().optional(),
    owner: z.string().optional(),
    tags,
  }),
  meta,
});
export type Project = z.infer<typeof project>;

/** List bodies: the items under the key each route uses (data_sources is snake_case, the rest camelCase). */
export const featureViewList = z.object({
  featureViews: z.array(anyFeatureView).optional(),
  pagination: pagination.optional(),
});
export const entityList = z.object({
  entities: z.array(entity).optional(),
  pagination: pagination.optional(),
});
export const dataSourceList = z.object({
  data_sources: z.array(dataSource).optional(),
  pagination: pagination.optional(),
});
export const featureServiceList = z.object({
  featureServices: z.array(featureService).optional(),
  pagination: pagination.optional(),
});
export const projectList = z.object({
  projects: z.array(project).optional(),
  pagination: pagination.optional(),
});
export const featureViewResponse = z.object({ featureView: featureView.partial().optional() });

/** rest_registry_server.py's exception handlers: {status_code, detail, error_type}; FastAPI's own is {detail}. */
export const errorBody = z.looseObject({
  status_code: z.number().optional(),
  detail: z.unknown().optional(),
  error_type: z.string().optional(),
});
