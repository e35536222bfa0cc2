import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/*.generated.*', '**/*.mjs', '**/*.js'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      // Type-aware rules (floating and misused promises above all) need the type checker;
      // the project service finds each file's tsconfig.json.
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
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
