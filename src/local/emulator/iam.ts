/**
 * IAM for the emulator: the identity policies of the caller (the handler role, as the local deploy
 * engine has deployed them at each moment) and the authorization of every request against them.
 *
 * INTERFACE FIRST (this session): the types and the Emulator methods below are the contract
 * between the emulator and the local deploy engine. The evaluator is being written.
 */

/** One IAM policy statement, as CloudFormation would hold it after resolving intrinsics. */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action?: string | string[];
  readonly NotAction?: string | string[];
  readonly Resource?: string | string[];
  readonly NotResource?: string | string[];
  readonly Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

/** An identity policy document (`Version` is accepted and ignored). */
export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: PolicyStatement | PolicyStatement[];
}

/** Who calls: the handler role's identity policies. */
export interface IamOptions {
  /** The caller's identity policies; a request is allowed only when they allow it (and nothing denies it). */
  readonly policies: PolicyDocument[];
  /**
   * The caller, as the service names it in an AccessDeniedException.
   * @default 'arn:aws:sts::<account>:assumed-role/CustomerProfilesHandler/local'
   */
  readonly principalArn?: string;
}
