/** Tests run on the Node of the `node` devDependency (the Lambda runtime's major). @swc/jest compiles
 * TypeScript and the ESM-only middy packages to CommonJS, so Jest needs no experimental VM modules. */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j|mj)s$': ['@swc/jest', { jsc: { target: 'es2023' }, module: { type: 'commonjs' } }] },
  transformIgnorePatterns: ['/node_modules/(?!(@middy)/)'],
  // middy exports only an "import" condition, which Jest's CommonJS resolver does not try.
  moduleNameMapper: { '^@middy/([a-z-]+)$': '<rootDir>/node_modules/@middy/$1/index.js' },
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  testMatch: ['<rootDir>/test/**/*.test.ts'],
};
