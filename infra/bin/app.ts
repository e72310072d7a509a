import { App } from 'aws-cdk-lib';
import { buildMesPilotes } from '../lib/mes-pilotes';

// `npx cdk synth -c ars=NAQ`: the CLI synthesises the app when this process exits.
buildMesPilotes(new App());
