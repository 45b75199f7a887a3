// PAVL's local sessions, in memory: a sign-in under way (its PKCE verifier, state and nonce, kept on the server) or a
// person signed in, each under a random id that only the browser's cookie carries.
//
// An in-memory store is enough for an example run as one process; a real service run on several servers keeps these
// records in a shared store (a database, Redis), with the same indexes by `sid` and `sub` for back-channel logout.
import { randomBytes } from "node:crypto";

/** What is kept between the redirect to Guichet and the return to /auth/callback; used once. */
export type PendingSignIn = {
  codeVerifier: string;
  state: string;
  nonce: string;
};

/** The organization the person acts for, as Guichet's `organisation` claim states it. */
export type Organisation = {
  id: string | number | undefined;
  kind: string | undefined;
  name: string;
  geoCode: string | undefined;
  neq: string | undefined;
};

export type SignedInPerson = {
  sub: string;
  /** Guichet's session id for PAVL (the ID token's `sid`), which a back-channel logout token names. */
  sid: string | undefined;
  name: string;
  email: string | undefined;
  organisation: Organisation | undefined;
  acr: string | undefined;
  amr: string[];
  /** Sent back as id_token_hint when the person signs out through Guichet. */
  idToken: string;
  /** The token the sign-out form carries, so that another site cannot sign the person out. */
  csrfToken: string;
};

type Session =
  | { kind: "pending"; pending: PendingSignIn; expiresAt: number }
  | { kind: "signed-in"; person: SignedInPerson; expiresAt: number };

/** A sign-in must come back from Guichet within this time. */
export const PENDING_SIGN_IN_MS = 10 * 60_000;
/** A signed-in session lasts a working day; Guichet's own session may end it sooner (back-channel logout). */
export const SIGNED_IN_MS = 8 * 3_600_000;
/** Past this many sessions the oldest is dropped, so that a flood of abandoned sign-ins cannot fill the memory. */
export const MAX_SESSIONS = 10_000;

export function randomToken(): string {
  return randomBytes(32).toString("base64url");
}

export class SessionStore {
  readonly #sessions = new Map<string, Session>();
  readonly #bySid = new Map<string, Set<string>>();
  readonly #bySub = new Map<string, Set<string>>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  get size(): number {
    return this.#sessions.size;
  }

  /** Starts a sign-in under a new id; the caller sets that id as the cookie. */
  startSignIn(pending: PendingSignIn): string {
    return this.#add({ kind: "pending", pending, expiresAt: this.#now() + PENDING_SIGN_IN_MS });
  }

  /** The sign-in under way for this id, removed as it is read: a callback can be completed only once. */
  takePendingSignIn(id: string | undefined): PendingSignIn | undefined {
    const session = this.#live(id);
    if (!id || session?.kind !== "pending") return undefined;
    this.#sessions.delete(id);
    return session.pending;
  }

  /** Opens a session for a person under a new id (never the sign-in's: a fixed id cannot be planted beforehand). */
  open(person: SignedInPerson): string {
    const id = this.#add({ kind: "signed-in", person, expiresAt: this.#now() + SIGNED_IN_MS });
    if (person.sid) addTo(this.#bySid, person.sid, id);
    addTo(this.#bySub, person.sub, id);
    return id;
  }

  person(id: string | undefined): SignedInPerson | undefined {
    const session = this.#live(id);
    return session?.kind === "signed-in" ? session.person : undefined;
  }

  end(id: string | undefined): void {
    if (!id) return;
    const session = this.#sessions.get(id);
    this.#sessions.delete(id);
    if (session?.kind !== "signed-in") return;
    if (session.person.sid) removeFrom(this.#bySid, session.person.sid, id);
    removeFrom(this.#bySub, session.person.sub, id);
  }

  /**
   * Ends the sessions a back-channel logout token names: those of Guichet session `sid` when it is given (and of
   * that person, when `sub` is given too), otherwise every session of the person `sub`. Returns how many ended.
   */
  endForLogout(names: { sid: string | undefined; sub: string | undefined }): number {
    const candidates = names.sid
      ? this.#bySid.get(names.sid)
      : names.sub
        ? this.#bySub.get(names.sub)
        : undefined;
    const ids = [...(candidates ?? [])].filter((id) => {
      const person = this.person(id);
      return person !== undefined && (names.sub === undefined || person.sub === names.sub);
    });
    for (const id of ids) this.end(id);
    return ids.length;
  }

  #add(session: Session): string {
    const id = randomToken();
    this.#sessions.set(id, session);
    while (this.#sessions.size > MAX_SESSIONS) {
      const oldest = this.#sessions.keys().next().value;
      if (oldest === undefined) break;
      this.end(oldest);
    }
    return id;
  }

  #live(id: string | undefined): Session | undefined {
    if (!id) return undefined;
    const session = this.#sessions.get(id);
    if (session && session.expiresAt <= this.#now()) {
      this.end(id);
      return undefined;
    }
    return session;
  }
}

function addTo(index: Map<string, Set<string>>, key: string, id: string): void {
  const ids = index.get(key) ?? new Set<string>();
  ids.add(id);
  index.set(key, ids);
}

function removeFrom(index: Map<string, Set<string>>, key: string, id: string): void {
  const ids = index.get(key);
  if (!ids) return;
  ids.delete(id);
  if (ids.size === 0) index.delete(key);
}
