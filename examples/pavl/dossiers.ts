// PAVL's own dossiers, in memory: a real service keeps them in its database. Each belongs to a municipality, known to
// PAVL by its geographic code; Guichet's id of that organization is learned from the `organisation` claim of the first
// person who signs in for it, and the dossiers are declared to Guichet then (PUT, idempotent). An agent of a firm
// then finds them by that id, among the clients Guichet says they act for.

export type Dossier = { externalId: string; geoCode: string; title: string };

/** Three « projets de voirie » of Ville de Québec (code géographique 23027). */
export const DEMO_DOSSIERS: readonly Dossier[] = [
  { externalId: "PAVL-2026-0001", geoCode: "23027", title: "Réfection du boulevard Henri-Bourassa" },
  { externalId: "PAVL-2026-0002", geoCode: "23027", title: "Resurfaçage de la rue des Érables" },
  { externalId: "PAVL-2026-0003", geoCode: "23027", title: "Réparation du pont de la rivière Lorette" },
];

export const TITLE_MAX = 200;

export class DossierStore {
  readonly #dossiers = new Map<string, Dossier>();
  /** Dossier → the Guichet organization id and title it was last declared with. */
  readonly #declared = new Map<string, { organization: number; title: string }>();

  constructor(dossiers: readonly Dossier[] = DEMO_DOSSIERS) {
    for (const dossier of dossiers) this.#dossiers.set(dossier.externalId, { ...dossier });
  }

  /** The dossiers of one municipality, in their order. */
  ofMunicipality(geoCode: string | undefined): Dossier[] {
    if (!geoCode) return [];
    return [...this.#dossiers.values()].filter((dossier) => dossier.geoCode === geoCode);
  }

  get(externalId: string): Dossier | undefined {
    return this.#dossiers.get(externalId);
  }

  setTitle(externalId: string, title: string): void {
    const dossier = this.#dossiers.get(externalId);
    if (dossier) dossier.title = title;
  }

  /** Whether Guichet already knows this dossier as it is now, for this organization. */
  isDeclared(dossier: Dossier, organization: number): boolean {
    const declared = this.#declared.get(dossier.externalId);
    return declared?.organization === organization && declared.title === dossier.title;
  }

  /** The dossiers declared for an organization (a client of an agent: PAVL knows it by Guichet's id only). */
  declaredFor(organization: number): Dossier[] {
    return [...this.#dossiers.values()].filter(
      (dossier) => this.#declared.get(dossier.externalId)?.organization === organization,
    );
  }

  /** The Guichet organization a dossier was declared for; undefined before its first declaration. */
  declaredOrganization(externalId: string): number | undefined {
    return this.#declared.get(externalId)?.organization;
  }

  markDeclared(dossier: Dossier, organization: number): void {
    this.#declared.set(dossier.externalId, { organization, title: dossier.title });
  }
}
