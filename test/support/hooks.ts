import { startStack, stack } from './stack.ts';

/** Mocha root hooks: one real stack (FerretDB, Redis) per test process. */
export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(120_000);
    await startStack();
  },
  async afterAll(this: Mocha.Context) {
    this.timeout(60_000);
    await stack().stop();
  },
};
