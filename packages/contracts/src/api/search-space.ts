import Type, { type Static } from "typebox";
import { EVALUATOR_KINDS } from "../evaluator-spec.ts";

export const SearchSpaceInfo = Type.Object(
  {
    id: Type.String({ description: "what a campaign's `searchSpace` names" }),
    name: Type.String(),
    size: Type.Number({ description: "distinct architecture strings of the whole space" }),
    isomorphismClasses: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], {
      description:
        "distinct architectures up to isomorphism, the most evaluations a campaign on the whole space can spend; null where the space is too large to list",
    }),
    example: Type.String({
      description: "an architecture string of the space, as the API shows cells",
    }),
    enumerable: Type.Boolean({
      description: "whether strategies may list every cell (small spaces); others sample",
    }),
    evaluators: Type.Array(
      Type.Object(
        {
          kind: Type.Enum([...EVALUATOR_KINDS]),
          domainSize: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], {
            description:
              "how many distinct architectures of the space it can score (a table's rows), the largest budget it takes; null: the whole space",
          }),
        },
        { additionalProperties: false },
      ),
      { description: "the evaluator kinds that can score the space" },
    ),
  },
  { additionalProperties: false },
);
export type SearchSpaceInfo = Static<typeof SearchSpaceInfo>;

export const SearchSpaceList = Type.Object(
  { items: Type.Array(SearchSpaceInfo) },
  { additionalProperties: false },
);
export type SearchSpaceList = Static<typeof SearchSpaceList>;
