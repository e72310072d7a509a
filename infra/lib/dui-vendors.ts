/**
 * The DUI vendors of a deployment: each gets its own machine client (client credentials, `usage/write`),
 * whose `client_id` names the vendor in every token it gets. No CDK import: the CDK app (context
 * `duiVendors`, through deployment.ts) and the local stack (`DUI_VENDORS`) both read the list through
 * this module, with the same format and the same default.
 *
 * Format: comma-separated vendor names, `-c duiVendors=editeur-a,editeur-b`. A name is also the Cognito
 * client's name and, in the local stack, its client id.
 */

/** Local and development deployments: two vendors, so a test can show one refused for the other's pilots. */
export const defaultDuiVendors: readonly string[] = ['dui-local-a', 'dui-local-b'];

// Lower case, digits and inner dashes: valid as a Cognito client name and as a construct id.
const vendorName = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

/** A wrong vendor list; `origin` says where it came from (context "duiVendors", DUI_VENDORS). */
export class DuiVendorsError extends Error {
  override readonly name = 'DuiVendorsError';
}

/** The vendors a setting names, or the default when it is absent or empty. Throws on a malformed list. */
export function parseDuiVendors(value: unknown, origin: string): readonly string[] {
  if (value === undefined || value === null || value === '') return defaultDuiVendors;
  if (typeof value !== 'string') throw new DuiVendorsError(`${origin} must be a comma-separated list of vendor names, got ${JSON.stringify(value)}.`);
  const vendors = value.split(',').map((name) => name.trim());
  for (const name of vendors) {
    if (!vendorName.test(name)) {
      throw new DuiVendorsError(`${origin} holds "${name}", not a vendor name (lower-case letters, digits and dashes, at most 64 characters).`);
    }
  }
  // Each vendor has its own output, named from the vendor: "editeur-1" and "editeur1" would share one.
  const seen = new Map<string, string>();
  for (const name of vendors) {
    const key = outputKeyOf(name);
    const other = seen.get(key);
    if (other === name) throw new DuiVendorsError(`${origin} names "${name}" twice.`);
    if (other !== undefined) throw new DuiVendorsError(`${origin} names "${other}" and "${name}": two vendors must differ by more than dashes.`);
    seen.set(key, name);
  }
  return vendors;
}

/** `editeur-a` → `EditeurA`: the vendor's part of its stack output name (`DuiClientIdEditeurA`). */
export const outputKeyOf = (vendor: string): string => vendor.replace(/(^|-)(\w)/g, (_, _dash: string, c: string) => c.toUpperCase());

/** The local stack's vendors: `DUI_VENDORS` in its environment, same format as the CDK context; their names are their client ids. */
export const localDuiVendors = (env: NodeJS.ProcessEnv = process.env): readonly string[] => parseDuiVendors(env.DUI_VENDORS, 'DUI_VENDORS');
