/** The socket.io room of a meeting's connections, shared by the gateways. */
export const meetingRoom = (meetingId: string) => `meeting:${meetingId}`;

/**
 * Options of the one socket.io server; every gateway must pass the same, since whichever Nest
 * sets up first configures the server. The largest message a client sends is a finished stroke
 * of 10,000 points (about 300 KiB with pressure); bigger messages drop the connection.
 */
export const SOCKET_OPTIONS = { cors: false, maxHttpBufferSize: 512 * 1024 } as const;

/** Who a socket is, once the gateway has checked its session token. */
export interface SocketIdentity {
  meetingId: string;
  participantId: string;
}

/** The checked identity of a socket, or null before (or without) a valid handshake. */
export function identityOf(socket: { data: unknown }): SocketIdentity | null {
  const data = socket.data as Partial<SocketIdentity> | undefined;
  return data?.meetingId && data.participantId
    ? { meetingId: data.meetingId, participantId: data.participantId }
    : null;
}
