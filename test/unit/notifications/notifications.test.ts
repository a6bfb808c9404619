import { expect } from 'chai';
import { isQuiet, smsAllowedFrom } from '../../../src/notifications/quietHours.ts';
import { renderTemplate, templateNames, templates } from '../../../src/notifications/templates.ts';
import { classifySmtpError } from '../../../src/notifications/channels/email.ts';
import { guardianRoute } from '../../../src/notifications/recipients.ts';
import { rigaMoment } from '../../../src/shared/dates.ts';
import { languages } from '../../../src/i18n/index.ts';

describe('notifications: quiet hours (Europe/Riga)', () => {
  it('lets SMS go from 08:00 to 20:00 and holds them otherwise until the next 08:00', () => {
    const at = (day: string, time: string) => rigaMoment(day, time);
    expect(smsAllowedFrom(at('2026-11-24', '12:00'))).to.deep.equal(at('2026-11-24', '12:00'));
    expect(smsAllowedFrom(at('2026-11-24', '07:59'))).to.deep.equal(at('2026-11-24', '08:00'));
    expect(smsAllowedFrom(at('2026-11-24', '20:00'))).to.deep.equal(at('2026-11-25', '08:00'));
    expect(smsAllowedFrom(at('2026-11-24', '23:30'))).to.deep.equal(at('2026-11-25', '08:00'));
    expect(isQuiet(at('2026-11-24', '19:59'))).to.equal(false);
    expect(isQuiet(at('2026-11-24', '20:00'))).to.equal(true);
  });

  it('holds across the clock changes until 08:00 on the wall clock', () => {
    // The night before the last Sunday of March (+2 → +3) and of October (+3 → +2).
    expect(smsAllowedFrom(rigaMoment('2026-03-28', '22:00')).toISOString()).to.equal('2026-03-29T05:00:00.000Z');
    expect(smsAllowedFrom(rigaMoment('2026-10-24', '22:00')).toISOString()).to.equal('2026-10-25T06:00:00.000Z');
  });
});

describe('notifications: templates', () => {
  for (const name of templateNames) {
    it(`${name}: a subject and body in every language, every placeholder filled`, () => {
      for (const lang of languages) {
        const r = renderTemplate(name, lang, templates[name].sample, 'https://example.org/notifications/opt-out/TOKEN');
        expect(r.subject, `${name} ${lang}`).to.be.a('string').and.not.to.match(/^messages\./);
        expect(r.body, `${name} ${lang}`).not.to.match(/\{\{|messages\./);
        if (templates[name].audience === 'guardian' && !templates[name].essential) expect(r.body).to.include('/notifications/opt-out/TOKEN');
        else expect(r.body).not.to.include('/notifications/opt-out/');
      }
    });
  }
});

describe('notifications: sorting failures and choosing channels', () => {
  it('treats a 5xx to a recipient as a bounce, 4xx as transient and a cut connection during DATA as unknown', () => {
    const bounce = classifySmtpError(Object.assign(new Error('550'), { responseCode: 550, command: 'RCPT TO' }));
    expect(bounce).to.include({ code: 'recipient_rejected', permanent: true, contactProblem: true });
    expect(classifySmtpError(Object.assign(new Error('451'), { responseCode: 451, command: 'RCPT TO' }))).to.include({ code: 'smtp_temporary', permanent: false });
    expect(classifySmtpError(Object.assign(new Error('reset'), { code: 'ECONNRESET', command: 'DATA' }))).to.include({ outcomeUnknown: true });
    expect(classifySmtpError(Object.assign(new Error('refused'), { code: 'ECONNECTION', command: 'CONN' }))).to.include({ code: 'smtp_unreachable', permanent: false });
  });

  it('writes to a guardian by SMS when there is a number and a provider, else e-mail, else the outbox', () => {
    const both = { phone: '+37126123456', email: 'a@example.lv' };
    expect(guardianRoute(both, { email: true, sms: true })).to.deep.equal({ channel: 'sms', address: '+37126123456' });
    expect(guardianRoute(both, { email: true, sms: false })).to.deep.equal({ channel: 'email', address: 'a@example.lv' });
    expect(guardianRoute({ email: 'a@example.lv' }, { email: false, sms: true })).to.deep.equal({ channel: 'outbox', address: 'a@example.lv' });
    expect(guardianRoute({}, { email: true, sms: true })).to.equal(null);
  });
});
