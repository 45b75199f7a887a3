// Routes of « Journal des accès » (its page and its CSV file) and of « Mon historique »: read the query string, call
// the service, render. Whose events are read comes from the reader's role, never from the query string.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { montrealDay } from "../../util/days.js";
import { sendCsv } from "../../web/downloads.js";
import { readFields } from "../../web/forms.js";
import { pageOf, sendPage } from "../../web/page.js";
import {
  type EventsPage,
  historyPage,
  type JournalQuery,
  journalExport,
  journalPage,
  openJournal,
  organizationKey,
  QUERY,
  readFilter,
} from "./journal.service.js";
import {
  HISTORY_PATH,
  HistoryView,
  JOURNAL_PATH,
  JournalView,
  journalCsv,
  LABELLED_ACTIONS,
} from "./journal.views.js";

async function readJournal(request: FastifyRequest) {
  const ctx = request.ctx();
  const reader = await openJournal(ctx);
  const query: JournalQuery = readFields(request.query, QUERY);
  const read = readFilter(query, reader.services, LABELLED_ACTIONS, organizationKey(reader));
  return { ctx, reader, query, read };
}

type Journal = Awaited<ReturnType<typeof readJournal>>;

/** The page: its filters as given, their errors, and the events (none when a filter is wrong). */
function showJournal(
  request: FastifyRequest,
  reply: FastifyReply,
  journal: Journal,
  events: EventsPage | null,
) {
  const { reader, query, read } = journal;
  const page = pageOf(request, reply);
  return sendPage(
    reply,
    page,
    page.t("journal.title"),
    <JournalView
      page={page}
      query={query}
      services={reader.services}
      managed={reader.managed !== null}
      errors={read.errors}
      cursorRefused={read.cursorRefused}
      events={events}
    />,
    events === null || read.cursorRefused ? 400 : 200,
  );
}

export async function journalRoutes(app: FastifyInstance): Promise<void> {
  app.get(JOURNAL_PATH, async (request, reply) => {
    const journal = await readJournal(request);
    return showJournal(request, reply, journal, await journalPage(journal.ctx, journal.reader, journal.read));
  });

  app.get(`${JOURNAL_PATH}.csv`, async (request, reply) => {
    const journal = await readJournal(request);
    const { ctx, reader, read } = journal;
    // A bad filter in a CSV address: the page says which, with the same filters in its form.
    if (Object.keys(read.errors).length > 0) return showJournal(request, reply, journal, null);
    const rows = await journalExport(ctx, reader, read);
    const name = `journal-des-acces-${montrealDay(ctx.now)}.csv`;
    return sendCsv(reply, name, journalCsv(request.t, request.locale, rows));
  });

  app.get(HISTORY_PATH, async (request, reply) => {
    const { page: cursor } = readFields(request.query, ["page"]);
    const events = await historyPage(request.ctx(), cursor);
    const page = pageOf(request, reply);
    const first = cursor === "" || events.refused;
    return sendPage(
      reply,
      page,
      page.t("history.title"),
      <HistoryView page={page} events={events} first={first} refused={events.refused} />,
      events.refused ? 400 : 200,
    );
  });
}
