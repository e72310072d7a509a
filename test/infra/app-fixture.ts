import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Stack, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { repoRoot } from '../../infra/lib/house-function';
import { buildMesPilotes, type MesPilotes } from '../../infra/lib/mes-pilotes';

/** The context `cdk synth` sees: cdk.json's feature flags, then the `-c` values. */
export function appWithContext(context: Record<string, unknown>): App {
  const cdkJson = JSON.parse(fs.readFileSync(path.join(repoRoot, 'cdk.json'), 'utf-8')) as { context: Record<string, unknown> };
  return new App({ context: { ...cdkJson.context, ...context } });
}

/** Builds the app without running esbuild, for tests that only look at names and context. */
export function buildWithoutBundling(context: Record<string, unknown>): MesPilotes {
  return buildMesPilotes(appWithContext({ 'aws:cdk:bundling-stacks': [], ...context }));
}

export interface SynthesisedApp extends MesPilotes {
  readonly app: App;
  readonly templates: {
    readonly data: Template;
    readonly auth: Template;
    readonly api: Template;
    readonly schedules: Template;
    readonly notifications: Template;
    readonly monitoring: Template;
    readonly web: Template;
  };
}

/** The real thing: bundles every function with the local esbuild and synthesises, cdk-nag included. */
export function synthesise(context: Record<string, unknown> = { ars: 'NAQ' }): SynthesisedApp {
  const app = appWithContext(context);
  const built = buildMesPilotes(app);
  return {
    ...built,
    app,
    templates: {
      data: Template.fromStack(built.data),
      auth: Template.fromStack(built.auth),
      api: Template.fromStack(built.api),
      schedules: Template.fromStack(built.schedules),
      notifications: Template.fromStack(built.notifications),
      monitoring: Template.fromStack(built.monitoring),
      web: Template.fromStack(built.web),
    },
  };
}

/** The logical id CloudFormation knows a construct by (its L1 resource). */
export const logicalIdOf = (construct: IConstruct): string =>
  Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
