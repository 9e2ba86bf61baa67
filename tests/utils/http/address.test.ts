import { describe, expect, it } from 'vitest';
import { isPrivateAddress } from '@/utils/http/address';

describe('isPrivateAddress', () => {
  it.each([
    ['http://127.0.0.1:8080/', true],
    ['http://localhost/', true],
    ['http://10.1.2.3/', true],
    ['http://172.20.0.1/', true],
    ['http://192.168.0.10/', true],
    ['http://169.254.169.254/latest/meta-data', true],
    ['http://[::1]/', true],
    ['http://[fd00::1]/', true],
    ['http://printer.local/', true],
    ['http://localhost./', true],
    ['http://app.localhost:3000/', true],
    ['http://metadata.google.internal/', true],
    ['http://2130706433/', true],
    ['http://0x7f.1/', true],
    ['http://0.0.0.0/', true],
    ['http://100.64.0.1/', true],
    ['http://[fe80::1]/', true],
    ['http://[::ffff:127.0.0.1]/', true],
    ['https://blog.example/', false],
    ['http://172.32.0.1/', false],
    ['http://8.8.8.8/', false],
    ['http://100.128.0.1/', false],
    ['https://localhost.example/', false],
    ['not a url', false],
  ])('%s → %s', (url, expected) => {
    expect(isPrivateAddress(url)).toBe(expected);
  });
});
