// Lint, plus the dependency rules a reviewer should not have to enforce by hand.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const infrastructure = ['@nestjs/*', 'pg', 'typeorm', 'kafkajs', 'express', 'node:*', 'fs', 'net', 'http'];
const apps = ['command-api', 'query-api', 'projector', 'alerter', 'cli', 'standalone'];

/** Forbids importing another app's files; apps share code through libs/. */
function appBoundary(app) {
  return {
    files: [`apps/${app}/**/*.ts`],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: apps.filter((other) => other !== app).map((other) => ({
          group: [`**/${other}/**`, `**/apps/${other}`],
          message: `apps do not import each other (${app} → ${other}); move shared code to libs/`,
        })),
      }],
    },
  };
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'infra/kafka/target/**', 'coverage/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly', AbortController: 'readonly', fetch: 'readonly', globalThis: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
    },
  },
  {
    // Nest resolves constructor parameters from emitted type metadata: those imports must stay values.
    files: ['apps/**/*.ts', 'libs/{platform,journal,event-log,read-models}/**/*.ts'],
    rules: { '@typescript-eslint/consistent-type-imports': 'off' },
  },
  {
    files: ['libs/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: infrastructure, message: 'libs/domain is pure: no framework, database, broker or I/O imports' },
          { group: ['#journal', '#event-log', '#read-models', '#platform', '#testing', '**/apps/**'], message: 'libs/domain depends on nothing of ours' },
        ],
      }],
    },
  },
  ...apps.filter((app) => app !== 'standalone').map(appBoundary),
  {
    files: ['apps/query-api/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/apps/*', '**/command-api/**', '**/projector/**', '**/alerter/**', '**/cli/**'], message: 'apps do not import each other' },
          { importNames: ['decide', 'evolve'], group: ['#domain'], message: 'query-api reads tables; it never runs deciders' },
        ],
      }],
    },
  },
);
