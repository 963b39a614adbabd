import Type, { type Static, type TLiteral, type TObject, type TUnion } from "typebox";

/** One branch of a discriminated union: an object with a literal `kind`. */
export type KindVariant = TObject<{ kind: TLiteral<string> }>;

/**
 * A union of objects discriminated by `kind`, checked branch by branch: `kind` must be one of
 * the known kinds, and the object must then match that kind's schema. Unlike a plain anyOf,
 * whose errors mix every branch ("must be random", "populationSize: unknown field", ... for an
 * evolution spec with a bad populationSize), this reports only the errors of the branch the
 * `kind` selects (e.g. just `/populationSize: must be >= 2`), plus one generic `if` error
 * marking the branch. Each branch is `if kind != K, else <K's schema>`: TypeBox keeps the
 * errors of a failing `else`. The OpenAPI document publishes it as a `oneOf` with a `kind`
 * discriminator (apps/api/src/openapi-document.ts).
 */
export function discriminatedUnion<const Variants extends readonly KindVariant[]>(
  variants: Variants,
) {
  const kinds = variants.map((variant) => variant.properties.kind.const);
  return Type.Unsafe<Static<TUnion<[...Variants]>>>({
    type: "object",
    required: ["kind"],
    properties: { kind: { enum: kinds } },
    allOf: variants.map((variant) => ({
      if: { properties: { kind: { not: { const: variant.properties.kind.const } } } },
      else: variant,
    })),
  });
}

/** The `kind` of each variant, in order. */
export function kindsOf<const Variants extends readonly KindVariant[]>(
  variants: Variants,
): readonly Static<Variants[number]>["kind"][] {
  return variants.map((variant) => variant.properties.kind.const);
}
