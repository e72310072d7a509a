import { readReply, type Reply } from '../reply';

/** A small HTTP client for the local stack: the simulator speaks to the platform only through its API. */

export interface InboxEmail {
  destination: { to: string[] };
  subject: string;
  body: { text?: string };
  /** The ledger reference travels in X-MES-Reference (layers/adapters/outbox.ts). */
  headers?: { name: string; value: string }[];
}

export class LocalClient {
  requests = 0;
  serverErrors: string[] = [];

  constructor(
    readonly apiUrl: string,
    readonly sesUrl: string,
  ) {}

  async call(method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.apiUrl}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
    const reply = await readReply(response);
    this.requests += 1;
    if (reply.status >= 500) this.serverErrors.push(`${method} ${path} → ${reply.status} ${reply.text.slice(0, 200)}`);
    return reply;
  }

  async token(claims: { sub: string; email?: string; groups?: string[]; clientId?: string; scope?: string }): Promise<string> {
    const reply = await this.call('POST', '/local/token', { body: claims });
    if (reply.status !== 200) throw new Error(`token: ${reply.text}`);
    return reply.json.token as string;
  }

  async setClock(now: string | null): Promise<void> {
    const reply = await this.call('PUT', '/local/clock', { body: { now } });
    if (reply.status !== 200) throw new Error(`clock: ${reply.text}`);
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async runMilestones(campaignId: string): Promise<any> {
    const reply = await this.call('POST', '/local/milestones/run', { body: { campaignId } });
    if (reply.status !== 200) throw new Error(`milestones: ${reply.text}`);
    return reply.json;
  }

  /** Every item of a paginated list. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async all(path: string, token: string): Promise<any[]> {
    const items: unknown[] = [];
    let cursor: string | null = null;
    do {
      const separator = path.includes('?') ? '&' : '?';
      const reply: Reply = await this.call('GET', `${path}${separator}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token });
      if (reply.status !== 200) throw new Error(`list ${path}: ${reply.status} ${reply.text}`);
      items.push(...reply.json.items);
      cursor = reply.json.nextCursor;
    } while (cursor);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return items as any[];
  }

  async inbox(): Promise<InboxEmail[]> {
    return ((await (await fetch(`${this.sesUrl}/store`)).json()) as { emails: InboxEmail[] }).emails;
  }
}
