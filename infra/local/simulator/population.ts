import { withCheckKey } from '../../../layers/domain/finess';
import { arsRegions, type ArsCode } from '../../../layers/domain/regions';

/** A seeded generator (mulberry32): the same seed replays the same campaign. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SimulatedEsms {
  readonly index: number;
  readonly sub: string;
  readonly email: string;
  readonly finess: string;
  readonly ars: ArsCode;
  readonly name: string;
  readonly category: string;
  readonly editor: string;
  /** Day of the intake window on which the draft is created, and submitted (beyond the window: late). */
  readonly createDay: number;
  readonly submitDay: number;
  readonly ineligible: boolean;
  readonly neverSubmits: boolean;
  readonly late: boolean;
  /** Reuses the FINESS of an earlier ESMS: the platform must refuse it. */
  readonly duplicateOf?: number;
  readonly esmsSignsLate: boolean;
  readonly arsSignsLate: boolean;
  readonly missesReports: number;
}

// About 35% elderly care, 35% disability, 30% home care (DOMAIN.md: the 56 pilots retained).
const categories: readonly (readonly [string, string, number])[] = [
  ['500', 'EHPAD', 28], ['202', 'Résidence autonomie', 4], ['207', 'Centre de jour', 3],
  ['255', 'MAS', 7], ['437', 'FAM', 6], ['382', 'Foyer de vie', 6], ['246', 'ESAT', 5], ['183', 'IME', 6], ['182', 'SESSAD', 5],
  ['354', 'SSIAD', 15], ['460', 'Service d’aide à domicile', 10], ['209', 'SAAS', 5],
];
const places = ['Les Tilleuls', 'Le Bois Joli', 'Les Charmilles', 'La Roseraie', 'Saint-Joseph', 'Les Acacias', 'Le Clos Fleuri', 'Les Écureuils', 'La Source', 'Bel Air', 'Les Hortensias', 'Le Val d’Or'];
const editors = ['Éditeur Alpha', 'Logiciel Bêta', 'DUI Santé', 'Médico Soft'];
// Weights roughly follow the number of ESMS per region.
const regionWeights: Record<string, number> = { ARA: 12, BFC: 5, BRE: 5, CVL: 4, COR: 1, GES: 8, HDF: 9, IDF: 14, NOR: 5, NAQ: 10, OCC: 9, PDL: 6, PAC: 7, GUA: 1, MTQ: 1, GUY: 1, REU: 2, MAY: 1 };

function pick<T>(rng: () => number, items: readonly T[], weight: (item: T) => number): T {
  const total = items.reduce((sum, item) => sum + weight(item), 0);
  let roll = rng() * total;
  for (const item of items) {
    roll -= weight(item);
    if (roll <= 0) return item;
  }
  return items[items.length - 1]!;
}

function finessFor(department: string, serial: number): string {
  if (department === '2A' || department === '2B') return `${department}${String(serial % 10_000_000).padStart(7, '0')}`;
  const prefix = department.length === 3 ? `970${department[2]}` : department;
  const digits = 8 - prefix.length;
  return withCheckKey(`${prefix}${String(serial % 10 ** digits).padStart(digits, '0')}`);
}

export function population(count: number, seed: number, intakeDays: number): SimulatedEsms[] {
  const rng = random(seed);
  const list: SimulatedEsms[] = [];
  for (let index = 0; index < count; index += 1) {
    const region = pick(rng, arsRegions, (candidate) => regionWeights[candidate.code] ?? 1);
    const department = region.departments[Math.floor(rng() * region.departments.length)]!;
    const [category, label] = pick(rng, categories, (entry) => entry[2]);
    const createDay = Math.floor(rng() * (intakeDays - 5));
    const late = rng() < 0.05;
    const duplicate = index > 10 && rng() < 0.03;
    list.push({
      index,
      sub: `sim-esms-${seed}-${index}`,
      email: `direction-${index}@esms-sim.local`,
      finess: duplicate ? list[Math.floor(rng() * index)]!.finess : finessFor(department, 100_000 + seed * 1000 + index),
      ars: region.code,
      name: `${label} ${places[Math.floor(rng() * places.length)]} ${index}`,
      category,
      editor: editors[Math.floor(rng() * editors.length)]!,
      createDay,
      submitDay: late ? intakeDays + 1 : Math.min(intakeDays - 1, createDay + Math.floor(rng() * 10)),
      ineligible: rng() < 0.08,
      neverSubmits: rng() < 0.05,
      late,
      ...(duplicate ? { duplicateOf: 0 } : {}),
      esmsSignsLate: rng() < 0.05,
      arsSignsLate: rng() < 0.03,
      missesReports: rng() < 0.15 ? 1 + Math.floor(rng() * 3) : 0,
    });
  }
  return list;
}
