import nock from 'nock';

// Tests reach only loopback: everything else must be mocked with nock or served by our emulators.
nock.disableNetConnect();
nock.enableNetConnect((host) => /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(host));

process.env.LOG_LEVEL ??= 'error';
