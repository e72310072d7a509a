import { readReply } from '../../infra/local/reply';
import { performance } from 'node:perf_hooks';
import type { ApiReply, ApiRequest, Identity, Operation, Platform } from './scenario';

/** The scenario through the local HTTP API emulator, as a client sees it: each measured call is one fetch. */
export class HttpPlatform implements Platform {
  readonly samples = new Map<Operation, number[]>();
  private readonly tokens = new Map<string, string>();
  private readonly instances = new Map<Operation, number>();

  /** `afterMeasured` runs after each measured call, outside its timing (the bare replay keeps in step there). */
  constructor(
    private readonly apiUrl: string,
    private readonly afterMeasured?: (operation: Operation, instance: number) => Promise<void>,
  ) {}

  async token(identity: Identity): Promise<string> {
    const known = this.tokens.get(identity.sub);
    if (known) return known;
    const reply = await this.raw('POST', '/local/token', { sub: identity.sub, email: identity.email, groups: identity.groups });
    if (reply.status !== 200) throw new Error(`local token: ${reply.status} ${reply.text}`);
    this.tokens.set(identity.sub, reply.json.token as string);
    return reply.json.token as string;
  }

  async call(request: ApiRequest, operation?: Operation): Promise<ApiReply> {
    const [method, template] = request.route.split(' ') as [string, string];
    const path = template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(request.params?.[name] ?? ''));
    const query = request.query ? `?${new URLSearchParams(request.query).toString()}` : '';
    const headers: Record<string, string> = {};
    if (request.as) headers.authorization = `Bearer ${await this.token(request.as)}`;
    const started = performance.now();
    const reply = await this.raw(method, `${path}${query}`, request.body, headers);
    if (operation) {
      this.record(operation, performance.now() - started);
      const instance = this.instances.get(operation) ?? 0;
      this.instances.set(operation, instance + 1);
      await this.afterMeasured?.(operation, instance);
    }
    return reply;
  }

  async setClock(instant: string): Promise<void> {
    const reply = await this.raw('PUT', '/local/clock', { now: instant });
    if (reply.status !== 200) throw new Error(`clock: ${reply.status} ${reply.text}`);
  }

  async runMilestones(campaignId: string): Promise<void> {
    const reply = await this.raw('POST', '/local/milestones/run', { campaignId });
    if (reply.status !== 200) throw new Error(`milestones: ${reply.status} ${reply.text}`);
  }

  private record(operation: Operation, ms: number): void {
    const list = this.samples.get(operation) ?? [];
    list.push(ms);
    this.samples.set(operation, list);
  }

  private async raw(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiReply> {
    const response = await fetch(`${this.apiUrl}${path}`, {
      method,
      headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return readReply(response);
  }
}
