// The local toolkit's entry point: the emulator, the deploy engine, the standalone server, plan and drift (the CLI is lib/cli.js).
export * from './emulator';
export * from './deploy';
export * from './server';
export * from './plan';
export * from './drift';
