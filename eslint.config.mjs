import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

// The layering (tags in each project's package.json, "nx.tags"): a project may import only
// the projects its tags allow, through their package names and declared entry points,
// never another project's files by relative path. `nx lint` fails on a violation.
const layers = [
  { sourceTag: 'layer:protocol', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'layer:engine', onlyDependOnLibsWithTags: ['layer:protocol'] },
  { sourceTag: 'layer:runtime', onlyDependOnLibsWithTags: ['layer:engine', 'layer:protocol'] },
  { sourceTag: 'layer:ui', onlyDependOnLibsWithTags: ['layer:engine', 'layer:protocol'] },
  // Connectors (Kafka, vision) sit on the engine; Kafka's testing entry starts a test broker.
  { sourceTag: 'layer:connector', onlyDependOnLibsWithTags: ['layer:engine', 'layer:protocol', 'type:test-support'] },
  // Launchers start executors elsewhere (Kubernetes pods) with the executor package.
  { sourceTag: 'layer:launcher', onlyDependOnLibsWithTags: ['layer:runtime', 'layer:engine', 'layer:protocol'] },
  { sourceTag: 'layer:cli', onlyDependOnLibsWithTags: ['layer:launcher', 'layer:runtime', 'layer:ui', 'layer:engine', 'layer:protocol'] },
  { sourceTag: 'layer:testing', onlyDependOnLibsWithTags: ['layer:runtime', 'layer:engine', 'layer:protocol', 'type:test-support'] },
  // Applications are built from packages only, never from each other.
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
  // Test support (the test broker) stands apart, but for the files entry of the protocol
  // package every program shares (the cache directory), which depends on nothing.
  { sourceTag: 'type:test-support', onlyDependOnLibsWithTags: ['layer:protocol'] },
  { sourceTag: 'type:bench', onlyDependOnLibsWithTags: ['type:lib', 'type:app', 'type:test-support'] },
  { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:lib', 'type:app', 'type:test-support'] },
];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/*.generated.*', '**/*.mjs', '**/*.js'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      // Type-aware rules (floating and misused promises above all) need the type checker;
      // the project service finds each file's tsconfig.json.
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': ['error', { depConstraints: layers }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      // The one-active-context rule keeps the active StreamingContext in a module variable.
      '@typescript-eslint/no-this-alias': 'off',
      // Interfaces that want a Promise (kafkajs handlers, TF.js IO handlers, async
      // overrides) are met most plainly by an async function without an await.
      '@typescript-eslint/require-await': 'off',
      // node:test's test/describe/it return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite'] }] },
      ],
    },
  },
  {
    // Where types are erased on purpose: the pair operators carry keys and values through
    // untyped RDDs of the lineage, tests inspect decoded JSON, and the Kafka cluster factory
    // is kafkajs' private symbol.
    files: [
      'packages/streaming/src/dstream/dstream-operators.ts',
      'packages/streaming/src/rdd/rdd-operations.ts',
      'packages/streaming/src/state/state-operators.ts',
      'packages/kafka/src/kafkajs-cluster.ts',
      '**/*.test.ts',
    ],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
