/** Error names the emulator answers with, and their HTTP status (REFERENCE §3). */
export const ERROR_STATUS = {
  BadRequestException: 400,
  AccessDeniedException: 403,
  ResourceNotFoundException: 404,
  ThrottlingException: 429,
  InternalServerException: 500,
  // Not modeled errors: answers for requests the emulator cannot route or does not implement.
  UnknownOperationException: 404,
  NotImplementedException: 501,
} as const;

export type ErrorName = keyof typeof ERROR_STATUS;

/** Thrown by operation handlers; the server turns it into a restJson1 error response. */
export class ServiceError extends Error {
  public readonly status: number;

  constructor(public readonly errorName: ErrorName, message: string) {
    super(message);
    this.name = errorName;
    this.status = ERROR_STATUS[errorName];
  }
}

export function badRequest(message: string): ServiceError {
  return new ServiceError('BadRequestException', message);
}

export function notFound(message: string): ServiceError {
  return new ServiceError('ResourceNotFoundException', message);
}
