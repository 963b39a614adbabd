// The OpenAPI document as published (/docs/json): what @fastify/swagger derives from the route
// schemas, rewritten so that client generators (openapi-typescript, orval, @hey-api) can use it.
// Only the document changes: requests are still validated with the route schemas as they are,
// so the 400 messages stay the same.

type Json = Record<string, unknown>;

export interface PublishOptions {
  /** READ_ACCESS: `public` reads need no key (one may be sent); `key` every read needs one. */
  readAccess: "public" | "key";
}

/**
 * The discriminated unions of the request bodies (`discriminatedUnion` of @nasvae/contracts,
 * published by @fastify/swagger as `allOf` + `if`/`else`, which generators ignore), named by the
 * property that holds them. A union found under another name fails the document: name it here.
 */
const UNION_NAMES: Record<string, string> = {
  evaluator: "EvaluatorSpec",
  strategy: "StrategySpec",
};

/** Answered without a key, never rate limited (plugins/auth.ts, plugins/rate-limit.ts). */
const PROBES = new Set(["/livez", "/readyz", "/healthz"]);
/** Never rate limited, but behind a key when READ_ACCESS=key. */
const UNLIMITED = new Set(["/metrics"]);

const ERROR_REF = { $ref: "#/components/schemas/Error" };
const header = (name: string) => ({ $ref: `#/components/headers/${name}` });
const RATE_LIMIT_HEADERS = {
  "X-RateLimit-Limit": header("X-RateLimit-Limit"),
  "X-RateLimit-Remaining": header("X-RateLimit-Remaining"),
  "X-RateLimit-Reset": header("X-RateLimit-Reset"),
};

const HEADERS = {
  Location: {
    description: "the created resource's path",
    schema: { type: "string", example: "/campaigns/6f1c0a47-1b8e-4d47-a4a8-3f0f1b2a9c11" },
  },
  "Retry-After": {
    description: "seconds to wait before retrying",
    schema: { type: "integer", minimum: 0 },
  },
  "WWW-Authenticate": {
    description: "the scheme to authenticate with (`Bearer`)",
    schema: { type: "string" },
  },
  "X-RateLimit-Limit": {
    description: "requests allowed per minute (per key, or per address without one)",
    schema: { type: "integer", minimum: 0 },
  },
  "X-RateLimit-Remaining": {
    description: "requests left in the current minute",
    schema: { type: "integer", minimum: 0 },
  },
  "X-RateLimit-Reset": {
    description: "seconds until the current minute's allowance resets",
    schema: { type: "integer", minimum: 0 },
  },
};

/** The document @fastify/swagger generated, rewritten for generators; the input is not changed. */
export function publishDocument(generated: Json, options: PublishOptions): Json {
  const document = structuredClone(generated);
  const components: Json = { ...((document.components as Json) ?? {}) };
  const schemas: Record<string, Json> = { ...((components.schemas as Record<string, Json>) ?? {}) };
  components.schemas = schemas;
  components.headers = { ...((components.headers as Json) ?? {}), ...HEADERS };
  document.components = components;
  document.servers = [{ url: "/", description: "the server that serves this document" }];

  const paths = (document.paths ?? {}) as Record<string, Record<string, Json>>;
  for (const [path, operations] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const name = `${method.toUpperCase()} ${path}`;
      const body = operation.requestBody as { content?: Record<string, Json> } | undefined;
      for (const media of Object.values(body?.content ?? {})) {
        media.schema = nameSchemas(media.schema, "", schemas, name);
      }
      const responses = (operation.responses ?? {}) as Record<string, Json>;
      for (const response of Object.values(responses)) {
        for (const media of Object.values((response.content ?? {}) as Record<string, Json>)) {
          media.schema = nameSchemas(media.schema, "", schemas, name);
        }
      }
      for (const parameter of (operation.parameters ?? []) as Json[]) {
        // Defaults are filled in by the server: a client may leave the parameter out.
        const schema = parameter.schema as Json | undefined;
        if (parameter.in === "query" && schema?.default !== undefined) parameter.required = false;
      }
      declareAccess(path, method, operation, responses, options);
    }
  }
  return document;
}

