import { App } from 'aws-cdk-lib';
import { DeploymentContextError } from '../lib/deployment';
import { buildMesPilotes } from '../lib/mes-pilotes';

// `npx cdk synth -c ars=NAQ`: the CLI synthesises the app when this process exits.
try {
  buildMesPilotes(new App());
} catch (error) {
  if (!(error instanceof DeploymentContextError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
