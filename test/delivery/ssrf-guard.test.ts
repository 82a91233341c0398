import { describe, expect, it } from 'vitest'
import { isForbiddenAddress } from '../../src/delivery/ssrf-guard.ts'

// One address from each range of the IANA IPv4 and IPv6 special-purpose registries, written the
// ways a URL or a DNS answer can carry it, plus the deprecated site-local and IPv4-compatible forms.
const SPECIAL = [
  '0.0.0.0',
  '0.1.2.3',
  '10.0.0.1',
  '100.64.0.1',
  '127.0.0.1',
  '169.254.169.254',
  '172.16.0.1',
  '192.0.0.8',
  '192.0.0.170',
  '192.0.2.1',
  '192.31.196.1',
  '192.52.193.1',
  '192.88.99.1',
  '192.168.1.1',
  '192.175.48.1',
  '198.18.0.1',
  '198.51.100.1',
  '203.0.113.1',
  '224.0.0.1',
  '240.0.0.1',
  '255.255.255.255',
  '168.63.129.16',
  '::',
  '::1',
  '[::1]',
  '[::127.0.0.1]',
  '::ffff:127.0.0.1',
  '[::ffff:0:127.0.0.1]',
  '64:ff9b::7f00:1',
  '64:ff9b:1::1',
  '100::1',
  '100:0:0:1::1',
  '2001::1',
  '2001:1::1',
  '2001:2::1',
  '2001:3::1',
  '2001:4:112::1',
  '2001:10::1',
  '2001:20::1',
  '2001:30::1',
  '2001:db8::1',
  '2002::1',
  '2002:7f00:1::1',
  '2620:4f:8000::1',
  '3fff::1',
  '5f00::1',
  'fc00::1',
  'fd00:ec2::254',
  'fe80::1',
  'fec0::1',
  'ff02::1',
]

describe('the SSRF guard', () => {
  it.each(SPECIAL)('refuses %s', (address) => {
    expect(isForbiddenAddress(address)).toBe(true)
  })

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '::ffff:8.8.8.8',
    '2606:4700:4700::1111',
    '[2a00:1450:4001:80b::200e]',
  ])('lets the public address %s through', (address) => {
    expect(isForbiddenAddress(address)).toBe(false)
  })

  it('leaves names to the DNS check', () => {
    expect(isForbiddenAddress('localhost')).toBe(false)
  })
})
