import Type from "typebox";

const DependencyState = Type.Enum(["up", "down"]);

/** GET /readyz (and /healthz): whether Postgres and Redis each answer; 503 when one does not. */
export const Readiness = Type.Object(
  {
    status: Type.Enum(["ok", "degraded"]),
    postgres: DependencyState,
    redis: DependencyState,
  },
  { title: "Readiness" },
);

/** GET /livez: the API process serves requests. */
export const Liveness = Type.Object({ status: Type.Literal("ok") });
