// Route of « Services en ligne »: the whole catalogue by category.
import type { FastifyInstance } from "fastify";
import { pageOf, sendPage } from "../../web/page.js";
import { listCatalogue } from "./services.service.js";
import { CatalogueView } from "./services.views.js";

export async function serviceRoutes(app: FastifyInstance): Promise<void> {
  app.get("/services", async (request, reply) => {
    const { services, canRequest } = await listCatalogue(request.ctx());
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t("services.catalogueTitle"),
      <CatalogueView page={page} services={services} canRequest={canRequest} />,
    );
  });
}
