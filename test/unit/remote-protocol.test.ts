// Redis URLs (parsed, passwords never shown) and job ids (one per attempt, never a ':' BullMQ would refuse).
import { describe, expect, it } from 'vitest';
import { jobId } from '../../src/executor/remote/protocol.js';
import { parseRedisUrl } from '../../src/executor/remote/redis-url.js';

describe('parseRedisUrl', () => {
  it('takes user, password, db and TLS, and shows the URL with the password masked', () => {
    const t = parseRedisUrl('rediss://baton:p%40ss@queue.internal:6380/2');
    expect(t.options).toMatchObject({ host: 'queue.internal', port: 6380, username: 'baton', password: 'p@ss', db: 2, tls: { servername: 'queue.internal' } });
    expect(t.shown).toBe('rediss://baton:***@queue.internal:6380/2');
    expect(parseRedisUrl('redis://localhost').options).toEqual({ host: 'localhost', port: 6379 });
  });

  it('refuses a bad URL without printing its password', () => {
    for (const url of ['http://u:topsecret@host:1', 'redis://u:topsecret@host:1/x', 'u:topsecret@host']) {
      let message = '';
      try {
        parseRedisUrl(url);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/invalid Redis URL/);
      expect(message).not.toContain('topsecret');
    }
  });
});

describe('jobId', () => {
  it('is one per run, attempt and instance key, with no ":"', () => {
    const a = jobId('20261130T0000Z-x-ab12', 'resize[2].convert:a', 1);
    expect(a).not.toContain(':');
    expect(a).not.toBe(jobId('20261130T0000Z-x-ab12', 'resize[2].convert:a', 2));
    expect(a).not.toBe(jobId('20261130T0000Z-x-ab12', 'resize[2].convert%3Aa', 1));
    expect(jobId('r', 'a', 1)).toBe(jobId('r', 'a', 1));
  });
});
