import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { EmailIdentity, Identity } from 'aws-cdk-lib/aws-ses';
import type { Construct } from 'constructs';
import type { Deployment } from './deployment';

export interface NotificationsStackProps extends StackProps {
  readonly deployment: Deployment;
}

/**
 * The SES identity the platform sends from. Creating it mails a verification link to the address;
 * the functions may send only as this address (see HouseFunction.allowSendingEmailAs).
 */
export class NotificationsStack extends Stack {
  readonly sender: EmailIdentity;

  constructor(scope: Construct, id: string, props: NotificationsStackProps) {
    super(scope, id, props);
    this.sender = new EmailIdentity(this, 'Sender', { identity: Identity.email(props.deployment.senderEmail) });
    new CfnOutput(this, 'SenderIdentity', { value: this.sender.emailIdentityName });
  }
}
