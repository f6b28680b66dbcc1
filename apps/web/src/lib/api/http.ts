import {
  ApiError,
  CreateRoomResponse,
  JoinInfo,
  JoinOrWait,
  WaitingStatus,
  type AudioMode,
  type MeetingSettings,
} from '@estrade/protocol';
import type { z } from 'zod';

/** A refused request, with the server's stable code. */
export class RequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function call<S extends z.ZodType>(schema: S, method: string, url: string, body?: unknown): Promise<z.infer<S>> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new RequestError('internal', 'network');
  }
  const json: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const err = ApiError.safeParse(json);
    throw err.success
      ? new RequestError(err.data.code, err.data.message)
      : new RequestError('internal', res.statusText);
  }
  return schema.parse(json);
}

export const api = {
  createRoom: (name: string, password?: string, settings?: Partial<MeetingSettings>) =>
    call(CreateRoomResponse, 'POST', '/api/rooms', { name, password, settings }),
  joinInfo: (code: string) => call(JoinInfo, 'GET', `/api/join/${encodeURIComponent(code)}`),
  join: (code: string, name: string, audioMode: AudioMode, password?: string) =>
    call(JoinOrWait, 'POST', `/api/join/${encodeURIComponent(code)}`, { name, audioMode, password }),
  waiting: (ticket: string) => call(WaitingStatus, 'GET', `/api/waiting/${encodeURIComponent(ticket)}`),
};
