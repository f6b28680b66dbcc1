// Real services take real time (LiveKit refuses a publication after its own 10 s timeout).
jest.setTimeout(60_000);
