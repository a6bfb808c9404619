import { expect } from 'chai';
import { loadConfig, ConfigError } from '../../src/config.ts';
import { dbNameFromUri, redisPrefixFor } from '../../src/infra/connections.ts';

describe('configuration from the environment', () => {
  it('has embedded defaults: port 3000, no database or Redis URL, a data folder', () => {
    const c = loadConfig({});
    expect(c.port).to.equal(3000);
    expect(c.mongodbUri).to.equal(undefined);
    expect(c.redisUrl).to.equal(undefined);
    expect(c.dataDir).to.match(/\.data$/);
    expect(c.trustProxy).to.equal(false);
  });

  it('reads every documented variable', () => {
    const c = loadConfig({ PORT: '8080', MONGODB_URI: 'mongodb://db:27017/edu', REDIS_URL: 'redis://cache:6379', DATA_DIR: '/var/lib/edu', TRUST_PROXY: '1', SESSION_SECRET: 'x'.repeat(40) });
    expect(c).to.include({ port: 8080, mongodbUri: 'mongodb://db:27017/edu', redisUrl: 'redis://cache:6379', dataDir: '/var/lib/edu', trustProxy: 1 });
  });

  const bad: Array<[Record<string, string>, string]> = [
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ MONGODB_URI: 'http://db' }, 'MONGODB_URI'],
    [{ MONGODB_URI: 'not a url' }, 'MONGODB_URI'],
    [{ REDIS_URL: 'localhost:6379' }, 'REDIS_URL'],
    [{ SESSION_SECRET: 'short' }, 'SESSION_SECRET'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ TRUST_PROXY: 'maybe' }, 'TRUST_PROXY'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
  ];
  for (const [env, name] of bad) {
    it(`stops with a message naming ${name} for ${JSON.stringify(env)}`, () => {
      expect(() => loadConfig(env)).to.throw(ConfigError, new RegExp(`^Invalid configuration:\\n\\s+${name}:`));
    });
  }

  it('requires SESSION_SECRET and PERSONAL_CODE_KEY in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).to.throw(ConfigError, /SESSION_SECRET: required/);
    expect(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 's'.repeat(32) })).to.throw(ConfigError, /PERSONAL_CODE_KEY: required/);
    expect(loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 's'.repeat(32), PERSONAL_CODE_KEY: 'k'.repeat(32) }).env).to.equal('production');
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ MONGODB_URI: '', PORT: '' })).to.include({ mongodbUri: undefined, port: 3000 });
  });

  it('names every bad variable at once', () => {
    try {
      loadConfig({ PORT: 'x', REDIS_URL: 'y' });
      expect.fail('should throw');
    } catch (err) {
      expect((err as Error).message).to.include('PORT').and.to.include('REDIS_URL');
    }
  });

  it('derives the database name and the Redis prefix from MONGODB_URI', () => {
    expect(dbNameFromUri('mongodb://h:1/edu_prod?authSource=admin')).to.equal('edu_prod');
    expect(dbNameFromUri('mongodb://h:1')).to.equal('edu_support');
    expect(redisPrefixFor('edu_prod')).to.equal('edu:edu_prod');
    expect(redisPrefixFor('a')).not.to.equal(redisPrefixFor('b'));
  });
});
