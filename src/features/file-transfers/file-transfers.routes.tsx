// Routes of « Transfert de fichiers »: the sender's page and its three forms (add one file, remove one, transfer),
// the history, the receiving staff's inboxes and downloads. Multipart is registered here only, for the one upload route.
import type { Readable } from "node:stream";
import multipart from "@fastify/multipart";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { openFileStore } from "../../storage/index.js";
import { readFields, readRouteId } from "../../web/forms.js";
import { localizedText } from "../../web/localized.js";
import { pageOf, redirectWithFlash, sendPage, setFlash } from "../../web/page.js";
import { newSubmissionKey, readSubmissionKey } from "../submissions/submissions.service.js";
import { UPLOAD_BUFFERS } from "./checked-upload.js";
import {
  inbox,
  listInboxes,
  sendPage as loadSendPage,
  openDownload,
  openUpload,
  type Refusal,
  removeStagedFile,
  sendTransfer,
  stageUpload,
  type TransferDeps,
  transferHistory,
} from "./file-transfers.service.js";
import {
  HistoryView,
  INBOXES_PATH,
  InboxesView,
  InboxView,
  SEND_PATH,
  type SendErrors,
  SendView,
  sendPathFor,
} from "./file-transfers.views.js";

type CodeParams = { Params: { code: string } };
type IdParams = { Params: { id: string } };

/**
 * A header that names a file safely: an ASCII fallback any client understands (accents dropped, anything else
 * replaced), and the exact UTF-8 name in RFC 5987 form for the clients that read it.
 */
