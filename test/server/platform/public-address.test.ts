import { expect } from 'chai';
import { isPublicAddress } from '../../../server/platform/public-address.ts';

describe('isPublicAddress: what an untrusted provider host may resolve to', () => {
  const refused = [
    '127.0.0.1',
    '127.8.9.10',
    '0.0.0.0',
    '10.0.0.1',
    '10.255.255.255',
    '172.16.0.1',
    '172.31.255.254',
    '192.168.1.1',
    '169.254.169.254',
    '169.254.0.1',
    '100.64.0.1',
    '100.100.100.200',
    '224.0.0.1',
    '255.255.255.255',
    '::',
    '::1',
    '[::1]',
    'fe80::1',
    'fe80::1%eth0',
    'fc00::1',
    'fd00:ec2::254',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    '::127.0.0.1',
    '64:ff9b::a9fe:a9fe',
    '2002:a9fe:a9fe::1',
    'localhost',
    'not an address',
  ];
  for (const address of refused) {
    it(`refuses ${address}: loopback, private, link-local, metadata, reserved or not an address`, () => {
      expect(isPublicAddress(address)).to.equal(false);
    });
  }

  for (const address of ['8.8.8.8', '185.12.34.56', '172.32.0.1', '2a00:1450:4001:80b::200e', '::ffff:8.8.8.8', '64:ff9b::808:808']) {
    it(`lets ${address} through: a public address`, () => {
      expect(isPublicAddress(address)).to.equal(true);
    });
  }
});
