import { describe, expect, it } from '@jest/globals';
import { isPrivateAddress, isPrivateHost, webhookHostProblem } from './webhook-address.js';

describe('isPrivateAddress', () => {
  it.each([
    // IPv4: unspecified and "this network", loopback, RFC 1918, link-local, CGNAT
    '0.0.0.0',
    '0.1.2.3',
    '127.0.0.1',
    '127.255.255.254',
    '10.0.0.5',
    '10.255.255.255',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.0.1',
    '192.168.255.255',
    '169.254.169.254',
    '169.254.0.1',
    '100.64.0.1',
    '100.127.255.255',
    // multicast, reserved, broadcast, and other special-purpose ranges
    '224.0.0.1',
    '239.255.255.250',
    '240.0.0.1',
    '255.255.255.255',
    '192.0.0.8',
    '192.0.2.10',
    '198.18.0.1',
    '198.51.100.7',
    '203.0.113.9',
    // IPv6: unspecified, loopback, link-local, unique-local, site-local, multicast, documentation
    '::',
    '::1',
    '0:0:0:0:0:0:0:1',
    'fe80::1',
    'febf:ffff::1',
    'fc00::1',
    'fd12:3456:789a::1',
    'fec0::1',
    'ff02::1',
    'ff05::1:3',
    '2001:db8::1',
    '100::1',
    // IPv4-mapped, IPv4-compatible, NAT64 and 6to4 forms of private IPv4 addresses
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::FFFF:169.254.169.254',
    '::ffff:a9fe:a9fe',
    '::ffff:10.0.0.5',
    '::ffff:192.168.1.1',
    '::ffff:0.0.0.0',
    '::127.0.0.1',
    '64:ff9b::127.0.0.1',
    '64:ff9b::a00:5',
    '64:ff9b:1::1',
    '2002:7f00:1::1',
    '2002:a9fe:a9fe::',
    '2002:c0a8:101::1',
  ])('refuses %s', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '93.184.216.34',
    '9.255.255.255',
    '11.0.0.1',
    '100.63.255.255',
    '100.128.0.1',
    '126.255.255.255',
    '128.0.0.1',
    '169.253.255.255',
    '169.255.0.1',
    '172.15.255.255',
    '172.32.0.1',
    '192.167.255.255',
    '192.169.0.1',
    '223.255.255.255',
    '2606:4700:4700::1111',
    '2a00:1450:4001:80b::200e',
    '2001:4860:4860::8888',
    '::ffff:8.8.8.8',
    '::ffff:5db8:d822',
    '64:ff9b::808:808',
    '2002:808:808::1',
    'fbff:ffff::1',
    'fe7f::1',
  ])('allows %s', (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });

  it('refuses what is not an IP address at all', () => {
    expect(isPrivateAddress('localhost')).toBe(true);
    expect(isPrivateAddress('')).toBe(true);
    expect(isPrivateAddress('[::1]')).toBe(true);
  });
});

describe('isPrivateHost', () => {
  it.each([
    ['127.0.0.1', true],
    ['[::1]', true],
    ['[::ffff:7f00:1]', true],
    ['[fe80::1]', true],
    ['169.254.169.254', true],
    ['localhost', true],
    ['LOCALHOST', true],
    ['localhost.', true],
    ['api.localhost', true],
    ['8.8.8.8', false],
    ['[2606:4700:4700::1111]', false],
    ['hooks.example.org', false],
    ['localhost.example.org', false],
    ['notlocalhost', false],
  ])('%s: %s', (host, expected) => {
    expect(isPrivateHost(host)).toBe(expected);
  });
});

describe('webhookHostProblem', () => {
  it('refuses a URL whose host is a private IP literal, in any of its spellings, or localhost', () => {
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'http://127.0.0.1:6379/',
      'http://10.0.0.5/',
      'http://[::1]/',
      'http://[::ffff:127.0.0.1]:8080/',
      'http://2130706433/',
      'http://0x7f.1/',
      'http://0/',
      'https://localhost:1234/',
      'https://hooks.localhost/x',
    ]) {
      expect(webhookHostProblem(url)).toBe('must not point at a loopback, private or link-local network address');
    }
  });

  it('leaves names (checked when sending), public addresses and unparseable URLs alone', () => {
    for (const url of ['https://hooks.example.org/a', 'http://8.8.8.8/', 'http://[2001:4860:4860::8888]/', 'nope']) {
      expect(webhookHostProblem(url)).toBeNull();
    }
  });
});
