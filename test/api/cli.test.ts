import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { expect } from 'chai';
import request from 'supertest';
import { projectRoot } from '../../src/config.ts';
import { removeFerretDbData } from '../../src/infra/ferretdb.ts';
import { stack, resetData } from '../support/stack.ts';
import { GroupModel, InstitutionModel } from '../../src/institutions/model.ts';
import { UserModel } from '../../src/auth/model.ts';
import { AuditEventModel } from '../../src/audit/model.ts';

function cli(args: string[], env: Record<string, string>) {
  const res = spawnSync(process.execPath, [path.join(projectRoot, 'scripts', 'cli.ts'), ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'silent', ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr, lastLine: res.stdout.trim().split('\n').at(-1) ?? '' };
}

describe('admin CLI (a real process on the same database)', function () {
  this.timeout(180_000);
  beforeEach(resetData);
  const env = () => ({ MONGODB_URI: stack().mongoUri, DATA_DIR: stack().dataDir });

  it('institution:add (with --base), group:add and user:add write what the service then serves', async () => {
    expect(cli(['institution:add', '--code', 'PII-7', '--name', 'PII "Pūcīte"', '--type', 'kindergarten', '--base', '--base-from', '2020-03-16'], env()).code).to.equal(0);
    expect(cli(['group:add', '--institution', 'PII-7', '--name', 'Zīļuki', '--capacity', '18'], env()).code).to.equal(0);
    expect(cli(['user:add', '--email', 'head@pii7.lv', '--password', 'a long password', '--role', 'principal', '--institution', 'PII-7'], env()).code).to.equal(0);
    const inst = await InstitutionModel.findOne({ code: 'PII-7' }).lean();
    expect(inst?.basePeriods).to.deep.equal([{ from: '2020-03-16', to: null }]);
    expect(await GroupModel.countDocuments({ institution: inst!._id, name: 'Zīļuki', capacity: 18 })).to.equal(1);
    expect(await UserModel.countDocuments({ email: 'head@pii7.lv', role: 'principal', institution: inst!._id })).to.equal(1);
    const res = await request(stack().app).post('/api/session').send({ email: 'head@pii7.lv', password: 'a long password' }).expect(200);
    expect(res.body.user.institution).to.equal('PII-7');
    expect(await AuditEventModel.countDocuments({ 'actor.kind': 'cli' })).to.be.greaterThanOrEqual(3);
  });

  it('token:create prints the token alone on its last line, and it works as a bearer token', async () => {
    expect(cli(['user:add', '--email', 'c@office.lv', '--password', 'a long password', '--role', 'coordinator'], env()).code).to.equal(0);
    const out = cli(['token:create', '--email', 'c@office.lv'], env());
    expect(out.code).to.equal(0);
    expect(out.lastLine).to.match(/^edu_[A-Za-z0-9_-]{40,}$/);
    const me = await request(stack().app).get('/api/session').set('Authorization', `Bearer ${out.lastLine}`).expect(200);
    expect(me.body.user.email).to.equal('c@office.lv');
  });

  it('bad input: a clear sentence naming the option and a non-zero exit, nothing written', async () => {
    const bad = cli(['institution:add', '--code', 'S-1', '--name', 'School', '--type', 'school', '--base', '--lang', 'en'], env());
    expect(bad.code).to.equal(1);
    expect(bad.stderr).to.include('Only a kindergarten can be a base kindergarten');
    const date = cli(['institution:add', '--code', 'K-1', '--name', 'K', '--type', 'kindergarten', '--base', '--base-to', '2020-02-30', '--lang', 'en'], env());
    expect(date.code).to.equal(1);
    expect(date.stderr).to.include('--base-to');
    const group = cli(['group:add', '--institution', 'NOPE', '--name', 'G', '--capacity', '3', '--lang', 'en'], env());
    expect(group.code).to.equal(1);
    expect(group.stderr).to.include('Institution not found');
    const unknown = cli(['frobnicate'], env());
    expect(unknown.code).to.equal(2);
    expect(await InstitutionModel.countDocuments({})).to.equal(0);
  });

  it('works with the service stopped: starts the embedded FerretDB under DATA_DIR for itself and stops it after', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'edu-cli-'));
    try {
      const own = { DATA_DIR: dataDir };
      expect(cli(['institution:add', '--code', 'S-9', '--name', 'School nine', '--type', 'school'], own).code).to.equal(0);
      expect(fs.existsSync(path.join(dataDir, 'ferretdb', 'pid')), 'FerretDB stopped after the command').to.equal(false);
      // The second run finds the first run's data: the same database on disk.
      const second = cli(['user:add', '--email', 'p@s9.lv', '--password', 'a long password', '--role', 'principal', '--institution', 'S-9'], own);
      expect(second.code, second.stderr).to.equal(0);
    } finally {
      await removeFerretDbData(dataDir);
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
