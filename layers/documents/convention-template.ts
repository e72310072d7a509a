import { formatDeadline, formatParisDateTime, parseInstant } from '../domain/calendar';
import { experimentationText, type Campaign } from '../domain/campaign';
import type { Convention, Party, Signature } from '../domain/convention';
import { formatFiness } from '../domain/finess';
import { arsName } from '../domain/regions';
import { euros } from '../domain/emails';
import { renderPdf, type Block, type DocumentContent } from './pdf';

/**
 * The convention's text, for the national team to read and amend: one line a block, `# ` a heading, `- ` an item,
 * `Label : {{value}}` a field; `{{name}}` is replaced by the value of that name (conventionValues). The
 * signatures section is added after it from the convention's state.
 */
export const CONVENTION_TEMPLATE = `
Entre l'Agence régionale de santé {{ars}}, ci-après « l'ARS », et l'établissement ou service {{name}}, ci-après « la structure », il est convenu ce qui suit, dans le cadre de l'appel à projets « {{campaign}} ».
# Les parties
Agence régionale de santé : ARS {{ars}}
Établissement ou service : {{name}}
Numéro FINESS : {{finess}}
Dossier de candidature : {{applicationId}}
# Article 1 — Objet
La présente convention fixe les conditions dans lesquelles la structure participe à l'expérimentation Mon espace santé en établissements et services médico-sociaux, {{experimentation}}, et reçoit à ce titre un financement de l'ARS.
# Article 2 — Financement
Montant total : {{amount}}
- Première tranche de {{firstInstalment}}, versée à la signature de la présente convention par les deux parties.
- Seconde tranche de {{secondInstalment}}, versée à la fin de l'expérimentation si les objectifs d'usage sont atteints, au vu des indicateurs remontés chaque mois par la structure.
# Article 3 — Engagements de la structure
La structure remonte chaque mois, avant le 5 du mois suivant, les indicateurs d'usage du mois écoulé : des nombres agrégés, jamais de données nominatives.
# Article 4 — Signature et durée
La convention doit être signée par les deux parties au plus tard le {{dueAt}} ; à défaut, elle devient caduque. Elle prend effet à la date de la seconde signature et court jusqu'à la fin de l'expérimentation.
`;

export type ConventionValues = Readonly<Record<string, string>>;

export function conventionValues(convention: Convention, campaign: Campaign): ConventionValues {
  return {
    ars: arsName(convention.ars),
    name: convention.name,
    finess: formatFiness(convention.finess),
    applicationId: convention.applicationId,
    campaign: campaign.title,
    experimentation: experimentationText(campaign),
    amount: euros(convention.amountEur),
    firstInstalment: euros(convention.firstInstalmentEur),
    secondInstalment: euros(convention.amountEur - convention.firstInstalmentEur),
    dueAt: formatDeadline(parseInstant(convention.dueAt)!),
  };
}

/** The template's blocks with every `{{name}}` filled; an unknown name is a template error, not a blank. */
export function fillTemplate(template: string, values: ConventionValues): Block[] {
  const fill = (text: string) =>
    text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
      const value = values[name];
      if (value === undefined) throw new RangeError(`Convention template: no value for {{${name}}}`);
      return value;
    });
  return template
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line): Block => {
      if (line.startsWith('# ')) return { kind: 'heading', text: fill(line.slice(2)) };
      if (line.startsWith('- ')) return { kind: 'item', text: fill(line.slice(2)) };
      const field = /^([^{}:]{1,60}) : (.+)$/.exec(line);
      return field ? { kind: 'field', label: field[1]!, value: fill(field[2]!) } : { kind: 'paragraph', text: fill(line) };
    });
}

const PARTY_LABEL: Record<Party, string> = { esms: 'Pour la structure', ars: "Pour l'ARS" };

function signatureText(signature: Signature | undefined): string {
  if (!signature) return 'Pas encore signée.';
  const at = parseInstant(signature.at);
  return `Signée par ${signature.email ?? signature.by} le ${at ? formatParisDateTime(at) : signature.at} (heure de Paris).`;
}

export const conventionFileName = (convention: Pick<Convention, 'id'>): string => `convention-${convention.id}.pdf`;

/** The convention as created (signatures pending), or as signed: each party's who and when. */
export function conventionContent(convention: Convention, campaign: Campaign, template = CONVENTION_TEMPLATE): DocumentContent {
  const lastSigned = [convention.signatures.esms?.at, convention.signatures.ars?.at, convention.signedAt].map((at) => (at ? parseInstant(at) : undefined)).filter((at): at is Date => at !== undefined);
  const status = convention.status === 'signee' ? 'signée par les deux parties' : convention.status === 'caduque' ? 'caduque' : 'à signer';
  return {
    title: 'Convention de financement',
    subject: `Convention n° ${convention.id} — ${status}`,
    datedAt: lastSigned.length > 0 ? new Date(Math.max(...lastSigned.map((at) => at.getTime()))) : parseInstant(convention.createdAt)!,
    blocks: [
      ...fillTemplate(template, conventionValues(convention, campaign)),
      { kind: 'heading', text: 'Signatures' },
      ...(['esms', 'ars'] as const).map((party): Block => ({ kind: 'field', label: PARTY_LABEL[party], value: signatureText(convention.signatures[party]) })),
    ],
  };
}

export const renderConvention = (convention: Convention, campaign: Campaign): Promise<Uint8Array> => renderPdf(conventionContent(convention, campaign));
