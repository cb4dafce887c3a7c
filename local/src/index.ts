// The local toolkit's entry point: the emulator and the deploy engine (the CLI is lib/cli.js).
export * from './emulator';
export * from './deploy';
