import { ServiceModel } from './model';
import { Input, Output } from './protocol';
import { Context } from './state';

export type OperationHandler = (input: Input, ctx: Context) => Output;

/**
 * Operation handlers by operation name. Each resource area registers its own operations, so
 * adding an operation never touches the server; a modeled operation nobody registered answers
 * NotImplementedException naming it.
 */
export class OperationRegistry {
  private readonly handlers = new Map<string, OperationHandler>();

  constructor(private readonly model: ServiceModel) {}

  /**
   * Registers a handler. `I` describes the validated input: the server only calls the handler
   * after the input satisfied the model, which is what makes the cast below sound.
   */
  public register<I>(operation: string, handler: (input: I, ctx: Context) => Output): void {
    this.model.operation(operation); // throws on a name the model does not know
    if (this.handlers.has(operation)) throw new Error(`Operation ${operation} is registered twice`);
    this.handlers.set(operation, (input, ctx) => handler(input as unknown as I, ctx));
  }

  public get(operation: string): OperationHandler | undefined {
    return this.handlers.get(operation);
  }

  public names(): string[] {
    return [...this.handlers.keys()].sort();
  }
}
