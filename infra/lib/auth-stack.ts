import { CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnManagedLoginBranding,
  FeaturePlan,
  LambdaVersion,
  ManagedLoginVersion,
  Mfa,
  OAuthScope,
  ResourceServerScope,
  StandardThreatProtectionMode,
  UserPool,
  UserPoolClient,
  UserPoolOperation,
  UserPoolResourceServer,
} from 'aws-cdk-lib/aws-cognito';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { arsCodes } from '../../layers/domain/regions';
import type { Deployment } from './deployment';
import { outputKeyOf } from './dui-vendors';
import { HouseFunction } from './house-function';

export interface AuthStackProps extends StackProps {
  readonly deployment: Deployment;
  /** Encrypts the pre-token trigger's log group. */
  readonly logsKey: IKey;
}

/** The web app's client, by name: the same `clientId` the local provider gives it (see infra/local). */
export const webClientName = 'mes-pilotes-web';

/** Where the managed login pages and the OAuth endpoints live: the pool's Cognito prefix domain. */
export const managedLoginUrl = (deployment: Pick<Deployment, 'authDomainPrefix' | 'region'>): string =>
  `https://${deployment.authDomainPrefix}.auth.${deployment.region}.amazoncognito.com`;

/** The host of a pool's issuer URL, its OpenID discovery document and its signing keys. */
export const cognitoIssuerOrigin = (region: string): string => `https://cognito-idp.${region}.amazonaws.com`;

const originOf = (url: string): string => new URL(url).origin;

/** The groups of API.md: `candidat`, `national` and one `ars-<CODE>` per regional agency. */
export const userGroups: readonly string[] = ['candidat', 'national', ...arsCodes.map((code) => `ars-${code}`)];

/** The resource server and scope DUI software uses to report usage: the token carries `usage/write`. */
export const usageResourceServerId = 'usage';
export const usageWriteScopeName = 'write';

/** The stack output holding a DUI vendor's client id: `DuiClientIdEditeurA` for `editeur-a`. */
export const duiClientOutputName = (vendor: string): string => `DuiClientId${outputKeyOf(vendor)}`;

/**
 * Who may call the API: one Cognito user pool with the programme's groups, a public web client
 * (managed login, authorisation code with PKCE) and one machine client (client credentials) per DUI
 * vendor of the deployment. A pre-token trigger puts the email in access tokens, which the API reads.
 *
 * The web client stays here, not in the Web stack, though its return URLs name the web app's domain:
 * the API's JWT authorizer needs its id (Auth ← Api) and the distribution routes /v1/* to the API
 * (Api ← Web), so a client in Web would close a cycle. The domain comes from the `webDomain` setting
 * instead: a custom domain known in advance, or the distribution's domain from the first deploy's output.
 */
export class AuthStack extends Stack {
  readonly userPool: UserPool;
  readonly webClient: UserPoolClient;
  /**
   * One confidential client per DUI vendor (`deployment.duiVendors`), by vendor name: a vendor's own
   * `client_id` and secret, so what one vendor may do for its registered pilots no other vendor can.
   */
  readonly duiClients: ReadonlyMap<string, UserPoolClient>;
  /** Adds `email` and `email_verified` to access tokens (event version 2). */
  readonly preTokenGeneration: HouseFunction;
  /** Origin of the managed login pages and OAuth endpoints (authorize, token, logout). */
  readonly managedLoginUrl: string;
  /** The `iss` claim of this pool's tokens, for JWT authorizers. */
  readonly issuerUrl: string;

  constructor(scope: Construct, id: string, props: AuthStackProps) {
    super(scope, id, props);
    const { deployment } = props;

    this.userPool = new UserPool(this, 'Users', {
      userPoolName: `mes-pilotes-${deployment.scope.toLowerCase()}`,
      selfSignUpEnabled: true,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      keepOriginal: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
        passwordHistorySize: 5,
      },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { sms: false, otp: true },
      // Plus brings threat protection: compromised-credential checks and adaptive authentication.
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason:
        'MFA is optional (TOTP offered) because ESMS representatives sign themselves up; enforced threat protection ' +
        'blocks risky sign-ins. Requiring MFA for ARS and national staff is a per-group rule Cognito cannot express.',
    });

    userGroups.forEach((groupName) => this.userPool.addGroup(`Group-${groupName}`, { groupName }));

    const usageWrite = new ResourceServerScope({ scopeName: usageWriteScopeName, scopeDescription: 'Report monthly usage figures' });
    const usageServer = new UserPoolResourceServer(this, 'UsageServer', {
      userPool: this.userPool,
      identifier: usageResourceServerId,
      scopes: [usageWrite],
    });

    this.preTokenGeneration = new HouseFunction(this, 'PreTokenGeneration', {
      fn: 'pre-token',
      deployment,
      description: `Adds the email to access tokens (${deployment.scope})`,
      logsKey: props.logsKey,
      memorySize: 256,
      // Cognito gives a trigger 5 s, then fails the sign-in.
      timeout: Duration.seconds(5),
    });
    this.userPool.addTrigger(UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG, this.preTokenGeneration, LambdaVersion.V2_0);

    this.webClient = this.userPool.addClient('WebClient', {
      userPoolClientName: webClientName,
      generateSecret: false,
      // Sign-in goes through the managed login pages only; the flag list keeps just refresh tokens
      // (no list at all would let Cognito allow SRP and custom auth straight from the browser).
      authFlows: { userSrp: false },
      oAuth: {
        // Cognito's code flow takes PKCE; the client (oidc-client-ts) always sends an S256 challenge.
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [...deployment.webCallbackUrls],
        logoutUrls: [...new Set(deployment.webCallbackUrls.map((url) => `${originOf(url)}/`))],
      },
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
    });

    this.duiClients = new Map(
      deployment.duiVendors.map((vendor) => [
        vendor,
        this.userPool.addClient(`DuiClient${outputKeyOf(vendor)}`, {
          userPoolClientName: vendor,
          generateSecret: true,
          authFlows: {},
          oAuth: {
            flows: { clientCredentials: true },
            scopes: [OAuthScope.resourceServer(usageServer, usageWrite)],
          },
          accessTokenValidity: Duration.hours(1),
        }),
      ]),
    );

    // The managed login pages, and the /oauth2/token endpoint where client credentials are exchanged.
    const domain = this.userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: deployment.authDomainPrefix },
      managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
    this.managedLoginUrl = managedLoginUrl(deployment);
    // The newer managed login shows a client's pages only once it has a style: Cognito's own, for now.
    const branding = new CfnManagedLoginBranding(this, 'WebLoginBranding', {
      userPoolId: this.userPool.userPoolId,
      clientId: this.webClient.userPoolClientId,
      useCognitoProvidedValues: true,
    });
    branding.node.addDependency(domain);

    this.issuerUrl = `${cognitoIssuerOrigin(this.region)}/${this.userPool.userPoolId}`;

    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'WebClientId', { value: this.webClient.userPoolClientId });
    for (const [vendor, client] of this.duiClients) {
      new CfnOutput(this, duiClientOutputName(vendor), {
        value: client.userPoolClientId,
        description: `Client id of the DUI vendor ${vendor} (its secret: aws cognito-idp describe-user-pool-client)`,
      });
    }
    new CfnOutput(this, 'TokenEndpoint', { value: `${domain.baseUrl()}/oauth2/token` });
    new CfnOutput(this, 'ManagedLoginUrl', { value: this.managedLoginUrl, description: 'Origin of the sign-in pages (the web app sends people there)' });
  }
}
