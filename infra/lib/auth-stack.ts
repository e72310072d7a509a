import { CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import {
  AccountRecovery,
  FeaturePlan,
  Mfa,
  OAuthScope,
  ResourceServerScope,
  StandardThreatProtectionMode,
  UserPool,
  UserPoolClient,
  UserPoolResourceServer,
} from 'aws-cdk-lib/aws-cognito';
import type { Construct } from 'constructs';
import { arsCodes } from '../../layers/domain/regions';
import type { Deployment } from './deployment';

export interface AuthStackProps extends StackProps {
  readonly deployment: Deployment;
}

/** The groups of API.md: `candidat`, `national` and one `ars-<CODE>` per regional agency. */
export const userGroups: readonly string[] = ['candidat', 'national', ...arsCodes.map((code) => `ars-${code}`)];

/** The resource server and scope DUI software uses to report usage: the token carries `usage/write`. */
export const usageResourceServerId = 'usage';
export const usageWriteScopeName = 'write';

/**
 * Who may call the API: one Cognito user pool with the programme's groups, a public web client
 * (SRP or authorisation code with PKCE) and a machine client (client credentials) for DUI software.
 */
export class AuthStack extends Stack {
  readonly userPool: UserPool;
  readonly webClient: UserPoolClient;
  readonly machineClient: UserPoolClient;
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

    this.webClient = this.userPool.addClient('WebClient', {
      userPoolClientName: 'web',
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [...deployment.webCallbackUrls],
      },
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
    });

    this.machineClient = this.userPool.addClient('MachineClient', {
      userPoolClientName: 'dui-usage-reporting',
      generateSecret: true,
      authFlows: {},
      oAuth: {
        flows: { clientCredentials: true },
        scopes: [OAuthScope.resourceServer(usageServer, usageWrite)],
      },
      accessTokenValidity: Duration.hours(1),
    });

    // Client credentials are exchanged at this domain's /oauth2/token endpoint.
    const domain = this.userPool.addDomain('Domain', { cognitoDomain: { domainPrefix: deployment.authDomainPrefix } });

    this.issuerUrl = `https://cognito-idp.${this.region}.amazonaws.com/${this.userPool.userPoolId}`;

    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'WebClientId', { value: this.webClient.userPoolClientId });
    new CfnOutput(this, 'MachineClientId', { value: this.machineClient.userPoolClientId });
    new CfnOutput(this, 'TokenEndpoint', { value: `${domain.baseUrl()}/oauth2/token` });
  }
}
