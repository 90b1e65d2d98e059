// Jest runs the TypeScript sources as native ES modules (NestJS 12 is ESM-only), hence
// `--experimental-vm-modules` in `npm test`. `#lib` imports map to the libraries' sources.
const shared = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^#(common|config|logging|database|queue|encryption|audit|access|reference-data|case-files|alerts|reports|imports|demo-data)$':
      '<rootDir>/libs/$1/src/index.ts',
    '^#migrations$': '<rootDir>/migrations/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.json' }] },
};

export default {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.js',
      globalTeardown: '<rootDir>/test/support/global-teardown.js',
    },
  ],
  // A global option (ignored inside a project): end-to-end tests start the whole application.
  testTimeout: 30000,
};
