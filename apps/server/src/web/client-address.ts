import type { Request } from 'express';

/** The client's address as Express sees it (behind a proxy, per TRUST_PROXY). */
export const addressOf = (req: Request) => req.ip ?? req.socket.remoteAddress ?? 'unknown';
