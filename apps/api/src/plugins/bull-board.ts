import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { FastifyAdapter } from "@bull-board/fastify";
import fp from "fastify-plugin";

export const DASHBOARD_PATH = "/admin/queues";

/**
 * The BullMQ dashboard (bull-board) for the three queues, at /admin/queues. It needs an API key
 * (see auth.ts); `readOnly` hides its retry, clean and remove actions.
 */
export default fp<{ readOnly: boolean }>(
  async (app, { readOnly }) => {
    const serverAdapter = new FastifyAdapter();
    serverAdapter.setBasePath(DASHBOARD_PATH);
    createBullBoard({
      queues: Object.values(app.queues.byName).map(
        (queue) => new BullMQAdapter(queue, { readOnlyMode: readOnly }),
      ),
      serverAdapter,
      options: { uiConfig: { boardTitle: "nasvae queues" } },
    });
    await app.register(serverAdapter.registerPlugin(), { prefix: DASHBOARD_PATH });
  },
  { name: "bull-board", dependencies: ["queues"] },
);
