import { createHash } from 'crypto';

/**
 * Placeholder identities for resource types the engine does not emulate (roles, functions,
 * policies, state machines, queues, keys...). They are stable (derived from stack, logical id and
 * any explicit name), so a second deploy sees no change, and shaped like the real thing where our
 * resources read them (a queue's `Ref` is a URL, an `Arn` attribute is an ARN).
 */

interface PlaceholderScope {
  readonly stackName: string;
  readonly logicalId: string;
  readonly region: string;
  readonly account: string;
  readonly partition: string;
}

/** The `Ref` value (physical id) of a resource that is not emulated. */
export function placeholderPhysicalId(type: string, properties: Record<string, unknown>, scope: PlaceholderScope): string {
  const name = explicitName(type, properties) ?? generatedName(scope);
  switch (type) {
    case 'AWS::SQS::Queue':
      return `https://sqs.${scope.region}.amazonaws.com/${scope.account}/${name}`;
    case 'AWS::KMS::Key':
      return uuidFrom(`${scope.stackName}/${scope.logicalId}`);
    case 'AWS::S3::Bucket':
      return name.toLowerCase().replace(/[^a-z0-9.-]/g, '-').slice(0, 63);
    case 'AWS::StepFunctions::StateMachine':
      return `arn:${scope.partition}:states:${scope.region}:${scope.account}:stateMachine:${name}`;
    case 'AWS::SNS::Topic':
      return `arn:${scope.partition}:sns:${scope.region}:${scope.account}:${name}`;
    default:
      return name;
  }
}

/** An `Fn::GetAtt` value of a resource that is not emulated: any attribute reads as a placeholder. */
export function placeholderAttribute(type: string, physicalId: string, attribute: string, scope: PlaceholderScope): string {
  const name = physicalId.includes('/') || physicalId.includes(':') ? physicalId.split(/[/:]/).pop() ?? physicalId : physicalId;
  const [, service = 'local', kind = 'resource'] = type.split('::').map((part) => part.toLowerCase());
  const arnService = service === 'stepfunctions' ? 'states' : service;
  const regional = service === 'iam' || service === 's3' ? '' : scope.region;
  const account = service === 's3' ? '' : scope.account;
  if (attribute === 'Arn' || attribute.endsWith('Arn')) {
    switch (type) {
      case 'AWS::IAM::Role':
        return `arn:${scope.partition}:iam::${scope.account}:role/${name}`;
      case 'AWS::IAM::Policy':
      case 'AWS::IAM::ManagedPolicy':
        return `arn:${scope.partition}:iam::${scope.account}:policy/${name}`;
      case 'AWS::Lambda::Function':
        return `arn:${scope.partition}:lambda:${scope.region}:${scope.account}:function:${name}`;
      case 'AWS::SQS::Queue':
        return `arn:${scope.partition}:sqs:${scope.region}:${scope.account}:${name}`;
      case 'AWS::KMS::Key':
        return `arn:${scope.partition}:kms:${scope.region}:${scope.account}:key/${physicalId}`;
      case 'AWS::S3::Bucket':
        return `arn:${scope.partition}:s3:::${physicalId}`;
      case 'AWS::StepFunctions::StateMachine':
      case 'AWS::SNS::Topic':
        return physicalId;
      default:
        return `arn:${scope.partition}:${arnService}:${regional}:${account}:${kind}/${name}`;
    }
  }
  switch (attribute) {
    case 'QueueName':
    case 'Name':
    case 'TopicName':
      return name;
    case 'QueueUrl':
      return physicalId;
    case 'KeyId':
      return physicalId;
    case 'RoleId':
      return `AROA${uuidFrom(physicalId).replace(/-/g, '').slice(0, 17).toUpperCase()}`;
    case 'DomainName':
      return type === 'AWS::S3::Bucket' ? `${physicalId}.s3.amazonaws.com` : `${name}.local`;
    default:
      return `${name}.${attribute}`;
  }
}

/** `QueueName`, `RoleName`, `FunctionName`...: the explicit physical name property of a type, when set to a string. */
function explicitName(type: string, properties: Record<string, unknown>): string | undefined {
  const kind = type.split('::')[2];
  const value = kind ? properties[`${kind}Name`] : undefined;
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** CloudFormation-style generated name: `<stack>-<logicalId>-<suffix>`, stable for the same stack and id. */
function generatedName(scope: PlaceholderScope): string {
  const suffix = createHash('sha256').update(`${scope.stackName}/${scope.logicalId}`).digest('hex').slice(0, 12).toUpperCase();
  return `${scope.stackName.slice(0, 30)}-${scope.logicalId.slice(0, 30)}-${suffix}`;
}

function uuidFrom(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