export function contentDisposition(name: string): string {
  const fallback =
    name
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[^\x20-\x7e]|["\\%;]/g, "_")
      .trim() || "fichier";
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** Sends a stored file as a download: its exact length, never sniffed, never cached. */
export function sendDownload(
  reply: FastifyReply,
  file: { name: string; size: number; contentType: string; stream: Readable },
): FastifyReply {
  return reply
    .header("content-type", file.contentType)
    .header("content-length", String(file.size))
    .header("content-disposition", contentDisposition(file.name))
    .header("x-content-type-options", "nosniff")
    .header("cache-control", "private, no-store")
    .send(file.stream);
}

/** The page's script posts with XMLHttpRequest and asks for JSON; a form without JavaScript gets pages. */
function wantsJson(request: FastifyRequest): boolean {
  return (request.headers.accept ?? "").includes("application/json");
}

export async function fileTransferRoutes(app: FastifyInstance): Promise<void> {
  const { config } = app.guichet;
  const deps: TransferDeps = { store: openFileStore(config), maxFileBytes: config.transferMaxFileBytes };
  app.addHook("onClose", async () => deps.store.close());

  // preservePath: busboy would otherwise cut « ../x.pdf » down to « x.pdf »; the name check must see what was sent.
  await app.register(multipart, { preservePath: true, throwFileSizeLimit: false });

  async function showSendPage(
    request: FastifyRequest,
    reply: FastifyReply,
    recipientCode: string | null,
    errors: SendErrors = {},
    status = 200,
    submissionKey = newSubmissionKey(),
  ) {
    const data = await loadSendPage(request.ctx(), deps, recipientCode);
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t("fileTransfers.title"),
      <SendView page={page} data={data} errors={errors} submissionKey={submissionKey} />,
      status,
    );
  }

  app.get(SEND_PATH, async (request, reply) => {
    const { destinataire } = readFields(request.query, ["destinataire"]);
    return showSendPage(request, reply, destinataire === "" ? null : destinataire);
  });

  function refuseUpload(
    request: FastifyRequest,
    reply: FastifyReply,
    code: string,
    status: number,
    refusal: Refusal,
  ) {
    // The rest of a refused body is not read: the connection closes once the answer is sent.
    reply.header("connection", "close");
    if (wantsJson(request)) {
      return reply.status(status).send({ ok: false, message: request.t(refusal.key, refusal.params) });
    }
    return showSendPage(request, reply, code, { fichier: refusal }, status);
  }

  app.post<CodeParams>(
    `${SEND_PATH}/:code/fichiers`,
    { config: { upload: true } },
    async (request, reply) => {
      const code = request.params.code;
      const ctx = request.ctx();
      const target = await openUpload(ctx, deps, code);
      if (!request.isMultipart())
        return refuseUpload(request, reply, code, 400, { key: "fileTransfers.refusal.notMultipart" });
      const part = await request.file({
        ...UPLOAD_BUFFERS,
        // One byte over the limit is enough to know a file is too large; busboy drops anything beyond.
        limits: { fileSize: target.limit + 1, files: 1, fields: 4, parts: 5 },
        throwFileSizeLimit: false,
      });
      const result = await stageUpload(
        ctx,
        deps,
        target,
        part ? { filename: part.filename, stream: part.file } : undefined,
        request.locale,
      );
      if (!result.ok) return refuseUpload(request, reply, code, result.status, result.refusal);
      const flash = {
        kind: "success" as const,
        key: result.replaced ? ("fileTransfers.fileReplaced" as const) : ("fileTransfers.fileAdded" as const),
        params: { name: result.name },
      };
      if (wantsJson(request)) {
        setFlash(reply, flash);
        return reply.send({ ok: true, location: sendPathFor(code) });
      }
      return redirectWithFlash(reply, sendPathFor(code), flash);
    },
  );

  app.post<IdParams>(`${SEND_PATH}/fichiers/:id/supprimer`, async (request, reply) => {
    const { removed, recipientCode } = await removeStagedFile(
      request.ctx(),
      deps,
      readRouteId(request.params.id),
    );
    return redirectWithFlash(reply, recipientCode ? sendPathFor(recipientCode) : SEND_PATH, {
      kind: removed ? "success" : "info",
      key: removed ? "fileTransfers.fileRemoved" : "fileTransfers.fileAlreadyRemoved",
      params: { name: removed ?? "" },
    });
  });

  app.post<CodeParams>(`${SEND_PATH}/:code/transferer`, async (request, reply) => {
    const code = request.params.code;
    const submissionKey = readSubmissionKey(request.body);
    const fields = readFields(request.body, ["brouillon", "certification"]);
    const draftId = /^\d{1,15}$/.test(fields.brouillon) ? Number(fields.brouillon) : null;
    const result = await sendTransfer(request.ctx(), deps, {
      recipientCode: code,
      draftId,
      certified: fields.certification === "1",
      submissionKey,
    });
    if (!result.ok) return showSendPage(request, reply, code, result.errors, 400, submissionKey);
    return redirectWithFlash(reply, SEND_PATH, {
      kind: "success",
      key: "fileTransfers.success",
      params: { number: result.confirmationNumber },
    });
  });

  app.get("/transfert-fichiers/historique", async (request, reply) => {
    const transfers = await transferHistory(request.ctx());
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t("fileTransfers.history"),
      <HistoryView page={page} transfers={transfers} />,
    );
  });

  app.get(INBOXES_PATH, async (request, reply) => {
    const recipients = await listInboxes(request.ctx());
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t("fileTransfers.inboxes"),
      <InboxesView page={page} recipients={recipients} />,
    );
  });

  app.get<CodeParams>(`${INBOXES_PATH}/:code`, async (request, reply) => {
    const { recipient, transfers } = await inbox(request.ctx(), request.params.code);
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t("fileTransfers.inboxTitle", {
        recipient: localizedText(page.locale, recipient.name, recipient.name_en),
      }),
      <InboxView page={page} recipient={recipient} transfers={transfers} />,
    );
  });

  app.get<IdParams>(`${INBOXES_PATH}/fichiers/:id`, async (request, reply) => {
    return sendDownload(reply, await openDownload(request.ctx(), deps, readRouteId(request.params.id)));
  });
}
