// What the form holds (strings as typed) and the ApplicationEdit it sends, checked with the API's own schema.
import { applicationEditSchema, eligibilityProblems, pathways, readinessLevels } from '@domain/application';
import { z } from 'zod/mini';
import type { Application, ApplicationEdit } from '../../api/client';

// The schema's own messages are English by default: the form shows French ones. No JIT: the page's CSP
// forbids eval (zod would otherwise probe `new Function` and trip a CSP report).
z.config({ ...z.locales.fr(), jitless: true });

export type Pathway = (typeof pathways)[number];
export type Readiness = (typeof readinessLevels)[number] | '';

export interface Draft {
  name: string;
  category: string;
  capacity: string;
  contactName: string;
  contactEmail: string;
  contactPhone: string;
  duiEditor: string;
  duiProduct: string;
  segurReferenced: boolean;
  mesCapable: boolean;
  dmp: Readiness;
  mss: Readiness;
  ins: Readiness;
  pathways: Pathway[];
  exchanges: string;
  awarenessMeans: string;
}

export function draftOf(application: Application): Draft {
  return {
    name: application.name ?? '',
    category: application.category ?? '',
    capacity: application.capacity === undefined ? '' : String(application.capacity),
    contactName: application.contact?.name ?? '',
    contactEmail: application.contact?.email ?? '',
    contactPhone: application.contact?.phone ?? '',
    duiEditor: application.dui?.editor ?? '',
    duiProduct: application.dui?.product ?? '',
    segurReferenced: application.dui?.segurReferenced ?? false,
    mesCapable: application.dui?.mesCapable ?? false,
    dmp: application.readiness?.dmp ?? '',
    mss: application.readiness?.mss ?? '',
    ins: application.readiness?.ins ?? '',
    pathways: [...(application.pathways ?? [])],
    exchanges: application.exchanges ?? '',
    awarenessMeans: application.awarenessMeans ?? '',
  };
}

const text = (value: string): string | undefined => (value.trim() === '' ? undefined : value);

function compact<T extends Record<string, unknown>>(object: T): Partial<T> | undefined {
  const kept = Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined && value !== false));
  return Object.keys(kept).length > 0 ? (kept as Partial<T>) : undefined;
}

/** The body of the PUT as typed, before any check; empty fields are left out (the API clears them). */
export function rawEditOf(draft: Draft): Record<string, unknown> {
  const capacity = draft.capacity.trim();
  const edit: Record<string, unknown> = {
    name: text(draft.name),
    category: text(draft.category),
    capacity: capacity === '' ? undefined : /^-?\d+$/.test(capacity) ? Number(capacity) : capacity,
    contact: compact({ name: text(draft.contactName), email: text(draft.contactEmail), phone: text(draft.contactPhone) }),
    dui: compact({ editor: text(draft.duiEditor), product: text(draft.duiProduct), segurReferenced: draft.segurReferenced || undefined, mesCapable: draft.mesCapable || undefined }),
    readiness: compact({ dmp: draft.dmp || undefined, mss: draft.mss || undefined, ins: draft.ins || undefined }),
    pathways: draft.pathways.length > 0 ? draft.pathways : undefined,
    exchanges: text(draft.exchanges),
    awarenessMeans: text(draft.awarenessMeans),
  };
  return Object.fromEntries(Object.entries(edit).filter(([, value]) => value !== undefined));
}

function drop(target: Record<string, unknown>, path: readonly PropertyKey[]): void {
  const [head, ...rest] = path;
  if (head === undefined) return;
  if (rest.length === 0 || typeof target[head as string] !== 'object' || Array.isArray(target[head as string])) {
    delete target[head as string];
    return;
  }
  const inner = target[head as string] as Record<string, unknown>;
  drop(inner, rest);
  if (Object.keys(inner).length === 0) delete target[head as string];
}

/**
 * What can be saved now: the fields the API's schema accepts. A field it would refuse (an email still being
 * typed, a capacity that is not a whole number) is left out of the save and shown with its message; what the
 * person typed stays in the form.
 */
export function checkedEdit(draft: Draft): { edit: ApplicationEdit; problems: Record<string, string> } {
  const edit = structuredClone(rawEditOf(draft));
  const problems: Record<string, string> = {};
  for (let round = 0; round < 20; round += 1) {
    const result = applicationEditSchema.safeParse(edit);
    if (result.success) return { edit: result.data as ApplicationEdit, problems };
    for (const issue of result.error.issues) {
      const path = issue.path.filter((part) => typeof part === 'string').join('.');
      problems[path] ??= issue.message;
      drop(edit, issue.path.length > 0 ? issue.path.filter((part) => typeof part === 'string') : ['']);
    }
  }
  return { edit: {}, problems };
}

/** Every rule of the call, each met or not, in the API's own words (eligibilityProblems of layers/domain). */
export function eligibilityChecklist(edit: ApplicationEdit): { path: string; message: string; met: boolean }[] {
  const unmet = new Set(eligibilityProblems(edit).map((problem) => problem.path));
  return eligibilityProblems({}).map((rule) => ({ ...rule, met: !unmet.has(rule.path) }));
}

export const sameEdit = (a: ApplicationEdit, b: ApplicationEdit): boolean => JSON.stringify(a) === JSON.stringify(b);