/** Security, 401, 429, 415 and the headers each answer carries. */
function declareAccess(
  path: string,
  method: string,
  operation: Json,
  responses: Record<string, Json>,
  options: PublishOptions,
): void {
  if (PROBES.has(path)) {
    operation.security = [];
    return;
  }
  const write = method !== "get" && method !== "head";
  if (write || options.readAccess === "key") operation.security = [{ apiKey: [] }];
  // A key is optional, but a wrong one is refused with a 401 even here.
  else operation.security = [{}, { apiKey: [] }];

  responses["401"] ??= {
    description: "no API key where one is needed, or a key that is not valid",
    headers: { "WWW-Authenticate": header("WWW-Authenticate") },
    content: { "application/json": { schema: ERROR_REF } },
  };
  if (operation.requestBody) {
    responses["415"] ??= {
      description: "a body in a media type the API does not read (it reads JSON)",
      content: { "application/json": { schema: ERROR_REF } },
    };
  }
  const limited = !UNLIMITED.has(path);
  if (limited) {
    responses["429"] ??= {
      description: "rate limit exceeded",
      content: { "application/json": { schema: ERROR_REF } },
    };
    responses["429"].headers = { "Retry-After": header("Retry-After"), ...RATE_LIMIT_HEADERS };
  }
  for (const [code, response] of Object.entries(responses)) {
    if (code === "429") continue;
    if (response.description === "Default Response") {
      response.description = code.startsWith("2") ? "success" : "error";
    }
    const headers: Json = { ...((response.headers as Json) ?? {}) };
    if (limited) Object.assign(headers, RATE_LIMIT_HEADERS);
    if (code === "201") headers.Location = header("Location");
    if (code === "503") headers["Retry-After"] = header("Retry-After");
    if (Object.keys(headers).length > 0) response.headers = headers;
  }
}

/**
 * Bottom-up: publishes each discriminated union as `oneOf` + `discriminator` on `kind`, its
 * variants as components, and moves every schema with a `title` to components.schemas under
 * that title, leaving a `$ref`. Two different schemas with one title fail the document.
 */
function nameSchemas(
  node: unknown,
  key: string,
  schemas: Record<string, Json>,
  where: string,
): unknown {
  if (Array.isArray(node)) return node.map((item) => nameSchemas(item, "", schemas, where));
  if (typeof node !== "object" || node === null) return node;
  const rewritten: Json = {};
  for (const [name, value] of Object.entries(node)) {
    rewritten[name] = nameSchemas(value, name, schemas, where);
  }
  const union = unionVariants(rewritten);
  if (union) {
    const unionName = UNION_NAMES[key];
    if (!unionName) {
      throw new Error(`openapi: ${where}: a discriminated union under "${key}" has no name`);
    }
    const mapping: Record<string, string> = {};
    for (const variant of union) {
      const kind = variantKind(variant);
      const componentName = `${pascal(kind)}${unionName}`;
      const { $ref } = addComponent(schemas, componentName, variant, where);
      mapping[kind] = $ref;
    }
    addComponent(
      schemas,
      unionName,
      {
        oneOf: Object.values(mapping).map(($ref) => ({ $ref })),
        discriminator: { propertyName: "kind", mapping },
      },
      where,
    );
    return { $ref: `#/components/schemas/${unionName}` };
  }
  if (typeof rewritten.title === "string") {
    return addComponent(schemas, rewritten.title, rewritten, where);
  }
  return rewritten;
}

/** The variants of a `discriminatedUnion` schema (`allOf` of `if` kind is not X / `else` X). */
function unionVariants(schema: Json): Json[] | null {
  const branches = schema.allOf;
  if (!Array.isArray(branches) || branches.length === 0) return null;
  if (!branches.every((branch) => "if" in branch && "else" in branch)) return null;
  return branches.map((branch) => branch.else as Json);
}

function variantKind(variant: Json): string {
  const kind = (variant.properties as Record<string, Json> | undefined)?.kind;
  const value = kind?.const ?? (Array.isArray(kind?.enum) ? kind.enum[0] : undefined);
  if (typeof value !== "string") throw new Error("openapi: a union variant without a `kind`");
  return value;
}

function addComponent(
  schemas: Record<string, Json>,
  name: string,
  schema: Json,
  where: string,
): { $ref: string } {
  const existing = schemas[name];
  if (existing && JSON.stringify(existing) !== JSON.stringify(schema)) {
    throw new Error(`openapi: ${where}: two different schemas are named ${name}`);
  }
  schemas[name] = schema;
  return { $ref: `#/components/schemas/${name}` };
}

/** `nas-bench-201` → `NasBench201`. */
function pascal(kind: string): string {
  return kind
    .split(/[^A-Za-z0-9]+/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
}
